package dev.weft.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline: the only sanctioned way for a test to wait for something it cannot get a
 * latch or a future for. Never {@code Thread.sleep} to let something happen.
 */
public final class Await {
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await() {}

    /**
     * Returns as soon as {@code condition} holds, checking it at once and then after short parks (0.1 ms doubling to
     * 10 ms, never beyond the deadline). The condition is evaluated on the calling thread and must be cheap and
     * side-effect free; it may be evaluated once more at the deadline.
     *
     * @param condition what to wait for
     * @param deadline  how long to wait at most
     * @param what      what is awaited, for the failure message ("the reader thread to end")
     * @throws AssertionError when the deadline passes first; its message is {@code what} followed by a dump of all
     *                        threads, virtual ones included. Also when the caller is interrupted (a hard timeout
     *                        does that); the interrupt flag is then still set.
     */
    public static void until(BooleanSupplier condition, Duration deadline, String what) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(what, "what");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("Negative deadline " + deadline);
        }
        long end = System.nanoTime() + deadline.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("Interrupted while waiting for " + what);
            }
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                throw new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting for " + what
                        + System.lineSeparator() + "Thread dump:" + System.lineSeparator() + ThreadDumps.text());
            }
            LockSupport.parkNanos(Math.min(pause, remaining));
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
