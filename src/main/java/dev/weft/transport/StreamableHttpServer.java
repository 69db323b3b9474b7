package dev.weft.transport;

import dev.weft.internal.CloseOnce;
import dev.weft.internal.Uninterruptibles;
import dev.weft.internal.VirtualJetty;
import dev.weft.jsonrpc.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The MCP Streamable HTTP transport, server side (specification revision 2025-11-25), on Jetty 12's server: one
 * endpoint that takes POSTs of JSON-RPC messages, GETs of event streams and DELETEs of sessions, and hands each session
 * to the caller as a {@link Transport} on which it runs a {@link dev.weft.jsonrpc.Connection}.
 *
 * <h2>Design</h2>
 * Every HTTP request is an exchange on a virtual thread of its own ({@code weft-http-server-N-exchange-K}), written as
 * blocking code. A POST of a client request hands the request to its session's transport and then writes what the
 * server sends for it: one JSON body when the response comes first, else an event stream on which the messages the
 * handler sends for that request (progress, logs, requests back to the client) come before the response. Each event
 * goes into the {@link EventStore} with its id, so a client whose stream broke, or that the server asked to reconnect
 * ({@link HttpServerSession#closeStream}), resumes it with {@code GET} and {@code Last-Event-ID}. The standalone GET
 * stream carries the messages sent outside any request; those sent while it is not open wait in the store.
 *
 * <h2>Sessions</h2>
 * An {@code initialize} without {@code Mcp-Session-Id} creates a session: a random id of 128 bits in hex, returned as
 * {@code Mcp-Session-Id}. The consumer given to {@link #start} gets the session's transport on the exchange's virtual
 * thread, before the initialize request reaches {@code receive}, and should return quickly. A session ends on DELETE,
 * after {@link HttpServerSpec#sessionIdleTimeout()} without an exchange, when its transport is closed, or when the
 * server closes; later requests with its id get 404. In stateless mode every POST gets a transport of its own, which
 * ends once the POST is answered.
 *
 * <h2>Refusals</h2>
 * Wrong path 404; Host or Origin not allowed 403; a body over the limit 413; malformed JSON 400 (-32700); not one
 * JSON-RPC message, a batch included, 400 (-32600); a request whose Accept header lacks {@code application/json} or
 * {@code text/event-stream} 406; no session id 400; unknown session 404; unsupported {@code MCP-Protocol-Version}
 * 400; too many sessions 503; a second standalone stream 409. Each carries a JSON-RPC error body and is logged.
 *
 * <h2>Threads</h2>
 * Thread-safe. Jetty's selector and acceptor run on a few platform threads ({@code weft-http-server-N-*}), its timers on
 * {@code weft-http-server-N-scheduler}; exchanges on virtual threads, each serving its request on its own thread
 * (writing a response that must stream meanwhile on a {@code weft-http-server-N-writer}); idle sessions are reaped, and
 * held writers woken for their keep-alive, by {@code weft-http-server-N-housekeeper}. {@link #close} ends every session and stops all of them.
 */
public final class StreamableHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamableHttpServer.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ReentrantLock WARM_UP_LOCK = new ReentrantLock();
    private static boolean warmedUp; // WARM_UP_LOCK
    /** How long {@link #close} waits for the exchanges' threads once Jetty has stopped. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);


    private final HttpServerSpec spec;
    private final Consumer<Transport> consumer;
    private final String threadPrefix;
    private final HostGuard guard;
    private final ExecutorService exchanges;
    private final Server jetty;
    private final ServerConnector connector;
    private final ReentrantLock lock = new ReentrantLock();
    /** Open sessions by key (the session id; a random key in stateless mode); written under lock, read anywhere. */
    private final ConcurrentHashMap<String, HttpSessionTransport> sessions = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** {@code OPEN -> CLOSING -> CLOSED}; lock. */
    private final CloseOnce closing = new CloseOnce(lock); // OPEN -> CLOSING -> CLOSED
    private volatile String description;
    private Thread housekeeper; // set once by start
    /** Writers held while their exchange's thread serves the request (see {@link StreamWriter}). */
    private final Set<StreamWriter> held = ConcurrentHashMap.newKeySet();

    private StreamableHttpServer(HttpServerSpec spec, Consumer<Transport> consumer, boolean loopback) {
        this.spec = spec;
        this.consumer = consumer;
        this.threadPrefix = "weft-http-server-" + COUNTER.incrementAndGet();
        this.guard = new HostGuard(spec.allowedHosts(), spec.allowedOrigins(), loopback);
        this.description = "http-server[" + spec.host() + ":" + spec.port() + spec.path() + "]";
        // A response waiting for a message shows life every keepAlive; the connection must outlive that silence.
        VirtualJetty server = VirtualJetty.create(threadPrefix, 32, 2, spec.host(), spec.port(),
                Math.max(30_000, 2 * spec.keepAlive().toMillis()));
        this.exchanges = server.exchanges();
        this.jetty = server.jetty();
        this.connector = server.connector();
        jetty.setHandler(new McpHttpHandler(this));
        // No graceful stop: close ends every session first, which ends their responses; a graceful stop would only
        // wait for the clients' idle keep-alive connections (a second each, measured).
        jetty.setStopTimeout(0);
    }

    /**
     * Starts a server: binds {@code spec.host()} and {@code spec.port()} and serves the endpoint until {@link #close}.
     *
     * @param spec     the address, the endpoint and the limits
     * @param sessions called once per new session (per POST in stateless mode), on a virtual thread, with that
     *                 session's transport, before the first message is received from it; it should open a
     *                 {@link dev.weft.jsonrpc.Connection} over the transport and return quickly. If it throws, the
     *                 session ends and the client gets 500
     * @return the running server
     * @throws IOException if the address cannot be resolved or bound
     */
    public static StreamableHttpServer start(HttpServerSpec spec, Consumer<Transport> sessions) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(sessions, "sessions");
        boolean loopback = InetAddress.getByName(spec.host()).isLoopbackAddress();
        StreamableHttpServer server = new StreamableHttpServer(spec, sessions, loopback);
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot serve " + spec.host() + ":" + spec.port() + spec.path() + ": " + e, e);
        }
        server.description = "http-server[" + spec.host() + ":" + server.port() + spec.path() + "]";
        server.warmUp();
        server.housekeeper = Thread.ofVirtual().name(server.threadPrefix + "-housekeeper").start(server::housekeep);
        LOG.log(System.Logger.Level.DEBUG, () -> server.describe() + " started");
        return server;
    }

    /**
     * The first server of the runtime sends itself one request, on the starting thread, before anyone else can: Jetty
     * and Jackson initialize many classes on the first exchange, and virtual threads that race to initialize a class
     * wait for one another holding their carriers. A failure here is logged and otherwise ignored.
     */
    private void warmUp() {
        WARM_UP_LOCK.lock();
        try {
            if (warmedUp) {
                return;
            }
            warmedUp = true;
            InetAddress address = InetAddress.getByName(spec.host());
            if (address.isAnyLocalAddress()) {
                address = InetAddress.getLoopbackAddress();
            }
            try (Socket socket = new Socket(address, port())) {
                socket.setSoTimeout((int) CLOSE_TIMEOUT.toMillis());
                socket.getOutputStream().write(("POST " + spec.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1\r\nConnection: close\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getInputStream().readAllBytes(); // a 400 (or 403), through the path of every answer
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": warm-up request failed: " + e);
        } finally {
            WARM_UP_LOCK.unlock();
        }
    }

    /** {@return the endpoint, with the port actually bound: {@code http://127.0.0.1:54321/mcp}} */
    public URI uri() {
        String host = spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host();
        return URI.create("http://" + host + ":" + port() + spec.path());
    }

    /** {@return the port actually bound (the free port chosen when the spec says 0), or -1 once closed} */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@return how many sessions are open (in stateless mode: how many POSTs are in progress)} */
    public int sessionCount() {
        return sessions.size();
    }

    /** {@return the configuration} */
    public HttpServerSpec spec() {
        return spec;
    }

    /**
     * Closes the server: ends every session (their transports' {@code receive} throws {@link EOFException}, open
     * responses end), stops Jetty, and waits up to two seconds for the exchanges' threads (one stuck in the session
     * consumer may outlast that, and is logged). Idempotent and thread-safe; a concurrent
     * call waits for the first. An interrupt does not cut it short; the flag is restored.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
        } finally {
            lock.unlock();
        }
        try {
            stopping.countDown();
            for (HttpSessionTransport session : new ArrayList<>(sessions.values())) {
                session.end(new EOFException(session.describe() + ": the server closed"), true);
            }
            try {
                jetty.stop();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, () -> describe() + ": stopping Jetty failed: " + e);
            }
            exchanges.shutdown();
            awaitExchanges();
            if (housekeeper != null) {
                Uninterruptibles.joinUninterruptibly(housekeeper);
            }
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + " closed");
        } finally {
            closing.finish();
        }
    }

    private void awaitExchanges() {
        if (!Uninterruptibles.awaitTerminationUninterruptibly(exchanges, CLOSE_TIMEOUT.toNanos())) {
            LOG.log(System.Logger.Level.WARNING, () -> describe() + ": exchanges still running after close");
        }
    }

    /**
     * Until the server closes: wakes the writers held for the keep-alive time (see {@link StreamWriter}), checking
     * a quarter of it at a time (at least every second); and, unless stateless, ends the sessions that had no exchange
     * for the idle timeout, checking a quarter of it at a time (at most every 30 s).
     */
    private void housekeep() {
        long keepAlive = spec.keepAlive().toNanos();
        long idle = spec.sessionIdleTimeout().toNanos();
        long tick = Math.clamp(keepAlive / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        long reapPeriod = Math.clamp(idle / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30));
        long nextReap = System.nanoTime() + reapPeriod;
        while (!Uninterruptibles.awaitUninterruptibly(stopping, Math.min(tick, reapPeriod))) {
            long now = System.nanoTime();
            for (StreamWriter writer : held) {
                if (writer.heldNanos(now) >= keepAlive) {
                    writer.wake();
                }
            }
            if (!spec.stateless() && now - nextReap >= 0) {
                nextReap = now + reapPeriod;
                for (HttpSessionTransport session : sessions.values()) {
                    if (session.idleNanos(now) >= idle) {
                        session.end(new IOException(session.describe() + " ended: no request for "
                                + spec.sessionIdleTimeout()), true);
                    }
                }
            }
        }
    }

    /** A writer is held while its exchange's thread serves the request; the housekeeping watches its keep-alive. */
    void held(StreamWriter writer) {
        held.add(writer);
    }

    /** The writer is no longer held. */
    void released(StreamWriter writer) {
        held.remove(writer);
    }

    /** The prefix of this server's thread names, {@code weft-http-server-N}. */
    String threadPrefix() {
        return threadPrefix;
    }

    // ---- for the handler and the sessions ----

    HostGuard guard() {
        return guard;
    }

    /** A new session with a fresh id, or {@code null} when the server is closing or full. */
    HttpSessionTransport newSession() {
        return register(randomHex(16), true);
    }

    /** A transport for one stateless POST, or {@code null} when the server is closing or full. */
    HttpSessionTransport newStatelessSession() {
        return register("x" + randomHex(12), false);
    }

    private HttpSessionTransport register(String key, boolean withId) {
        HttpSessionTransport session = new HttpSessionTransport(this, withId ? key : null, key);
        lock.lock();
        try {
            if (!closing.isOpen() || sessions.size() >= spec.maxSessions()) {
                return null;
            }
            sessions.put(key, session);
        } finally {
            lock.unlock();
        }
        return session;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Hands a new session to the consumer; {@code false} (and the session ended) if the consumer failed. */
    boolean accept(HttpSessionTransport session) {
        try {
            consumer.accept(session);
            return true;
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, describe() + ": the session consumer failed on "
                    + session.describe(), e);
            session.end(new IOException(session.describe() + ": the session consumer failed: " + e, e), true);
            return false;
        }
    }

    /** The open session with this id, or {@code null}. */
    HttpSessionTransport session(String sessionId) {
        HttpSessionTransport session = sessions.get(sessionId);
        return session == null || session.ended() || session.sessionId() == null ? null : session;
    }

    /** Called by a session as it ends. */
    void sessionEnded(HttpSessionTransport session) {
        lock.lock();
        try {
            sessions.remove(session.key(), session);
        } finally {
            lock.unlock();
        }
    }

    /** {@code http-server[127.0.0.1:PORT/mcp]} */
    String describe() {
        return description;
    }

    @Override
    public String toString() {
        return describe();
    }
}
