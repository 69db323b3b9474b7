package dev.weft.transport;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the thread reading one pipe is doing, so that once the process has exited, the exit watcher can tell when the
 * pipe has given up what the process wrote before it died, even when a grandchild keeps the pipe open and no end of
 * stream comes.
 *
 * <p>The reader reports each step ({@link #reading}, {@link #busy}, {@link #waitingForRoom}, {@link #done}); the
 * watcher {@linkplain #awaitSettled waits for it to settle}. A reader that has been blocked in {@code read} for a quiet
 * period after the exit has drained the pipe: the dead process writes nothing more, and a blocked read returns as soon
 * as bytes arrive.
 *
 * <p><b>State</b>, guarded by {@code lock}: {@code BUSY <-> READING}, {@code BUSY <-> WAITING}, any {@code -> DONE}
 * (final). {@code since} is when the current state was entered. Only the reader thread moves the state.
 */
final class PipeActivity {
    private enum State { BUSY, READING, WAITING, DONE }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private State state = State.BUSY; // lock
    private long since = System.nanoTime(); // when state was entered; lock
    private long waitedNanos; // total time in WAITING, past visits only; lock
    private int watchers; // threads in awaitSettled; lock

    /** The reader is about to block in {@code read}. */
    void reading() {
        move(State.READING);
    }

    /** The reader is working: a read returned, or room was found for a frame. */
    void busy() {
        move(State.BUSY);
    }

    /** The reader waits for the receiver to make room for a frame: not its own time, so not counted against it. */
    void waitingForRoom() {
        move(State.WAITING);
    }

    /** The reader will not report again (end of stream, error, or the transport ended). */
    void done() {
        move(State.DONE);
    }

    private void move(State next) {
        lock.lock();
        try {
            if (state == State.DONE) {
                return;
            }
            long now = System.nanoTime();
            if (state == State.WAITING) {
                waitedNanos += now - since;
            }
            state = next;
            since = now;
            if (watchers > 0) {
                moved.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the reader has taken in what the pipe held at {@code fromNanos}: until it is done, or has been blocked
     * in {@code read} for {@code quietNanos} counted from {@code fromNanos}, or has spent {@code budgetNanos} of its own
     * time since {@code fromNanos} (time spent waiting for the receiver to make room does not count).
     *
     * @return {@code true} when the reader is done or quiet, {@code false} when the budget ran out
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitSettled(long fromNanos, long quietNanos, long budgetNanos) throws InterruptedException {
        lock.lock();
        watchers++;
        try {
            long waitedAtStart = waitedUntil(System.nanoTime());
            while (true) {
                long now = System.nanoTime();
                long quietLeft = Long.MAX_VALUE;
                switch (state) {
                    case DONE -> {
                        return true;
                    }
                    case READING -> {
                        quietLeft = quietNanos - (now - Math.max(since, fromNanos));
                        if (quietLeft <= 0) {
                            return true;
                        }
                    }
                    case WAITING -> {
                        moved.await(); // the receiver's pace, not the reader's; close ends it
                        continue;
                    }
                    case BUSY -> {
                        // fall through to the budget
                    }
                    default -> throw new IllegalStateException("state " + state);
                }
                long budgetLeft = budgetNanos - ((now - fromNanos) - (waitedUntil(now) - waitedAtStart));
                if (budgetLeft <= 0) {
                    return false;
                }
                moved.awaitNanos(Math.min(quietLeft, budgetLeft));
            }
        } finally {
            watchers--;
            lock.unlock();
        }
    }

    /** Total time spent waiting for room until {@code now}, the current visit included. Caller holds the lock. */
    private long waitedUntil(long now) {
        return waitedNanos + (state == State.WAITING ? now - since : 0);
    }
}
