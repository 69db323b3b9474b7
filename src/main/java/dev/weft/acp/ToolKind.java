package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a tool call does, so a host can pick an icon or a policy. A kind this revision does not know reads as
 * {@link #OTHER}.
 *
 * <p>Constants; safe to share between threads.
 */
public enum ToolKind {
    /** Reads files or data. */
    @JsonProperty("read") READ,
    /** Changes files or content. */
    @JsonProperty("edit") EDIT,
    /** Removes files or data. */
    @JsonProperty("delete") DELETE,
    /** Moves or renames files. */
    @JsonProperty("move") MOVE,
    /** Searches for information. */
    @JsonProperty("search") SEARCH,
    /** Runs a command or code. */
    @JsonProperty("execute") EXECUTE,
    /** Thinks or plans internally. */
    @JsonProperty("think") THINK,
    /** Fetches external data. */
    @JsonProperty("fetch") FETCH,
    /** Switches the session's mode. */
    @JsonProperty("switch_mode") SWITCH_MODE,
    /** Anything else, and any kind this revision does not know. */
    @JsonEnumDefaultValue @JsonProperty("other") OTHER
}
