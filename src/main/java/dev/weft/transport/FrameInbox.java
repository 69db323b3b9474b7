package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The handoff between a transport's reader thread (the pump, which offers frames) and its receiver (which takes them),
 * and the transport's sticky end.
 *
 * <p>Because the receiver waits here and never on the pipe, whoever ends the transport (the pump at end of stream, the
 * exit watcher, {@code close}) wakes it at once, whatever the pipe is doing.
 *
 * <p><b>State</b>, guarded by {@code lock}: {@code end == null} (open) {@code ->} {@code end != null} (ended), once.
 * An end that does not discard lets the frames already queued be taken first; then every {@link #take} throws. An end
 * that discards (our own close) drops them. {@link #discard()} may later drop them too, keeping the first end.
 *
 * <p><b>Bounded</b>: the queue holds at most {@code capacityBytes} of frames, or one frame of any size; {@link #offer}
 * blocks while it is full, so a receiver that does not keep up slows the peer down through the pipe instead of growing
 * the heap.
 */
final class FrameInbox {
    private final String description;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition(); // frames or end changed; both sides wait on it
    private final long capacityBytes;
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>(); // written by the pump, read by the receiver; lock
    private long queuedBytes; // sum of frames' lengths; lock
    private IOException end; // the terminal error, set once; lock

    FrameInbox(String description, long capacityBytes) {
        this.description = description;
        this.capacityBytes = capacityBytes;
    }

    /**
     * Queues a frame, waiting while the queue is full. Called by the pump only.
     *
     * @return {@code false} when the transport has ended: the frame is dropped and the pump should stop
     */
    boolean offer(byte[] frame) throws InterruptedException {
        lock.lock();
        try {
            while (end == null && !frames.isEmpty() && queuedBytes + frame.length > capacityBytes) {
                changed.await();
            }
            if (end != null) {
                return false;
            }
            frames.addLast(frame);
            queuedBytes += frame.length;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next frame, waiting for one. Called by the transport's single receiver.
     *
     * @throws IOException            a fresh copy of the terminal error (see {@link #endedError}) once the transport has
     *                                ended and no queued frame is left
     * @throws InterruptedIOException if the caller is interrupted while waiting; its interrupt flag is set again
     */
    byte[] take() throws IOException {
        lock.lock();
        try {
            while (frames.isEmpty()) {
                if (end != null) {
                    throw endedError();
                }
                changed.await();
            }
            byte[] frame = frames.removeFirst();
            queuedBytes -= frame.length;
            changed.signalAll();
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the transport with {@code cause} unless it has already ended. Idempotent: the first end wins.
     *
     * @param discard whether frames still queued are dropped (our own close) rather than delivered first
     * @return whether this call ended the transport
     */
    boolean end(IOException cause, boolean discard) {
        lock.lock();
        try {
            boolean first = end == null;
            if (first) {
                end = cause;
            }
            if (first && discard) {
                dropQueued();
            }
            changed.signalAll();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the frames still queued once the transport has ended, so that the next take throws at once. */
    void discard() {
        lock.lock();
        try {
            if (end != null) {
                dropQueued();
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropQueued() {
        frames.clear();
        queuedBytes = 0;
    }

    /** The terminal error, or {@code null} while the transport is open. */
    IOException end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} for the transport to end.
     *
     * @return the terminal error, or {@code null} if it is still open
     * @throws InterruptedException if interrupted while waiting
     */
    IOException awaitEnd(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (end == null && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return end;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fresh exception to throw at one more caller after the end, of the terminal error's kind and with the terminal
     * error as its cause, so each stack trace shows its own caller and every cause is the same object.
     */
    IOException endedError() {
        lock.lock();
        try {
            if (end == null) {
                throw new IllegalStateException("Not ended");
            }
            return copy(end);
        } finally {
            lock.unlock();
        }
    }

    private IOException copy(IOException terminal) {
        IOException fresh = switch (terminal) {
            case ProcessExitedException exited -> new ProcessExitedException(exited);
            case FrameTooLargeException tooLarge -> new FrameTooLargeException(tooLarge.limit(), description);
            case EOFException eof -> new EOFException(eof.getMessage());
            default -> new IOException(terminal.getMessage());
        };
        if (fresh.getCause() == null) {
            fresh.initCause(terminal);
        }
        return fresh;
    }
}
