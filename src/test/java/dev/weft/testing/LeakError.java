package dev.weft.testing;

import java.io.Serial;

/**
 * A test left weft threads or child processes alive past its leak deadline. The message names every leaked thread
 * with its stack and every leaked process with pid and command line. Thrown by {@link LeakCheck}.
 */
public final class LeakError extends AssertionError {
    @Serial
    private static final long serialVersionUID = 1L;

    LeakError(String message) {
        super(message);
    }
}
