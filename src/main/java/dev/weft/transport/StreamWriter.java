package dev.weft.transport;

import dev.weft.internal.Uninterruptibles;
import dev.weft.jsonrpc.Response;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one {@link ServerStream} as the answer to one HTTP request, as its consumer, until the stream is done with
 * this response: the request's response was written, the server closed the stream, the session ended, another GET
 * took the stream over, or the client went away (a write failed). Everything here runs on the exchange's thread.
 *
 * <p>A request's POST is answered with one JSON body when the first thing to send is the response; otherwise (or when
 * nothing comes within the keep-alive time, or the server closes the stream first) it becomes an event stream: a
 * priming event (an id, {@code retry:}, empty data), then one event per message, each with the id the event store gave
 * it. A GET answer is always an event stream: the replayed events, a priming event, then live events.
 */
final class StreamWriter {
    private static final System.Logger LOG = System.getLogger(StreamableHttpServer.class.getName());

    private final ServerStream stream;
    private final ExchangeOut out;
    private final long keepAliveNanos;
    private final long retryMillis;
    private final String name;
    private final AtomicInteger mode = new AtomicInteger(WRITING);
    // Written by the exchange's thread before mode becomes HELD (which publishes them to wake()):
    private StreamableHttpServer server;
    private CountDownLatch handedOff;
    private int endedStatus;
    private byte[] endedBody;
    private long since; // from when the first wait for a message counts: construction, or hold
    private volatile boolean serving; // the exchange's thread runs the request's handler: from hold to answerPost

    private static final int WRITING = 0;
    private static final int HELD = 1;
    private static final int HANDED_OFF = 2;

    /**
     * @param name what this response is, for logs
     */
    StreamWriter(ServerStream stream, ExchangeOut out, HttpServerSpec spec, String name) {
        this.stream = stream;
        this.out = out;
        this.keepAliveNanos = spec.keepAlive().toNanos();
        this.retryMillis = spec.sseRetry().toMillis();
        this.name = name;
        this.since = System.nanoTime();
    }

    /**
     * Holds this writer while the exchange's thread serves the request; {@link #answerPost} ends the hold. Called by
     * the exchange's thread, once, after attaching this writer to the request's fresh stream.
     *
     * @param endedStatus as for {@link #answerPost}, for the thread that takes the writing over
     */
    void hold(StreamableHttpServer server, int endedStatus, byte[] endedBody) {
        this.server = server;
        this.endedStatus = endedStatus;
        this.endedBody = endedBody;
        this.handedOff = new CountDownLatch(1);
        this.since = System.nanoTime();
        this.serving = true;
        mode.set(HELD);
        server.held(this);
    }

    /**
     * Something must reach the client while this writer is held: the writing goes on at once on a virtual thread of
     * its own. Any thread; never blocks; does nothing unless the writer is held.
     */
    void wake() {
        if (mode.get() == HELD && mode.compareAndSet(HELD, HANDED_OFF)) {
            Thread.ofVirtual().name(server.threadPrefix() + "-writer").start(() -> {
                try {
                    write(endedStatus, endedBody);
                } finally {
                    handedOff.countDown();
                }
            });
        }
    }

    /** How long this writer has been held at {@code now} ({@link System#nanoTime}); -1 when it is not held. */
    long heldNanos(long now) {
        return mode.get() == HELD ? now - since : -1;
    }

    /** The keep-alive time: a writer held that long must show life. */
    long keepAliveNanos() {
        return keepAliveNanos;
    }

    /**
     * Answers a request's POST, on the exchange's thread. The caller has attached this writer to a fresh request stream
     * (and held it, if it served the request itself; a writer woken meanwhile is waited for instead).
     *
     * @param endedStatus the status to answer if the session ends before anything was sent (404, or 503 when the
     *                    server closes)
     */
    void answerPost(int endedStatus, byte[] endedBody) {
        if (mode.get() != WRITING) {
            serving = false;
            server.released(this);
            if (!mode.compareAndSet(HELD, WRITING)) {
                Uninterruptibles.awaitUninterruptibly(handedOff); // woken meanwhile: another thread writes
                return;
            }
        }
        write(endedStatus, endedBody);
    }

    private void write(int endedStatus, byte[] endedBody) {
        try {
            if (decide(endedStatus, endedBody)) {
                pump();
            }
        } catch (IOException e) {
            broken(e);
        }
    }

