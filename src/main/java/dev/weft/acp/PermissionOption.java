package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One answer an agent offers to a permission request. Immutable.
 *
 * @param optionId what to send back to choose it
 * @param name     its label, for a person
 * @param kind     what choosing it means
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PermissionOption(String optionId, String name, Kind kind) {
    public PermissionOption {
        Objects.requireNonNull(optionId, "optionId");
    }

    /** What choosing an option means. A kind this revision does not know reads as {@link #OTHER}. */
    public enum Kind {
        @JsonProperty("allow_once") ALLOW_ONCE,
        @JsonProperty("allow_always") ALLOW_ALWAYS,
        @JsonProperty("reject_once") REJECT_ONCE,
        @JsonProperty("reject_always") REJECT_ALWAYS,
        @JsonEnumDefaultValue OTHER;

        /** Whether choosing it lets the tool call run. */
        public boolean allows() {
            return this == ALLOW_ONCE || this == ALLOW_ALWAYS;
        }

        /** Whether choosing it refuses the tool call. */
        public boolean rejects() {
            return this == REJECT_ONCE || this == REJECT_ALWAYS;
        }
    }
}
