package dev.weft.jsonrpc;

import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets one caller of a connection at a time wait for its answer by spinning briefly before it parks: a fast peer's
 * answer then arrives while the caller is still running, and costs no wake-up. Waking a parked thread costs tens of
 * microseconds on a virtual machine whose idle CPUs halt, which is more than a fast local peer takes to answer.
 *
 * <p>The spin yields on every turn, so a runnable thread that needs the processor (the peer, the transport's reader)
 * gets it; it is bounded by {@link #BUDGET_NANOS} and by an interrupt; and only one thread per connection spins, so a
 * crowd of callers costs at most one spinning thread. On a single processor nobody spins.
 *
 * <p>Thread-safe.
 */
final class BriefSpin {
    /** How long a caller spins before it parks: about two round trips to a fast local peer. */
    static final long BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final boolean MULTIPROCESSOR = Runtime.getRuntime().availableProcessors() > 1;

    private final AtomicBoolean taken = new AtomicBoolean();

    /**
     * Polls {@code queue} until it yields an element, the budget is spent, or the thread is interrupted; returns
     * {@code null} at once when another thread is spinning.
     */
    <T> T poll(Queue<T> queue) {
        if (!MULTIPROCESSOR || !taken.compareAndSet(false, true)) {
            return null;
        }
        try {
            long deadline = System.nanoTime() + BUDGET_NANOS;
            do {
                T element = queue.poll();
                if (element != null) {
                    return element;
                }
                Thread.yield();
            } while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted());
            return null;
        } finally {
            taken.set(false);
        }
    }
}
