package dev.weft.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.internal.CloseOnce;
import dev.weft.internal.SharedHttpClient;
import dev.weft.internal.Uninterruptibles;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.MessageRefusedException;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestFailedException;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;

/**
 * The MCP Streamable HTTP transport, client side (specification revision 2025-11-25), on the Jetty 12 client.
 *
 * <h2>Design</h2>
 * Every message goes out as a POST of one JSON-RPC message to the endpoint. A request's POST is an <em>exchange</em>
 * on a virtual thread of its own ({@code weft-http-N-post-ID}): it reads the answer, one JSON body or an event stream on
 * which the server's requests and notifications may precede the response, and hands every message it reads to the
 * transport's inbox in the order read; {@link #receive} drains the inbox. An exchange whose event stream ends before the
 * response resumes it with {@code GET} and {@code Last-Event-ID} after the server's retry delay, when the stream carried
 * event ids; otherwise, or when resuming fails, it fails its request at once: {@code receive} throws a
 * {@link RequestFailedException} for it and the transport goes on. After the server accepted
 * {@code notifications/initialized}, an optional standalone GET stream ({@code weft-http-N-get}) carries the server's
 * messages outside calls.
 *
 * <h2>Session</h2>
 * The {@code Mcp-Session-Id} header of the answer to {@code initialize}, and the {@code protocolVersion} of its result,
 * are sent as {@code Mcp-Session-Id} and {@code MCP-Protocol-Version} on every later request (POST, GET, DELETE).
 *
 * <h2>Authorization</h2>
 * With an {@link HttpAuthorizer} ({@link HttpSpec#withAuthorizer}), every request carries its headers, and a POST or a
 * GET that the server refuses with 401 or 403 is sent again, the same message, when the authorizer says so after it
 * authorized (the request's thread blocks meanwhile: the exchange's thread for a request, the caller of {@link #send}
 * for a notification or a response). At most {@value HttpAuthorizer#MAX_SENDS} sends of one message; then, or when
 * the authorizer gives up, the refusal is an {@link HttpStatusException} with the server's
 * {@linkplain HttpStatusException#wwwAuthenticate() challenges}, and when the authorizer fails, its exception. A call
 * abandoned meanwhile (its timeout, a cancel) does not cut the authorization short, so that a person's consent is not
 * lost to one call's timeout: the exchange's thread ends when the authorizer returns, or at {@link #close}, which
 * interrupts it.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>A status other than 2xx on a request's POST fails that request with an {@link HttpStatusException} (delivered:
 *       {@code false} for 4xx, {@code true} for 5xx); connection refused or an I/O error fails it too (delivered when
 *       the request had been written). The transport goes on.</li>
 *   <li>404 to any request that carried the session id ends the transport with a {@link SessionExpiredException}.</li>
 *   <li>A notification or response that the server refuses, or that cannot be posted, makes {@link #send} throw; the
 *       transport goes on.</li>
 * </ul>
 *
 * <h2>Ends</h2>
 * Sticky, the first one wins: {@link SessionExpiredException}, or an {@link EOFException} after {@link #close}. Then
 * every {@code receive} and {@code send} throws a fresh exception of the same kind whose cause is that terminal error.
 *
 * <h2>Threads</h2>
 * Thread-safe. {@link #send} of a request starts its exchange thread and returns at once; {@code send} of a
 * notification or a response blocks until the server answered its POST with a status, at most 30 seconds
 * (plus the connect timeout), except {@code notifications/cancelled}, which is
 * posted on a thread of its own. {@link #receive} has one caller. {@link #abandoned} and {@link #close} may be called
 * from any thread; {@code abandoned} never blocks; {@code close} returns within about four seconds (two for the
 * DELETE, two for the threads). All threads of a
 * transport are virtual, named {@code weft-http-N-...}, and end when it closes. HTTP I/O goes through one Jetty client
 * that all transports share (see {@link HttpSpec#httpClient()}).
 *
 * <h2>Memory</h2>
 * Bounded: each JSON body and each event is limited by the codec's frame limit, and up to 1 MiB of messages (or one
 * message of any size) wait in the inbox; a stream that outpaces the receiver waits.
 */
