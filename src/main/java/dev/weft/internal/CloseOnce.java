package dev.weft.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The close of a resource that many threads may close at once: the first closes it, the others wait until it has.
 * {@code state}: {@code OPEN -> CLOSING -> CLOSED}, once each, written under the owner's lock, read anywhere.
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     if (!closing.begin()) {
 *         return;                // closed, or closed by another thread meanwhile, which this one waited for
 *     }
 *     ...decide what to close, under the lock...
 * } finally {
 *     lock.unlock();
 * }
 * try {
 *     ...close it, after unlocking...
 * } finally {
 *     closing.finish();
 * }
 * }</pre>
 *
 * <p>Thread-safe: it uses its owner's lock, so that the owner may decide under the same lock what the close covers
 * (a state check and a registration stay atomic against it).
 */
public final class CloseOnce {
    /** Where the resource is. */
    public enum State { OPEN, CLOSING, CLOSED }

    private final ReentrantLock lock;
    private final Condition closed;
    private volatile State state = State.OPEN;

    /** @param lock the owner's lock, which guards what the close decides */
    public CloseOnce(ReentrantLock lock) {
        this.lock = lock;
        this.closed = lock.newCondition();
    }

    /**
     * Under the owner's lock: moves {@code OPEN} to {@code CLOSING} and returns {@code true} (this caller closes);
     * otherwise waits, uninterruptibly, until the closing thread has finished, and returns {@code false}.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the owner's lock
     */
    public boolean begin() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the owner's lock is not held");
        }
        return switch (state) {
            case OPEN -> {
                state = State.CLOSING;
                yield true;
            }
            case CLOSING -> {
                Uninterruptibles.awaitUninterruptibly(closed, () -> state == State.CLOSED);
                yield false;
            }
            case CLOSED -> false;
        };
    }

    /** The closing thread is done: {@code CLOSED}, and the waiting closers return. Takes the owner's lock. */
    public void finish() {
        lock.lock();
        try {
            state = State.CLOSED;
            closed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The state now; any thread. */
    public State state() {
        return state;
    }

    /** Whether the resource is open (not closing or closed); any thread. */
    public boolean isOpen() {
        return state == State.OPEN;
    }
}
