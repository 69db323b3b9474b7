package dev.weft.transport;

import dev.weft.jsonrpc.JsonRpcCodec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link StreamableHttpServer} serves MCP over Streamable HTTP: the immutable configuration of
 * {@link StreamableHttpServer#start}. Thread-safe (immutable); each {@code with} method returns a copy.
 *
 * <h2>DNS-rebinding protection</h2>
 * Every request's {@code Host} header, and its {@code Origin} header when it has one, is checked; a request that fails
 * gets 403. An entry of {@link #allowedHosts()} is a host name or address, optionally with {@code :port}
 * ({@code localhost}, {@code [::1]:8080}); one without a port allows any port. An entry of {@link #allowedOrigins()}
 * is an origin, {@code scheme://host} (any port) or {@code scheme://host:port}. The entry {@code *} allows anything.
 * An empty list means the default: on a loopback bind, only {@code localhost}, {@code 127.0.0.1} and {@code [::1]},
 * with any port (and, for origins, {@code http} or {@code https}); on any other bind, any {@code Host}, and an
 * {@code Origin} only when its host is the request's {@code Host}.
 *
 * @param host                      the address to bind, such as {@code 127.0.0.1} (keep the loopback address for a
 *                                  local server: see the MCP specification's security warning)
 * @param port                      the port, or 0 for any free port (see {@link StreamableHttpServer#port()})
 * @param path                      the MCP endpoint's path, starting with {@code /}; other paths get 404
 * @param stateless                 no sessions: every POST gets a transport of its own that ends with the POST;
 *                                  GET and DELETE get 405
 * @param allowedHosts              the accepted {@code Host} headers; empty for the default (above)
 * @param allowedOrigins            the accepted {@code Origin} headers; empty for the default (above)
 * @param maxBodyBytes              the largest POST body; a larger one gets 413 and is not buffered
 * @param maxSessions               how many sessions may be open at once; an initialize beyond that gets 503
 * @param sessionIdleTimeout        a session without an HTTP exchange for this long ends
 * @param sseRetry                  the reconnection delay announced to clients on each event stream ({@code retry:})
 * @param keepAlive                 how long a response waits for a message before it shows life: a pending answer
 *                                  turns into an event stream, an event stream gets a comment. It also bounds how long
 *                                  a client that went away goes unnoticed. Keep it below the idle timeouts of proxies
 * @param supportedProtocolVersions the values of {@code MCP-Protocol-Version} accepted after initialize (a request
 *                                  without the header is accepted too); others get 400
 * @param codec                     the codec for messages; the body limit is {@code maxBodyBytes}, not its frame limit
 * @param eventStore                where events of event streams are kept for resumption
 */
public record HttpServerSpec(String host, int port, String path, boolean stateless, List<String> allowedHosts,
                             List<String> allowedOrigins, int maxBodyBytes, int maxSessions,
                             Duration sessionIdleTimeout, Duration sseRetry, Duration keepAlive,
                             List<String> supportedProtocolVersions, JsonRpcCodec codec, EventStore eventStore) {
    /** The default {@link #maxBodyBytes()}: 4 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** The default {@link #maxSessions()}. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /** The default {@link #sessionIdleTimeout()}: 30 minutes. */
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** The default {@link #sseRetry()}: 1 second. */
    public static final Duration DEFAULT_SSE_RETRY = Duration.ofSeconds(1);
    /** The default {@link #keepAlive()}: 15 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** The default {@link #supportedProtocolVersions()}. */
    public static final List<String> DEFAULT_PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    /**
     * Validates and copies.
     *
     * @throws NullPointerException     if a component or a list element is {@code null}
     * @throws IllegalArgumentException if the port is outside 0..65535, the path does not start with {@code /}, a
     *                                  limit or duration is not positive, or no protocol version is supported
     */
    public HttpServerSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
        supportedProtocolVersions = List.copyOf(supportedProtocolVersions);
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(eventStore, "eventStore");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        if (maxBodyBytes <= 0 || maxSessions <= 0) {
            throw new IllegalArgumentException("maxBodyBytes and maxSessions must be positive: " + maxBodyBytes + ", "
                    + maxSessions);
        }
        positive(sessionIdleTimeout, "sessionIdleTimeout");
        positive(keepAlive, "keepAlive");
        Objects.requireNonNull(sseRetry, "sseRetry");
        if (sseRetry.isNegative()) {
            throw new IllegalArgumentException("sseRetry must not be negative: " + sseRetry);
        }
        if (supportedProtocolVersions.isEmpty()) {
            throw new IllegalArgumentException("supportedProtocolVersions must not be empty");
        }
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /**
     * The defaults: {@code 127.0.0.1}, any free port, {@code /mcp}, with sessions, the loopback Host and Origin policy,
     * 4 MiB bodies, 10,000 sessions, 30 minutes idle, {@code retry: 1000}, 15 s keep-alive, the protocol versions
     * 2025-11-25, 2025-06-18 and 2025-03-26, the standard codec and an {@linkplain EventStore#inMemory() in-memory}
     * event store.
     *
     * @return the spec
     */
    public static HttpServerSpec loopback() {
        return new HttpServerSpec("127.0.0.1", 0, "/mcp", false, List.of(), List.of(), DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_TIMEOUT, DEFAULT_SSE_RETRY, DEFAULT_KEEP_ALIVE,
                DEFAULT_PROTOCOL_VERSIONS, JsonRpcCodec.standard(), EventStore.inMemory());
    }

    /**
     * {@return this spec with another {@link #host() host}}
     *
     * @param host the address to bind, such as {@code 127.0.0.1} (keep the loopback address for a local server: see the
     *             MCP specification's security warning)
     */
    public HttpServerSpec withHost(String host) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #port() port}}
     *
     * @param port the port, or 0 for any free port (see {@link StreamableHttpServer#port()})
     */
    public HttpServerSpec withPort(int port) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #path() path}}
     *
     * @param path the MCP endpoint's path, starting with {@code /}
     */
    public HttpServerSpec withPath(String path) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with {@link #stateless() stateless} set to {@code stateless}}
     *
     * @param stateless no sessions: every POST gets a transport of its own that ends with the POST
     */
    public HttpServerSpec withStateless(boolean stateless) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #allowedHosts() allowedHosts}}
     *
     * @param allowedHosts the accepted {@code Host} headers
     */
    public HttpServerSpec withAllowedHosts(List<String> allowedHosts) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #allowedOrigins() allowedOrigins}}
     *
     * @param allowedOrigins the accepted {@code Origin} headers
     */
    public HttpServerSpec withAllowedOrigins(List<String> allowedOrigins) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #maxBodyBytes() maxBodyBytes}}
     *
     * @param maxBodyBytes the largest POST body
     */
    public HttpServerSpec withMaxBodyBytes(int maxBodyBytes) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #maxSessions() maxSessions}}
     *
     * @param maxSessions how many sessions may be open at once
     */
    public HttpServerSpec withMaxSessions(int maxSessions) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #sessionIdleTimeout() sessionIdleTimeout}}
     *
     * @param sessionIdleTimeout a session without an HTTP exchange for this long ends
     */
    public HttpServerSpec withSessionIdleTimeout(Duration sessionIdleTimeout) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #sseRetry() sseRetry}}
     *
     * @param sseRetry the reconnection delay announced to clients on each event stream ({@code retry:})
     */
    public HttpServerSpec withSseRetry(Duration sseRetry) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #keepAlive() keepAlive}}
     *
     * @param keepAlive how long a response waits for a message before it shows life: a pending answer turns into an
     *                  event stream, an event stream gets a comment
     */
    public HttpServerSpec withKeepAlive(Duration keepAlive) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #supportedProtocolVersions() supportedProtocolVersions}}
     *
     * @param supportedProtocolVersions the values of {@code MCP-Protocol-Version} accepted after initialize (a request
     *                                  without the header is accepted too)
     */
    public HttpServerSpec withSupportedProtocolVersions(List<String> supportedProtocolVersions) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #codec() codec}}
     *
     * @param codec the codec for messages
     */
    public HttpServerSpec withCodec(JsonRpcCodec codec) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }

    /**
     * {@return this spec with another {@link #eventStore() eventStore}}
     *
     * @param eventStore where events of event streams are kept for resumption
     */
    public HttpServerSpec withEventStore(EventStore eventStore) {
        return new HttpServerSpec(host, port, path, stateless, allowedHosts, allowedOrigins, maxBodyBytes, maxSessions,
                sessionIdleTimeout, sseRetry, keepAlive, supportedProtocolVersions, codec, eventStore);
    }
}
