package dev.weft.acp;

import java.util.Objects;

/** The answer to a permission request: an option chosen, or cancelled (the turn is being cancelled). Immutable. */
public sealed interface PermissionOutcome {

    /**
     * Chose the option {@code optionId}.
     *
     * @param optionId the option's id, as the agent offered it
     */
    record Selected(String optionId) implements PermissionOutcome {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code optionId} is {@code null}
         */
        public Selected {
            Objects.requireNonNull(optionId, "optionId");
        }
    }

    /** No option: the turn is being cancelled. */
    record Cancelled() implements PermissionOutcome {
    }

    /**
     * {@return the outcome that chooses {@code option}}
     *
     * @param option one of the request's options
     */
    static PermissionOutcome select(PermissionOption option) {
        return new Selected(option.optionId());
    }

    /** {@return the cancelled outcome} */
    static PermissionOutcome cancelled() {
        return new Cancelled();
    }
}
