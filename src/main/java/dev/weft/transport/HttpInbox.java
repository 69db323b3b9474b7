package dev.weft.transport;

import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.RequestFailedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The handoff between the threads of a {@link StreamableHttpTransport} that read HTTP responses (which offer what they
 * read) and its receiver (which takes it), and the transport's sticky end.
 *
 * <p>An item is a {@link Message}, a {@link MalformedMessageException} (a frame that was not a message) or a
 * {@link RequestFailedException} (one request will get no answer). Each reader thread offers in the order it read,
 * so messages of one stream are received in their order on the wire.
 *
 * <p><b>State</b>, guarded by {@code lock}: {@code end == null} (open) {@code ->} {@code end != null} (ended), once.
 * An end that discards drops the items still queued; otherwise they are taken first. After the end, {@link #offer}
 * drops the item and returns {@code false}.
 *
 * <p><b>Bounded</b>: at most {@code capacityBytes} of items, or one item of any size; {@link #offer} waits while the
 * queue is full, so a receiver that falls behind slows the streams down instead of growing the heap.
 */
final class HttpInbox {
    private record Item(Object value, long bytes) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition(); // items or end changed; both sides wait on it
    private final long capacityBytes;
    private final ArrayDeque<Item> items = new ArrayDeque<>(); // lock
    private long queuedBytes; // lock
    private IOException end; // set once; lock

    HttpInbox(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Queues an item of about {@code bytes}, waiting while the queue is full.
     *
     * @return {@code false} when the transport has ended: the item is dropped
     * @throws InterruptedException if interrupted while waiting
     */
    boolean offer(Object item, long bytes) throws InterruptedException {
        if (!(item instanceof Message || item instanceof MalformedMessageException
                || item instanceof RequestFailedException)) {
            throw new IllegalArgumentException("not an inbox item: " + item);
        }
        lock.lock();
        try {
            while (end == null && !items.isEmpty() && queuedBytes + bytes > capacityBytes) {
                changed.await();
            }
            if (end != null) {
                return false;
            }
            items.addLast(new Item(item, bytes));
            queuedBytes += bytes;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next item, waiting for one. One caller: the transport's receiver.
     *
     * @throws IOException            a fresh copy of the terminal error, once ended and nothing is left
     * @throws InterruptedIOException if interrupted while waiting; the interrupt flag is set again
     */
    Object take() throws IOException {
        lock.lock();
        try {
            while (items.isEmpty()) {
                if (end != null) {
                    throw copy(end);
                }
                changed.await();
            }
            Item item = items.removeFirst();
            queuedBytes -= item.bytes();
            changed.signalAll();
            return item.value();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the inbox with {@code cause} unless it has ended already (the first end wins).
     *
     * @param discard whether the items still queued are dropped rather than taken first
     * @return whether this call ended it
     */
    boolean end(IOException cause, boolean discard) {
        lock.lock();
        try {
            boolean first = end == null;
            if (first) {
                end = cause;
            }
            if (discard) {
                items.clear();
                queuedBytes = 0;
            }
            changed.signalAll();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** The terminal error, or {@code null} while open. */
    IOException end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A fresh exception for one more caller after the end: of the terminal error's kind, with the terminal error as its
     * cause, so each stack shows its own caller and every cause chain leads to the same object.
     *
     * @throws IllegalStateException if not ended
     */
    IOException endedError() {
        IOException terminal = end();
        if (terminal == null) {
            throw new IllegalStateException("Not ended");
        }
        return copy(terminal);
    }

    private static IOException copy(IOException terminal) {
        IOException fresh = switch (terminal) {
            case SessionExpiredException expired -> new SessionExpiredException(expired.sessionId(), expired.uri());
            case EOFException eof -> new EOFException(eof.getMessage());
            default -> new IOException(terminal.getMessage());
        };
        fresh.initCause(terminal);
        return fresh;
    }
}
