package dev.weft.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The handoff between a transport's reader threads (which offer what they read) and its single receiver (which takes
 * it), and the transport's sticky end. The stdio transport queues frames; the Streamable HTTP transport queues decoded
 * items.
 *
 * <p>Because the receiver waits here and never on the wire, whoever ends the transport (a reader at end of stream, a
 * watcher, {@code close}) wakes it at once, whatever the wire is doing.
 *
 * <p><b>Thread-safety</b>: safe for any number of offering threads, one receiver and any number of enders; every
 * method takes {@code lock}, and everything a thread does before {@link #offer} happens-before the {@link #take} that
 * returns its item. Each reader's items are taken in the order it offered them.
 *
 * <p><b>State</b>, guarded by {@code lock}: {@code end == null} (open) {@code ->} {@code end != null} (ended), once;
 * the first end wins. An end that does not discard lets the items already queued be taken first; then every
 * {@link #take} throws. An end that discards (our own close) drops them, even when an earlier end is kept. After the
 * end, {@link #offer} drops the item and returns {@code false}.
 *
 * <p><b>The direct route</b>: an offering thread hands its item to the {@linkplain #routeDirectly direct route} when
 * nothing is queued, the receiver holds no item (it has come back to {@link #take} for more since it last took one) and
 * no other reader is routing: it decides so under {@code lock} and marks itself {@code routing}, then routes after
 * unlocking (the route wakes threads). What the route declines is queued then, and what arrives meanwhile, or while the
 * receiver is behind, is queued too. So each reader's items reach the route and the receiver, together, in the order
 * it offered them, and a message takes no thread hand-off on its way in the common case: the receiver's wake-up costs
 * more than the rest of a fast call.
 *
 * <p><b>Bounded</b>, the invariant: {@code queuedBytes} is the sum of the queued items' sizes, and it is at most
 * {@code capacityBytes} unless a single item is queued. {@link #offer} waits while the queue is full, so a receiver
 * that falls behind slows the readers (and through them the peer) down instead of growing the heap.
 *
 * @param <T> what is queued
 */
final class BoundedInbox<T> {
    private record Entry<T>(T item, long bytes) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition(); // entries or end changed; both sides wait on it
    private final long capacityBytes;
    private final UnaryOperator<IOException> copyEnd; // makes the fresh error for one more caller after the end
    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>(); // written by readers, read by the receiver; lock
    private long queuedBytes; // sum of entries' bytes; lock
    private volatile IOException end; // the terminal error, set once under lock; read without it by end()
    private boolean receiverHolding; // the receiver took an item and has not come back to take() since; lock
    private boolean routing; // a reader is handing an item to the direct route, outside the lock; lock
    private volatile Predicate<? super T> direct; // set once by routeDirectly; called under lock

    /**
     * @param capacityBytes how many bytes of items may wait (one item of any size always may)
     * @param copyEnd       given the terminal error, a fresh exception of its kind for one more caller; if that has
     *                      no cause, the terminal error becomes its cause (see {@link #endedError})
     */
    BoundedInbox(long capacityBytes, UnaryOperator<IOException> copyEnd) {
        this.capacityBytes = capacityBytes;
        this.copyEnd = copyEnd;
    }

    /**
     * Sets the direct route: a test that takes an item on the offering thread, returning {@code false} to have it queued
     * after all. It runs on one reader at a time, outside the inbox's lock; the transport may end while it runs, so what
     * it delivers must tolerate a late end (the connection's pending calls do). It must be quick and must not block.
     * Set it once, before the first offer.
     */
    void routeDirectly(Predicate<? super T> route) {
        direct = route;
    }

    /**
     * Hands an item of about {@code bytes} to the direct route (when nothing is queued and the receiver holds no item)
     * or, when the route declines it or may not have it yet, queues it, waiting while the queue is full. Called by
     * reader threads.
     *
     * @return {@code false} when the transport has ended: the item is dropped and the reader should stop
     * @throws InterruptedException if interrupted while waiting; nothing is queued
     */
    boolean offer(T item, long bytes) throws InterruptedException {
        Predicate<? super T> route = direct;
        lock.lock();
        try {
            if (end != null) {
                return false;
            }
            if (route == null || receiverHolding || routing || !entries.isEmpty()) {
                return enqueue(item, bytes);
            }
            routing = true; // decided under the lock: this thread routes, and nobody else until it is done
        } finally {
            lock.unlock();
        }
        boolean taken = routed(route, item); // acted on after unlocking: the route wakes threads
        lock.lock();
        try {
            routing = false;
            if (taken) {
                return true;
            }
            if (end != null) {
                return false;
            }
            entries.addLast(new Entry<>(item, bytes)); // declined: queued, capacity or not, as if first in line
            queuedBytes += bytes;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code item}, waiting while the queue is full; the caller holds {@code lock}. */
    private boolean enqueue(T item, long bytes) throws InterruptedException {
        while (end == null && !entries.isEmpty() && queuedBytes + bytes > capacityBytes) {
            changed.await();
        }
        if (end != null) {
            return false;
        }
        entries.addLast(new Entry<>(item, bytes));
        queuedBytes += bytes;
        changed.signalAll();
        return true;
    }

    /** Whether the direct route took {@code item}; one that fails leaves the item to the receiver. */
    private static <T> boolean routed(Predicate<? super T> route, T item) {
        try {
            return route.test(item);
        } catch (RuntimeException e) {
            return false; // the receiver meets the item again and reports what is wrong with it
        }
    }

    /**
     * Takes the next item, waiting for one. Called by the transport's single receiver.
     *
     * @throws IOException            a fresh copy of the terminal error (see {@link #endedError}) once the transport has
     *                                ended and no queued item is left
     * @throws InterruptedIOException if the caller is interrupted while waiting; its interrupt flag is set again
     */
    T take() throws IOException {
        lock.lock();
        try {
            receiverHolding = false; // back for more: whatever it took before is handed on
            while (entries.isEmpty()) {
                if (end != null) {
                    throw copy(end);
                }
                changed.await();
            }
            Entry<T> entry = entries.removeFirst();
            receiverHolding = true;
            queuedBytes -= entry.bytes();
            changed.signalAll();
            return entry.item();
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
     * @param discard whether items still queued are dropped (our own close) rather than taken first; they are dropped
     *                even when the transport had already ended, and that earlier end is kept
     * @return whether this call ended the transport
     */
    boolean end(IOException cause, boolean discard) {
        lock.lock();
        try {
            boolean first = end == null;
            if (first) {
                end = cause;
            }
            if (discard) {
                entries.clear();
                queuedBytes = 0;
            }
            changed.signalAll();
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** The terminal error, or {@code null} while the transport is open. */
    IOException end() {
        return end; // volatile: senders check it on every message, and must not queue behind the readers for the lock
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
     * error as its cause, so each stack trace shows its own caller and every cause chain leads to the same object.
     *
     * @throws IllegalStateException if the transport has not ended
     */
    IOException endedError() {
        IOException terminal = end();
        if (terminal == null) {
            throw new IllegalStateException("Not ended");
        }
        return copy(terminal);
    }

    private IOException copy(IOException terminal) {
        IOException fresh = copyEnd.apply(terminal);
        if (fresh.getCause() == null) {
            fresh.initCause(terminal);
        }
        return fresh;
    }
}