    /**
     * Waits for the first thing to send and answers with JSON if it is the response; otherwise starts the event stream.
     *
     * @return {@code true} when the event stream was started and the rest is to be pumped, {@code false} when done
     */
    private boolean decide(int endedStatus, byte[] endedBody) throws IOException {
        ServerStream.Next next = stream.next(this, Math.max(0, since + keepAliveNanos - System.nanoTime()), false);
        switch (next) {
            case ServerStream.Take take when take.message() instanceof Response -> {
                out.json(take.data());
                return false;
            }
            case ServerStream.Take take -> {
                if (!startEvents()) {
                    return false;
                }
                String eventId = stream.append(this, take.data());
                if (eventId == null) {
                    out.finish();
                    return false;
                }
                out.event(eventId, take.data());
                stream.written(this, eventId);
                return true;
            }
            case ServerStream.Signal signal -> {
                switch (signal) {
                    case ENDED -> {
                        leaveConnectionIfServing();
                        out.status(endedStatus, endedBody);
                        return false;
                    }
                    case TIMEOUT, CLOSE -> {
                        if (signal == ServerStream.Signal.CLOSE) {
                            leaveConnectionIfServing();
                        }
                        if (!startEvents()) {
                            return false;
                        }
                        if (signal == ServerStream.Signal.CLOSE) {
                            close();
                            return false;
                        }
                        return true;
                    }
                    case COMPLETE, SUPERSEDED -> { // cancelled by the client before anything was sent
                        leaveConnectionIfServing();
                        out.startEvents();
                        out.finish();
                        return false;
                    }
                    default -> throw new IllegalStateException("signal " + signal);
                }
            }
        }
    }

    /**
     * This response ends before the request's handler is done (cancelled, closed, the session ended): if the
     * exchange's thread still runs the handler, the connection is not to be reused, since the server reads nothing
     * more from it until the handler returns, as with any blocking servlet. Only before the headers are sent; a response
     * that has started keeps its connection busy until then.
     */
    private void leaveConnectionIfServing() {
        if (serving) {
            out.closeConnection();
        }
    }

    /** Starts the event stream with its priming event; {@code false} (and the response ended) if superseded. */
    private boolean startEvents() throws IOException {
        String primingId = stream.prime(this);
        if (primingId == null) {
            out.finish();
            return false;
        }
        out.startEvents();
        out.prime(primingId, retryMillis);
        return true;
    }

    /** Answers a GET: replays {@code replay}, primes, and goes on live. The caller has attached this writer. */
    void answerGet(List<EventStore.Event> replay) {
        try {
            out.startEvents();
            for (EventStore.Event event : replay) {
                if (event.data().length > 0) {
                    out.event(event.id(), event.data());
                    stream.written(this, event.id());
                }
            }
            String primingId = stream.prime(this);
            if (primingId == null) {
                out.finish();
                return;
            }
            out.prime(primingId, retryMillis);
            pump();
        } catch (IOException e) {
            broken(e);
        }
    }

    /** Writes live events until the stream is done with this response. */
    private void pump() throws IOException {
        while (true) {
            ServerStream.Next next = stream.next(this, keepAliveNanos, true);
            switch (next) {
                case ServerStream.Take take -> {
                    out.event(take.eventId(), take.data());
                    stream.written(this, take.eventId());
                    if (take.message() instanceof Response && stream.request() != null) {
                        stream.detach(this);
                        out.finish();
                        return;
                    }
                }
                case ServerStream.Signal signal -> {
                    switch (signal) {
                        case TIMEOUT -> out.keepAlive();
                        case CLOSE -> {
                            close();
                            return;
                        }
                        case COMPLETE, ENDED, SUPERSEDED -> {
                            stream.detach(this);
                            out.finish();
                            return;
                        }
                        default -> throw new IllegalStateException("signal " + signal);
                    }
                }
            }
        }
    }

    /** Ends this response at the server's request; the stream lives on for a GET that resumes it. */
    private void close() {
        stream.detach(this);
        out.finish();
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": event stream closed by the server; the client may resume");
    }

    /**
     * The client went away: the stream lives on in the event store (but a response that was being written as JSON,
     * which has no event id, is lost with the connection).
     */
    private void broken(IOException e) {
        stream.detach(this);
        out.fail(e);
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": the client went away (" + e + "); what is left of "
                + stream + " goes on in the event store");
    }
}
