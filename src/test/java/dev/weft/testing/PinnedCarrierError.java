package dev.weft.testing;

import java.io.Serial;

/**
 * A virtual thread pinned its carrier (JFR {@code jdk.VirtualThreadPinned}) with one of our frames on its stack.
 * The message lists each event with its reason, duration, thread, the test whose run contained it, and its stack.
 */
public final class PinnedCarrierError extends AssertionError {
    @Serial
    private static final long serialVersionUID = 1L;

    PinnedCarrierError(String message) {
        super(message);
    }
}
