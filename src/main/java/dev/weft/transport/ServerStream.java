package dev.weft.transport;

import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One event stream of a server session: the response stream of one client request, or the session's standalone GET
 * stream. Senders (the session's {@code send}) {@linkplain #offer offer} messages; at most one <em>consumer</em> (the
 * HTTP exchange that writes the stream: the request's POST, a GET that resumes it, the standalone GET) takes them with
 * {@link #next}. While no consumer is attached (the client went away, or the server ended the response with
 * {@link #requestClose}), messages go straight to the {@link EventStore}, and a GET with {@code Last-Event-ID} attaches
 * a new consumer that first replays them.
 *
 * <p><b>No loss, no repeat.</b> Every message gets its event id when it enters the store, and that happens under
 * {@code lock}: when a consumer takes it ({@link #next}), or when it is offered or left over while no consumer is
 * attached. A consumer that attaches computes its replay under the same lock, so the replay holds exactly the events
 * stored before it and the queue exactly those after. A GET that resumes a stream whose consumer is still attached
 * (the client noticed the break first) takes the stream over: the old consumer's next {@link #next} says
 * {@link Signal#SUPERSEDED}.
 *
 * <p><b>State</b>, guarded by {@code lock}: {@code consumer} ({@code null} or the attached one); {@code responseOffered}
 * (a request stream's response was offered: it takes nothing more) {@code ->} {@code complete} (the response left the
 * queue: taken by a consumer or stored); {@code closeRequested} (cleared by the next attach or detach); {@code ended}
 * (the session ended; final). The event store is called under the lock (see {@link EventStore}); nothing else is.
 *
 * <p>Thread-safe: any number of senders, consumers come and go; each method takes {@code lock} briefly, except
 * {@link #next}, which waits for a message. The session is told of completion, and a consumer
 * {@linkplain StreamWriter#wake woken} (it may be held while its exchange's thread serves the request), after the
 * lock is released.
 */
final class ServerStream {
    /** What {@link #next} hands its consumer. */
    sealed interface Next permits Take, Signal {}

    /**
     * A message to write.
     *
     * @param eventId its event id, or {@code null} when it was taken without storing (a response written as JSON)
     */
    record Take(Message message, byte[] data, String eventId) implements Next {}

    /** Why {@link #next} returned without a message. */
    enum Signal implements Next {
        /** Nothing came within the wait: show life. */
        TIMEOUT,
        /** The server asked to end this HTTP response; the stream lives on. */
        CLOSE,
        /** The stream is complete: its response (or cancellation) was handed out, nothing is left to write. */
        COMPLETE,
        /** Another consumer took the stream over. */
        SUPERSEDED,
        /** The session ended. */
        ENDED
    }

    /** How {@link #attach} went. */
    enum Outcome { OK, CONFLICT, UNKNOWN_EVENT, ENDED }

    /** How {@link #attach} went, and on {@code OK} the events to write before the live ones. */
    record Attachment(Outcome outcome, List<EventStore.Event> replay) {
        static final Attachment CONFLICT = new Attachment(Outcome.CONFLICT, List.of());
        static final Attachment UNKNOWN_EVENT = new Attachment(Outcome.UNKNOWN_EVENT, List.of());
        static final Attachment ENDED = new Attachment(Outcome.ENDED, List.of());
    }

    private record Pending(Message message, byte[] data) {}

    private static final byte[] PRIMING = new byte[0];

    private final HttpSessionTransport session;
    private final String id;
    private final RequestId request;
    private final EventStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // offered, waiting for the consumer; lock
    private StreamWriter consumer; // lock
    private boolean responseOffered; // lock
    private boolean complete; // lock
    private boolean closeRequested; // lock
    private boolean ended; // lock
    private String lastWritten; // the id of the last event a consumer wrote; lock

    /**
     * @param id      the stream id in the event store
     * @param request the client request it answers, or {@code null} for the standalone stream
     */
    ServerStream(HttpSessionTransport session, String id, RequestId request, EventStore store) {
        this.session = session;
        this.id = id;
        this.request = request;
        this.store = store;
    }

    String id() {
        return id;
    }

    /** The client request this stream answers, or {@code null} for the standalone stream. */
    RequestId request() {
        return request;
    }

    /**
     * Hands a message to the consumer, or to the store while none is attached. A response completes a request stream.
     *
     * @param data the encoded message
     * @return {@code false} if the stream takes nothing more (its response was offered, or the session ended)
     */
    boolean offer(Message message, byte[] data) {
        boolean completed = false;
        StreamWriter wake = null;
        lock.lock();
        try {
            if (ended || responseOffered) {
                return false;
            }
            boolean response = request != null && message instanceof Response;
            responseOffered = response;
            if (consumer != null) {
                queue.addLast(new Pending(message, data));
                changed.signalAll();
                wake = response ? null : consumer; // a held writer takes the response once its request is served
            } else {
                store.append(id, data);
                completed = response && markComplete();
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake();
        }
        if (completed) {
            session.streamComplete(this);
        }
        return true;
    }

    /** Marks the stream complete; caller holds lock. Returns whether this call did. */
    private boolean markComplete() {
        boolean first = !complete;
        complete = true;
        changed.signalAll();
        return first;
    }

    /**
     * The client cancelled the request: the stream completes without a response, after what is already queued.
     * Idempotent.
     */
    void cancel() {
        boolean completed;
        StreamWriter wake;
        lock.lock();
        try {
            responseOffered = true;
            completed = queue.isEmpty() && markComplete();
            wake = consumer;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake(); // the response ends now, whether or not the handler heeds the cancel
        }
        if (completed) {
            session.streamComplete(this);
        }
    }

    /**
     * Attaches {@code newConsumer} as the stream's consumer.
     *
     * @param resumeFrom the client's {@code Last-Event-ID}, or {@code null}: a fresh consumer of a new request stream
     *                   (no replay), or the standalone stream opened anew (it replays what its last consumer did not
     *                   write, and refuses while a consumer is attached)
     * @return {@code OK} and the events to write first; or why not
     */
    Attachment attach(StreamWriter newConsumer, String resumeFrom) {
        lock.lock();
        try {
            if (ended) {
                return Attachment.ENDED;
            }
            List<EventStore.Event> events;
            if (resumeFrom != null) {
                events = store.replay(id, resumeFrom);
                if (events == null) {
                    return Attachment.UNKNOWN_EVENT;
                }
            } else if (request == null) {
                if (consumer != null) {
                    return Attachment.CONFLICT;
                }
                events = store.replay(id, lastWritten);
                if (events == null) {
                    events = store.replay(id, null); // its last event was evicted: all that is left
                }
            } else {
                events = List.of();
            }
            consumer = newConsumer;
            closeRequested = false;
            changed.signalAll(); // a superseded consumer learns it at once
            return new Attachment(Outcome.OK, events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code nanos} for the next message for {@code self}.
     *
     * @param store whether the message gets its event id (else it is handed out unstored, for a JSON answer)
     */
    Next next(StreamWriter self, long nanos, boolean store) {
        boolean completed = false;
        Next next;
        lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                if (consumer != self) {
                    next = Signal.SUPERSEDED;
                    break;
                }
                if (ended) {
                    next = Signal.ENDED;
                    break;
                }
                if (closeRequested) {
                    next = Signal.CLOSE;
                    break;
                }
                Pending pending = queue.pollFirst();
                if (pending != null) {
                    String eventId = store ? this.store.append(id, pending.data()) : null;
                    if (responseOffered && queue.isEmpty()) {
                        completed = markComplete(); // the response, or the last message before a cancel
                    }
                    next = new Take(pending.message(), pending.data(), eventId);
                    break;
                }
                if (complete) {
                    next = Signal.COMPLETE;
                    break;
                }
                if (remaining <= 0) {
                    next = Signal.TIMEOUT;
                    break;
                }
                try {
                    remaining = changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    next = Signal.ENDED;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (completed) {
            session.streamComplete(this);
        }
        return next;
    }

    /**
     * Stores an event for {@code self} and returns its id: a priming event ({@code data} empty) or a message that
     * {@link #next} handed out unstored. {@code null} if {@code self} is no longer the consumer.
     */
    String append(StreamWriter self, byte[] data) {
        lock.lock();
        try {
            return consumer == self ? store.append(id, data) : null;
        } finally {
            lock.unlock();
        }
    }

    /** Stores a priming event for {@code self}; see {@link #append}. */
    String prime(StreamWriter self) {
        return append(self, PRIMING);
    }

    /** Records that {@code self} wrote the event {@code eventId}. */
    void written(StreamWriter self, String eventId) {
        lock.lock();
        try {
            if (consumer == self) {
                lastWritten = eventId;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Detaches {@code self} (its response ended or broke): what it has not taken goes to the store, in order, and so
     * does whatever is offered until the next consumer attaches. Does nothing if {@code self} is not the consumer.
     */
    void detach(StreamWriter self) {
        boolean completed = false;
        lock.lock();
        try {
            if (consumer != self) {
                return;
            }
            consumer = null;
            closeRequested = false;
            for (Pending pending : queue) {
                store.append(id, pending.data());
            }
            queue.clear();
            if (responseOffered) {
                completed = markComplete();
            }
        } finally {
            lock.unlock();
        }
        if (completed) {
            session.streamComplete(this);
        }
    }

    /** Asks the attached consumer to end its HTTP response; {@code false} if none is attached. Never blocks. */
    boolean requestClose() {
        StreamWriter wake;
        lock.lock();
        try {
            if (consumer == null || ended || complete) {
                return false;
            }
            closeRequested = true;
            changed.signalAll();
            wake = consumer;
        } finally {
            lock.unlock();
        }
        wake.wake();
        return true;
    }

    /** The session ended: the consumer ends its response, nothing more is taken. Idempotent; never blocks. */
    void end() {
        StreamWriter wake;
        lock.lock();
        try {
            ended = true;
            queue.clear();
            changed.signalAll();
            wake = consumer;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.wake();
        }
    }

    @Override
    public String toString() {
        return "stream " + id + (request == null ? " (standalone)" : " (request " + request + ")");
    }
}
