package dev.weft.transport;

import dev.weft.jsonrpc.Response;
import java.io.IOException;
import java.util.List;

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

    /**
     * @param name what this response is, for logs
     */
    StreamWriter(ServerStream stream, ExchangeOut out, HttpServerSpec spec, String name) {
        this.stream = stream;
        this.out = out;
        this.keepAliveNanos = spec.keepAlive().toNanos();
        this.retryMillis = spec.sseRetry().toMillis();
        this.name = name;
    }

    /**
     * Answers a request's POST. The caller has attached this writer to a fresh request stream.
     *
     * @param endedStatus the status to answer if the session ends before anything was sent (404, or 503 when the
     *                    server closes)
     */
    void answerPost(int endedStatus, byte[] endedBody) {
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
        ServerStream.Next next = stream.next(this, keepAliveNanos, false);
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
                        out.status(endedStatus, endedBody);
                        return false;
                    }
                    case TIMEOUT, CLOSE -> {
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
                        out.startEvents();
                        out.finish();
                        return false;
                    }
                    default -> throw new IllegalStateException("signal " + signal);
                }
            }
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