public final class StreamableHttpTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(StreamableHttpTransport.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long INBOX_BYTES = 1024 * 1024;
    /** How long {@code send} of a notification or response waits for the status. */
    static final int SEND_TIMEOUT_SECONDS = 30;
    /** How long {@link #close} waits for the DELETE, and then for the transport's threads. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    static final long FIRST_BACKOFF_MILLIS = 1000;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    static final String ACCEPT_BOTH = "application/json, text/event-stream";
    static final String ACCEPT_EVENTS = "text/event-stream";
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String PROTOCOL_HEADER = "MCP-Protocol-Version";
    static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "accept", "mcp-session-id",
            "mcp-protocol-version", "last-event-id", "content-length");
    private static final String CANCELLED = "notifications/cancelled";
    private static final String INITIALIZED = "notifications/initialized";


    private final HttpSpec spec;
    private final HttpClient client;
    private final String threadPrefix;
    private final BoundedInbox<Object> inbox = new BoundedInbox<>(INBOX_BYTES, StreamableHttpTransport::copyEnd);
    private final ReentrantLock lock = new ReentrantLock();
    /** {@code OPEN -> CLOSING -> CLOSED}; lock. The first {@link #close} moves it. */
    private final CloseOnce closing = new CloseOnce(lock); // OPEN -> CLOSING -> CLOSED
    /** The terminal error, set once by {@link #end}; lock. Mirrored by the inbox's end, which is set right after. */
    private IOException terminal;
    /** Exchanges by request id, from {@code send} until their thread ends; lock. */
    private final Map<RequestId, PostExchange> exchanges = new HashMap<>();
    /** Synchronous POSTs in flight (notifications, responses), to abort at the end; lock. */
    private final Set<HttpCall> posts = new HashSet<>();
    /** Every thread the transport started that has not finished; lock. */
    private final Set<Thread> threads = new HashSet<>();
    /** The standalone GET stream once started; lock. */
    private ListenStream listen;
    /** Written once under lock by the initialize exchange; read anywhere. */
    private volatile String sessionId;
    private volatile String protocolVersion;

    private StreamableHttpTransport(HttpSpec spec, HttpClient client) {
        this.spec = spec;
        this.client = client;
        this.threadPrefix = "weft-http-" + COUNTER.incrementAndGet();
    }

    /**
     * Opens a transport to {@code spec.endpoint()}. Makes no request: the first one is the POST of the first message
     * sent. The first transport of the runtime starts the shared HTTP client, which blocks briefly.
     *
     * @param spec the endpoint, the headers and the client
     * @return the transport
     * @throws IOException              if the shared HTTP client cannot be started
     * @throws IllegalArgumentException if the spec's own HTTP client is not started
     */
    public static StreamableHttpTransport open(HttpSpec spec) throws IOException {
        Objects.requireNonNull(spec, "spec");
        HttpClient client = spec.httpClient() != null ? spec.httpClient() : SharedHttpClient.get();
        if (!client.isStarted()) {
            throw new IllegalArgumentException("the HttpClient of the spec is not started: " + client);
        }
        HttpCall.warmUp();
        return new StreamableHttpTransport(spec, client);
    }

    /**
     * Sends one message. A request starts its exchange and returns at once; its answer, or its failure, comes through
     * {@link #receive}. A notification or a response blocks until the server answered its POST (any 2xx is fine, a
     * body is ignored), except {@code notifications/cancelled}, which returns at once.
     *
     * @throws HttpStatusException      the server refused a notification or response with a status other than 2xx
     *                                  (the transport stays open)
     * @throws SessionExpiredException  404 to a message that carried the session id: the transport has ended
     * @throws IOException              the POST failed (connection refused, timeout), or the transport has ended
     * @throws IllegalArgumentException a request with the id of another request still in flight
     */
    @Override
    public void send(Message message) throws IOException {
        Objects.requireNonNull(message, "message");
        switch (message) {
            case Request request -> startExchange(request);
            case Notification n when n.method().equals(CANCELLED) -> startThread("cancel", () -> postQuietly(n));
            default -> post(message);
        }
    }

    private void startExchange(Request request) throws IOException {
        PostExchange exchange = new PostExchange(this, request, spec.codec().encode(request));
        Thread thread = Thread.ofVirtual().name(threadPrefix + "-post-" + request.id()).unstarted(exchange);
        lock.lock();
        try {
            throwIfEnded();
            if (exchanges.putIfAbsent(request.id(), exchange) != null) {
                throw new IllegalArgumentException("request id " + request.id() + " is already in flight");
            }
            threads.add(thread);
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /** Starts a thread of the transport's, unless it has ended. */
    private void startThread(String what, Runnable task) throws IOException {
        Thread thread = Thread.ofVirtual().name(threadPrefix + "-" + what).unstarted(() -> {
            try {
                task.run();
            } finally {
                lock.lock();
                try {
                    threads.remove(Thread.currentThread());
                } finally {
                    lock.unlock();
                }
            }
        });
        lock.lock();
        try {
            throwIfEnded();
            threads.add(thread);
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    private void throwIfEnded() throws IOException {
        if (terminal != null) {
            throw inbox.endedError();
        }
    }

    private void postQuietly(Message message) {
        try {
            post(message);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + methodOf(message) + " not sent: " + e);
        }
    }

    /**
     * POSTs a notification or a response and waits for the status; after a 401 or 403, sends it again when the
     * authorizer says so.
     */
    private void post(Message message) throws IOException {
        String method = methodOf(message);
        byte[] body = spec.codec().encode(message);
        for (int refusals = 1; ; refusals++) {
            HttpCall call = newCall("POST", body, ACCEPT_BOTH, null, method);
            lock.lock();
            try {
                throwIfEnded();
                posts.add(call);
            } finally {
                lock.unlock();
            }
            org.eclipse.jetty.client.Response response;
            try {
                response = call.open(spec.connectTimeout(), Duration.ofSeconds(SEND_TIMEOUT_SECONDS));
                if (HttpCall.successful(response)) {
                    call.discard();
                }
            } catch (IOException e) {
                if (inbox.end() != null) {
                    throw inbox.endedError();
                }
                throw new MessageRefusedException("POST of " + method + " to " + spec.endpoint() + " failed: "
                        + e.getMessage(), e);
            } finally {
                lock.lock();
                try {
                    posts.remove(call);
                } finally {
                    lock.unlock();
                }
            }
            if (HttpCall.successful(response)) {
                if (message instanceof Notification n && n.method().equals(INITIALIZED)) {
                    startListening();
                }
                return;
            }
            HttpStatusException refusal = call.statusError(response);
            if (response.getStatus() == 404 && call.sessionId() != null) {
                expire(call.sessionId());
                throw inbox.endedError();
            }
            if (!authorized(call, refusal, refusals)) {
                LOG.log(System.Logger.Level.WARNING, () -> describe() + ": " + refusal.getMessage());
                throw refusal;
            }
        }
    }

    private static String methodOf(Message message) {
        return switch (message) {
            case Request r -> r.method();
            case Notification n -> n.method();
            case Response r -> "response to " + r.id();
        };
    }

    private void startListening() {
        ListenStream stream = new ListenStream(this);
        Thread thread = Thread.ofVirtual().name(threadPrefix + "-get").unstarted(stream);
        lock.lock();
        try {
            if (terminal != null || listen != null) {
                return;
            }
            listen = stream;
            threads.add(thread);
        } finally {
            lock.unlock();
        }
        thread.start();
    }

    /**
     * Blocks until the next message arrives.
     *
     * @throws RequestFailedException    one request will get no answer: refused, broken beyond resumption, or unreadable
     * @throws MalformedMessageException a message that could not be read; the transport goes on
     * @throws IOException               the transport has ended: the same terminal error every time
     */
    @Override
    public Message receive() throws IOException, MalformedMessageException, RequestFailedException {
        Object item = inbox.take();
        return switch (item) {
            case Message message -> message;
            case MalformedMessageException defect -> throw defect;
            case RequestFailedException failure -> throw failure;
            default -> throw new IllegalStateException("inbox item " + item);
        };
    }

    /** Messages the connection can place at once skip the receiver: see {@link Transport#routeDirectly}. */
    @Override
    public void routeDirectly(Predicate<Message> router) {
        inbox.routeDirectly(item -> item instanceof Message message && router.test(message));
    }

    /** Aborts the exchange of {@code id}: closes its stream, so the server sees it closed. Never blocks. */
    @Override
    public void abandoned(RequestId id) {
        PostExchange exchange;
        lock.lock();
        try {
            exchange = exchanges.get(id);
        } finally {
            lock.unlock();
        }
        if (exchange != null) {
            exchange.abort("abandoned by the caller");
        }
    }

    /**
     * Closes the transport: ends it (a waiting {@code receive} throws at once, messages not yet received are dropped),
     * aborts every exchange and the GET stream, sends {@code DELETE} with the session id if there is one (405 is fine;
     * at most two seconds), and waits up to two seconds for the transport's threads (a thread stuck in the host's
     * {@link RequestHeaders} or {@link HttpAuthorizer} is interrupted, and may take longer). Idempotent and
     * thread-safe; a concurrent call waits for the first. An interrupt does not cut it short; the flag is restored.
     */
    @Override
    public void close() {
        String session;
        lock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
            session = terminal instanceof SessionExpiredException ? null : sessionId;
        } finally {
            lock.unlock();
        }
        try {
            end(new EOFException(describe() + " closed"), true);
            if (session != null) {
                deleteSession(session);
            }
            joinThreads();
        } finally {
            closing.finish();
        }
    }


    private void deleteSession(String session) {
        try {
            HttpCall delete = newCall("DELETE", null, null, null, null);
            org.eclipse.jetty.client.Response response = delete.open(min(spec.connectTimeout(), CLOSE_TIMEOUT),
                    CLOSE_TIMEOUT);
            if (HttpCall.successful(response) || response.getStatus() == 405 || response.getStatus() == 404) {
                delete.discard();
                LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": DELETE of session " + session + ": "
                        + response.getStatus());
            } else {
                HttpStatusException refusal = delete.statusError(response);
                LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + refusal.getMessage());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": DELETE of session " + session + " failed: " + e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void joinThreads() {
        List<Thread> running;
        lock.lock();
        try {
            running = new ArrayList<>(threads);
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        for (Thread thread : running) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            Uninterruptibles.joinUninterruptibly(thread, deadline - System.nanoTime());
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, () -> describe() + ": " + thread.getName()
                        + " still running after close");
            }
        }
    }

    /**
     * Ends the transport with {@code cause} unless it has ended already, and aborts every exchange, synchronous POST
     * and the GET stream. Decides under the lock, aborts after it.
     *
     * @param discard whether messages not yet received are dropped (our own close) or received first
     */
    private void end(IOException cause, boolean discard) {
        List<HttpStream> streams = new ArrayList<>();
        List<HttpCall> calls;
        List<Thread> running;
        boolean first;
        lock.lock();
        try {
            first = terminal == null;
            if (first) {
                terminal = cause;
            }
            streams.addAll(exchanges.values());
            if (listen != null) {
                streams.add(listen);
            }
            calls = new ArrayList<>(posts);
            running = new ArrayList<>(threads);
        } finally {
            lock.unlock();
        }
        inbox.end(cause, discard);
        if (!first) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> describe() + " ended: " + cause);
        for (HttpStream stream : streams) {
            stream.abort(cause.getMessage());
        }
        for (HttpCall call : calls) {
            call.abort(cause);
        }
        for (Thread thread : running) {
            if (thread != Thread.currentThread()) {
                thread.interrupt(); // wakes a thread blocked in user code (RequestHeaders, HttpAuthorizer) or a pause
            }
        }
    }

    /** A fresh error for one more caller after the end, of the terminal error's kind (see the inbox's endedError). */
    private static IOException copyEnd(IOException terminal) {
        return switch (terminal) {
            case SessionExpiredException expired -> new SessionExpiredException(expired.sessionId(), expired.uri());
            case EOFException eof -> new EOFException(eof.getMessage());
            default -> new IOException(terminal.getMessage());
        };
    }

    /** The server no longer knows {@code session}: ends the transport, after the messages already read. */
    void expire(String session) {
        SessionExpiredException expired = new SessionExpiredException(session, spec.endpoint());
        LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + expired.getMessage());
        end(expired, false);
    }

    /** Called by a stream's thread as it finishes. */
    void streamDone(HttpStream stream) {
        lock.lock();
        try {
            if (stream instanceof PostExchange exchange) {
                exchanges.remove(exchange.id(), exchange);
            }
            threads.remove(Thread.currentThread());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands an item read from a stream to the receiver, in order. A response that belongs to another exchange (it came
     * on a stream other than its own) aborts that exchange, which has nothing left to wait for.
     *
     * <p>An item is a {@link Message}, a {@link MalformedMessageException} (a frame that was not a message) or a
     * {@link RequestFailedException} (one request will get no answer), of about {@code bytes}. Each stream's thread
     * delivers in the order it read, so messages of one stream are received in their order on the wire.
     *
     * @return {@code false} when the transport has ended: stop reading
     * @throws IllegalArgumentException if {@code item} is none of those
     */
    boolean deliver(Object item, long bytes, HttpStream from) {
        if (!(item instanceof Message || item instanceof MalformedMessageException
                || item instanceof RequestFailedException)) {
            throw new IllegalArgumentException("not an inbox item: " + item);
        }
        if (item instanceof Response response && response.id() != null) {
            PostExchange owner;
            lock.lock();
            try {
                owner = exchanges.get(response.id());
            } finally {
                lock.unlock();
            }
            if (owner != null && owner != from) {
                owner.abort("answered on another stream");
            }
        }
        try {
            return inbox.offer(item, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A Jetty request to the endpoint with the static headers, the {@link RequestHeaders}', the {@link HttpAuthorizer}'s
     * and the protocol's.
     *
     * @param body          the JSON body, or {@code null}
     * @param accept        the Accept header, or {@code null}
     * @param lastEventId   the Last-Event-ID header, or {@code null}
     * @param jsonRpcMethod what the request is about, for errors, or {@code null}
     * @throws IOException when the {@link RequestHeaders} or the {@link HttpAuthorizer} fail
     */
    HttpCall newCall(String httpMethod, byte[] body, String accept, String lastEventId, String jsonRpcMethod)
            throws IOException {
        URI uri = spec.endpoint();
        Map<String, String> extra;
        try {
            extra = Objects.requireNonNull(spec.requestHeaders().headers(uri, httpMethod), "request headers");
        } catch (IOException | RuntimeException e) {
            throw new IOException("request headers for " + httpMethod + " " + uri + " failed: " + e, e);
        }
        Map<String, String> authorization = Map.of();
        if (spec.authorizer() != null) {
            try {
                authorization = Objects.requireNonNull(spec.authorizer().headers(uri, httpMethod),
                        "authorization headers");
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new IOException("authorization headers for " + httpMethod + " " + uri + " failed: " + e, e);
            }
        }
        Map<String, String> authorizing = authorization;
        String session = sessionId;
        String version = protocolVersion;
        org.eclipse.jetty.client.Request request = client.newRequest(uri).method(httpMethod)
                .idleTimeout(0, TimeUnit.MILLISECONDS) // streams may be quiet for long; waits are bounded elsewhere
                .headers(h -> {
                    spec.headers().forEach((name, value) -> {
                        if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                            h.put(name, value);
                        }
                    });
                    extra.forEach((name, value) -> {
                        if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                            h.put(name, value);
                        }
                    });
                    authorizing.forEach((name, value) -> {
                        if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                            h.put(name, value);
                        }
                    });
                    if (accept != null) {
                        h.put("Accept", accept);
                    }
                    if (session != null) {
                        h.put(SESSION_HEADER, session);
                    }
                    if (version != null) {
                        h.put(PROTOCOL_HEADER, version);
                    }
                    if (lastEventId != null) {
                        h.put(LAST_EVENT_ID_HEADER, lastEventId);
                    }
                });
        if (body != null) {
            request.body(new BytesRequestContent("application/json", body));
        }
        return new HttpCall(client, request, httpMethod, session, jsonRpcMethod);
    }

    /**
     * After a 401 or 403 to {@code call}: whether to send the request again, as the {@link HttpAuthorizer} decides (it
     * may authorize first, blocking this thread meanwhile). {@code false} without asking when there is no authorizer,
     * the status is another, or the message was sent {@link HttpAuthorizer#MAX_SENDS} times.
     *
     * @param refusal the refusal, read already (the exchange is done)
     * @param attempt how many times this message has been refused with 401 or 403, this time included
     * @throws IOException the authorizer failed, or the thread was interrupted while it authorized (an
     *                     {@link InterruptedIOException}; the flag is set again)
     */
    boolean authorized(HttpCall call, HttpStatusException refusal, int attempt) throws IOException {
        HttpAuthorizer authorizer = spec.authorizer();
        int status = refusal.status();
        if (authorizer == null || status != 401 && status != 403 || attempt >= HttpAuthorizer.MAX_SENDS) {
            return false;
        }
        HttpAuthorizer.Refusal refused = new HttpAuthorizer.Refusal(spec.endpoint(), call.httpMethod(), status,
                refusal.wwwAuthenticate(), call.authorization(), attempt);
        try {
            boolean again = authorizer.refused(refused);
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + call.httpMethod() + " refused with " + status
                    + (again ? "; sending it again" : "; the authorizer gives up"));
            return again;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted while "
                    + "authorizing " + call.httpMethod() + " " + spec.endpoint() + " after HTTP " + status);
            interrupted.initCause(e);
            throw interrupted;
        } catch (RuntimeException e) {
            throw new IOException("authorizing " + call.httpMethod() + " " + spec.endpoint() + " after HTTP " + status
                    + " failed: " + e, e);
        }
    }

    /** Keeps the session id that the server assigned in its answer to {@code initialize}. */
    void captureSession(org.eclipse.jetty.client.Response response) {
        String assigned = response.getHeaders().get(SESSION_HEADER);
        if (assigned == null || assigned.isBlank()) {
            return;
        }
        lock.lock();
        try {
            if (sessionId == null) {
                sessionId = assigned.strip();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keeps the protocol version of the initialize result; called before the result is handed on. */
    void captureProtocolVersion(Response.Success initialized) {
        JsonNode version = initialized.result().get("protocolVersion");
        if (version == null || !version.isTextual()) {
            return;
        }
        lock.lock();
        try {
            if (protocolVersion == null) {
                protocolVersion = version.textValue();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Decodes one frame: a message, or the defect of a frame that is not one. */
    Object decode(byte[] frame) {
        try {
            return spec.codec().decode(frame);
        } catch (MalformedMessageException e) {
            return e;
        }
    }

    /** Decodes a JSON body: one message, or an array of them (each decoded on its own). */
    List<Object> decodeBody(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first == body.length || body[first] != '[') {
            return List.of(decode(body));
        }
        JsonNode array;
        try {
            array = spec.codec().mapper().readTree(body);
        } catch (IOException e) {
            return List.of(decode(body)); // reports the parse error
        }
        if (array.isEmpty()) {
            return List.of(decode(body)); // reports an empty batch as invalid
        }
        List<Object> items = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            try {
                items.add(decode(spec.codec().mapper().writeValueAsBytes(element)));
            } catch (IOException e) {
                items.add(decode(body));
            }
        }
        return items;
    }

    HttpSpec spec() {
        return spec;
    }

    /**
     * {@return the session id the server assigned, or {@code null} before the answer to {@code initialize} (or if
     * none)}
     */
    public String sessionId() {
        return sessionId;
    }

    /** {@return the negotiated protocol version, or {@code null} before the answer to {@code initialize}} */
    public String protocolVersion() {
        return protocolVersion;
    }

    /** {@code http[<endpoint>]}, followed by {@code session <start of the id>…} once there is a session. */
    @Override
    public String describe() {
        String session = sessionId;
        String base = "http[" + spec.endpoint() + "]";
        if (session == null) {
            return base;
        }
        return base + " session " + (session.length() <= 8 ? session : session.substring(0, 8) + "\u2026");
    }

    @Override
    public String toString() {
        return describe();
    }
}
