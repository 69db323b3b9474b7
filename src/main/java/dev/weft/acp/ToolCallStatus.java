package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a tool call is: {@code PENDING -> IN_PROGRESS -> COMPLETED | FAILED}.
 *
 * <p>Constants; safe to share between threads.
 */
public enum ToolCallStatus {
    /** Not started: the input may still be streaming, or it awaits permission. */
    @JsonProperty("pending") PENDING,
    /** Running. */
    @JsonProperty("in_progress") IN_PROGRESS,
    /** Ended successfully. */
    @JsonProperty("completed") COMPLETED,
    /** Ended with an error. */
    @JsonProperty("failed") FAILED;

    /** {@return whether the call has ended} */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
