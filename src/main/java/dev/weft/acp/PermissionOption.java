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
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code optionId} is {@code null}
     */
    public PermissionOption {
        Objects.requireNonNull(optionId, "optionId");
    }

    /** What choosing an option means. A kind this revision does not know reads as {@link #OTHER}. */
    public enum Kind {
        /** Allow this one call. */
        @JsonProperty("allow_once") ALLOW_ONCE,
        /** Allow this call and the like of it from now on. */
        @JsonProperty("allow_always") ALLOW_ALWAYS,
        /** Refuse this one call. */
        @JsonProperty("reject_once") REJECT_ONCE,
        /** Refuse this call and the like of it from now on. */
        @JsonProperty("reject_always") REJECT_ALWAYS,
        /** A kind this revision does not know. */
        @JsonEnumDefaultValue OTHER;

        /** {@return whether choosing it lets the tool call run} */
        public boolean allows() {
            return this == ALLOW_ONCE || this == ALLOW_ALWAYS;
        }

        /** {@return whether choosing it refuses the tool call} */
        public boolean rejects() {
            return this == REJECT_ONCE || this == REJECT_ALWAYS;
        }
    }
}
