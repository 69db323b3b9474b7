package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a prompt turn ended. A reason this revision does not know reads as {@link #OTHER}.
 *
 * <p>Constants; safe to share between threads.
 */
public enum StopReason {
    /** The agent finished. */
    @JsonProperty("end_turn") END_TURN,
    /** The model's token limit was reached. */
    @JsonProperty("max_tokens") MAX_TOKENS,
    /** The agent made as many model requests as a turn allows. */
    @JsonProperty("max_turn_requests") MAX_TURN_REQUESTS,
    /** The model refused. */
    @JsonProperty("refusal") REFUSAL,
    /** The client cancelled the turn. */
    @JsonProperty("cancelled") CANCELLED,
    /** A reason this revision does not know. */
    @JsonEnumDefaultValue @JsonProperty("other") OTHER
}
