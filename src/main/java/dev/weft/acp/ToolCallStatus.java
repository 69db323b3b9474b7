package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a tool call is: {@code PENDING -> IN_PROGRESS -> COMPLETED | FAILED}. */
public enum ToolCallStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("in_progress") IN_PROGRESS,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED;

    /** Whether the call has ended. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
