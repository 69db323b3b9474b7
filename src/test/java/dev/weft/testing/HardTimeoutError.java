package dev.weft.testing;

import java.io.Serial;

/**
 * A test (or one of its lifecycle methods) ran past its {@link HardTimeout}. The message names the thread-dump file;
 * the stack trace is the test thread's stack at the moment the timeout fired (not where this error was created).
 */
public final class HardTimeoutError extends AssertionError {
    @Serial
    private static final long serialVersionUID = 1L;

    HardTimeoutError(String message, StackTraceElement[] testThreadStack) {
        super(message);
        setStackTrace(testThreadStack);
    }
}
