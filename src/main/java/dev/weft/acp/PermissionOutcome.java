package dev.weft.acp;

import java.util.Objects;

/** The answer to a permission request: an option chosen, or cancelled (the turn is being cancelled). Immutable. */
public sealed interface PermissionOutcome {

    /** Chose the option {@code optionId}. */
    record Selected(String optionId) implements PermissionOutcome {
        public Selected {
            Objects.requireNonNull(optionId, "optionId");
        }
    }

    /** No option: the turn is being cancelled. */
    record Cancelled() implements PermissionOutcome {
    }

    /** Chooses {@code option}. */
    static PermissionOutcome select(PermissionOption option) {
        return new Selected(option.optionId());
    }

    /** The cancelled outcome. */
    static PermissionOutcome cancelled() {
        return new Cancelled();
    }
}
