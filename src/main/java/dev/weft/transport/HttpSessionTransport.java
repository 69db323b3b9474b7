package dev.weft.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transport of one session of a {@link StreamableHttpServer} (or, in stateless mode, of one POST): what the
 * client POSTs arrives through {@link #receive}; what the server sends goes out on the right stream.
 *
 * <h2>Where a message goes</h2>
 * <ul>
 *   <li>A {@link Response} goes to the stream of the client request it answers, whatever {@code relatedTo} says; if
 *       that request has no open stream (answered, cancelled, unknown), it is dropped with a {@code DEBUG} log.</li>
 *   <li>A request or notification related to a client request goes on that request's stream; once that stream is
 *       complete, on the standalone stream.</li>
 *   <li>An unrelated one goes on the standalone stream (in stateless mode: on the POST's stream, or nowhere).</li>
 * </ul>
 * A stream whose HTTP response is gone keeps its messages in the event store until the client resumes it.
 *
 * <h2>End</h2>
 * Sticky, the first wins: {@link #close} ({@code EOFException}), DELETE ({@code EOFException}), idle reaping
 * ({@code IOException}), the server's close. The end wakes {@code receive} at once, ends every open response, drops
 * the session's events from the store, and removes the session from the server.
 *
 * <p>Thread-safe. {@code receive} has one caller; {@code send} never blocks beyond encoding and the event store.
 * Fields under {@code lock}: {@code requests}, {@code streams}, {@code nextStream}, {@code terminal},
 * {@code exchanges}, {@code idleSince}.
 */
final class HttpSessionTransport implements Transport, HttpServerSession {
    private static final System.Logger LOG = System.getLogger(StreamableHttpServer.class.getName());
    private static final long INBOX_BYTES = 1024 * 1024;

    private final StreamableHttpServer server;
    private final String sessionId;
    private final String key;
    private final BoundedInbox<Message> inbox = new BoundedInbox<>(INBOX_BYTES, HttpSessionTransport::copyEnd);
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<RequestId, ServerStream> requests = new HashMap<>(); // open request streams
    private final Map<String, ServerStream> streams = new HashMap<>(); // open streams by stream id, standalone too
    private final ServerStream standalone; // null when stateless
    private volatile Predicate<Request> direct; // set once, before the first message, by the connection
    private int nextStream = 1;
    private IOException terminal;
    private int exchanges; // HTTP exchanges of this session in progress
    private long idleSince = System.nanoTime();

    /**
     * @param sessionId the session id, or {@code null} when stateless
     * @param key       a unique, unguessable prefix of this session's stream ids (the session id when there is one)
     */
    HttpSessionTransport(StreamableHttpServer server, String sessionId, String key) {
        this.server = server;
        this.sessionId = sessionId;
        this.key = key;
        this.standalone = sessionId == null ? null
                : new ServerStream(this, key + "_0", null, server.spec().eventStore());
        if (standalone != null) {
            streams.put(standalone.id(), standalone);
        }
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    /** The server's key for this session: its id, or a random key in stateless mode. */
    String key() {
        return key;
    }

    // ---- what the HTTP side does ----

    /**
     * Opens the stream of a client request, before the request is handed to {@link #receive}.
     *
     * @return the stream, or {@code null} when another request with that id is in flight
     * @throws IOException when the session has ended
     */
    ServerStream openRequest(RequestId id) throws IOException {
        lock.lock();
        try {
            if (terminal != null) {
                throw inbox.endedError();
            }
            if (requests.containsKey(id)) {
                return null;
            }
            ServerStream stream = new ServerStream(this, key + "_" + nextStream++, id, server.spec().eventStore());
            requests.put(id, stream);
            streams.put(stream.id(), stream);
            return stream;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands a message from the client to the receiver; waits while the inbox is full. A cancel of a request in flight
     * also completes that request's stream, since no response will come.
     *
     * @return {@code false} if the session has ended
     */
    boolean deliver(Message message, long bytes) {
        if (message instanceof Notification n && n.method().equals("notifications/cancelled")) {
            cancelled(n.params());
        }
        try {
            return inbox.offer(message, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void cancelled(JsonNode params) {
        JsonNode id = params == null ? null : params.get("requestId");
        RequestId requestId = id == null ? null : id.isTextual() ? RequestId.of(id.textValue())
                : id.canConvertToLong() ? RequestId.of(id.longValue()) : null;
        ServerStream stream = requestId == null ? null : stream(requestId);
        if (stream != null) {
            stream.cancel();
        }
    }

    /**
     * Serves {@code request} on the calling thread, the thread of its POST, when the connection lets it (see
     * {@link Transport#serveDirectly}); its stream must be open. Blocks while the handler runs.
     *
     * @return {@code true} when it was served (its answer, if any, is on its stream); {@code false} when it is still
     *         to be {@linkplain #deliver delivered}
     */
    boolean serveHere(Request request) {
        Predicate<Request> server = direct;
        return server != null && !ended() && server.test(request);
    }

    private ServerStream stream(RequestId id) {
        lock.lock();
        try {
            return requests.get(id);
        } finally {
            lock.unlock();
        }
    }

    /** The open stream with this id, or {@code null}. */
    ServerStream stream(String streamId) {
        lock.lock();
        try {
            return streams.get(streamId);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code streamId} is one of this session's stream ids. */
    boolean owns(String streamId) {
        return streamId.startsWith(key + "_");
    }

    /** The standalone stream, or {@code null} in stateless mode. */
    ServerStream standalone() {
        return standalone;
    }

    /** Called by a stream once complete: it leaves the open streams. */
    void streamComplete(ServerStream stream) {
        lock.lock();
        try {
            requests.remove(stream.request(), stream);
            streams.remove(stream.id(), stream);
        } finally {
            lock.unlock();
        }
    }

    void exchangeStarted() {
        lock.lock();
        try {
            exchanges++;
        } finally {
            lock.unlock();
        }
    }

    void exchangeEnded() {
        lock.lock();
        try {
            exchanges--;
            idleSince = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** How long the session has been without an HTTP exchange at {@code now}; 0 while one is in progress. */
    long idleNanos(long now) {
        lock.lock();
        try {
            return exchanges > 0 ? 0 : now - idleSince;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the session has ended. */
    boolean ended() {
        return inbox.end() != null;
    }

    // ---- the transport ----

    @Override
    public void send(Message message) throws IOException {
        send(message, null);
    }

    /** Routes {@code message} to its stream (see the class comment). Never blocks on the client. */
    @Override
    public void send(Message message, RequestId relatedTo) throws IOException {
        Objects.requireNonNull(message, "message");
        byte[] data = server.spec().codec().encode(message);
        ServerStream target;
        lock.lock();
        try {
            if (terminal != null) {
                throw inbox.endedError();
            }
            target = switch (message) {
                case Response response -> response.id() == null ? null : requests.get(response.id());
                default -> {
                    ServerStream related = relatedTo == null ? null : requests.get(relatedTo);
                    if (related == null && standalone == null && requests.size() == 1) {
                        related = requests.values().iterator().next(); // stateless: the POST's stream
                    }
                    yield related != null ? related : standalone;
                }
            };
        } finally {
            lock.unlock();
        }
        if (target != null && target.offer(message, data)) {
            return;
        }
        if (target != null && target != standalone && !(message instanceof Response) && standalone != null
                && standalone.offer(message, data)) {
            return; // its request's stream completed meanwhile
        }
        if (ended()) {
            throw inbox.endedError();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + what(message) + " dropped: no stream for it");
    }

    private static String what(Message message) {
        return switch (message) {
            case Request r -> "request " + r.method() + " (id " + r.id() + ")";
            case Notification n -> "notification " + n.method();
            case Response r -> "response to " + r.id();
        };
    }

    @Override
    public Message receive() throws IOException, MalformedMessageException {
        return inbox.take();
    }

    @Override
    public void routeDirectly(Predicate<Message> router) {
        inbox.routeDirectly(router);
    }

    /** Each POSTed request is served on its exchange's thread: an HTTP request stands alone, with no order to keep. */
    @Override
    public void serveDirectly(Predicate<Request> server) {
        direct = server;
    }

    @Override
    public boolean closeStream(RequestId id) {
        ServerStream stream = stream(id);
        return stream != null && stream.requestClose();
    }

    /** Ends the session: {@code receive} throws {@link EOFException}. Idempotent; never blocks. */
    @Override
    public void close() {
        end(new EOFException(describe() + " closed"), true);
    }

    /**
     * Ends the session with {@code cause} unless it has ended. Decides under the lock, then ends the inbox, the open
     * streams (their responses end), the stored events, and the server's record of the session.
     *
     * @param discard whether messages not yet received are dropped
     * @return whether this call ended it
     */
    boolean end(IOException cause, boolean discard) {
        List<ServerStream> open;
        int created;
        lock.lock();
        try {
            if (terminal != null) {
                inbox.end(cause, discard);
                return false;
            }
            terminal = cause;
            open = new ArrayList<>(streams.values());
            requests.clear();
            streams.clear();
            created = nextStream;
        } finally {
            lock.unlock();
        }
        inbox.end(cause, discard);
        for (ServerStream stream : open) {
            stream.end();
        }
        EventStore store = server.spec().eventStore();
        for (int i = 0; i < created; i++) {
            store.remove(key + "_" + i);
        }
        server.sessionEnded(this);
        LOG.log(System.Logger.Level.DEBUG, () -> describe() + " ended: " + cause.getMessage());
        return true;
    }

    private static IOException copyEnd(IOException terminal) {
        return terminal instanceof EOFException ? new EOFException(terminal.getMessage())
                : new IOException(terminal.getMessage());
    }

    /** {@code http-server[127.0.0.1:PORT/mcp] session 3f2a9c1b…}, or {@code … stateless} */
    @Override
    public String describe() {
        String base = server.describe();
        return sessionId == null ? base + " stateless" : base + " session " + sessionId.substring(0, 8) + "\u2026";
    }

    @Override
    public String toString() {
        return describe();
    }
}
