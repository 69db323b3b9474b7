package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What a tool call does, so a host can pick an icon or a policy. A kind this revision does not know reads as {@link #OTHER}. */
public enum ToolKind {
    @JsonProperty("read") READ,
    @JsonProperty("edit") EDIT,
    @JsonProperty("delete") DELETE,
    @JsonProperty("move") MOVE,
    @JsonProperty("search") SEARCH,
    @JsonProperty("execute") EXECUTE,
    @JsonProperty("think") THINK,
    @JsonProperty("fetch") FETCH,
    @JsonProperty("switch_mode") SWITCH_MODE,
    @JsonEnumDefaultValue @JsonProperty("other") OTHER
}
