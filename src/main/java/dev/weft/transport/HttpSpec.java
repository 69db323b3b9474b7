package dev.weft.transport;

import dev.weft.jsonrpc.JsonRpcCodec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.client.HttpClient;

/**
 * Where and how to reach an MCP server over Streamable HTTP: the immutable configuration of
 * {@link StreamableHttpTransport#open(HttpSpec)}. Thread-safe (immutable); each {@code with} method returns a copy.
 *
 * @param endpoint          the MCP endpoint, an absolute {@code http} or {@code https} URI, such as
 *                          {@code http://127.0.0.1:3000/mcp}
 * @param headers           headers sent with every request (names as given; a later protocol header of the same
 *                          name wins)
 * @param requestHeaders    called before every request for more headers; see {@link RequestHeaders}
 * @param authorizer        authorizes the requests (their {@code Authorization} header, and what to do on 401 and
 *                          403; see {@link HttpAuthorizer}), or {@code null} for none
 * @param httpClient        a started Jetty client the host owns (and stops), or {@code null} for the client that all
 *                          transports of the runtime share. Remove Jetty's {@code WWWAuthenticationProtocolHandler}
 *                          from it, or a 401 without a challenge fails before its status reaches the transport; and
 *                          allow enough connections per destination: each call in flight holds one
 * @param connectTimeout    how long a request may take to be written to a connection (connecting included) before it
 *                          fails
 * @param codec             the codec, whose {@linkplain JsonRpcCodec#maxFrameBytes() frame limit} bounds each JSON body
 *                          and each event of an event stream
 * @param reconnectAttempts how many times in a row a broken event stream may be reconnected without receiving an
 *                          event (a response stream resumed with {@code Last-Event-ID}, the standalone GET stream);
 *                          0 never reconnects
 */
public record HttpSpec(URI endpoint, Map<String, String> headers, RequestHeaders requestHeaders,
                       HttpAuthorizer authorizer, HttpClient httpClient, Duration connectTimeout, JsonRpcCodec codec,
                       int reconnectAttempts) {
    /** The default {@link #connectTimeout()}: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@link #reconnectAttempts()}: 2, as the MCP TypeScript SDK. */
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 2;

    /**
     * Validates and copies.
     *
     * @throws NullPointerException     if a component other than {@code authorizer} and {@code httpClient}, or a
     *                                  header name or value, is {@code null}
     * @throws IllegalArgumentException if {@code endpoint} is not an absolute http(s) URI with a host,
     *                                  {@code connectTimeout} is not positive, or {@code reconnectAttempts} is negative
     */
    public HttpSpec {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an absolute http or https URI: " + endpoint);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(codec, "codec");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (reconnectAttempts < 0) {
            throw new IllegalArgumentException("reconnectAttempts must not be negative: " + reconnectAttempts);
        }
    }

    /**
     * A spec for {@code endpoint} with the defaults: no extra headers, no authorizer, the shared client, a 10 s connect
     * timeout, the standard codec and 2 reconnect attempts.
     *
     * @param endpoint the MCP endpoint, an absolute {@code http} or {@code https} URI
     * @return the spec
     */
    public static HttpSpec of(URI endpoint) {
        return new HttpSpec(endpoint, Map.of(), RequestHeaders.NONE, null, null, DEFAULT_CONNECT_TIMEOUT,
                JsonRpcCodec.standard(), DEFAULT_RECONNECT_ATTEMPTS);
    }

    /**
     * Like {@link #of(URI)}, parsing {@code endpoint}.
     *
     * @param endpoint the MCP endpoint, such as {@code http://127.0.0.1:3000/mcp}
     * @return the spec
     * @throws IllegalArgumentException if {@code endpoint} is not a valid URI
     */
    public static HttpSpec of(String endpoint) {
        return of(URI.create(endpoint));
    }

    /**
     * {@return this spec with another endpoint}
     *
     * @param endpoint the MCP endpoint, an absolute {@code http} or {@code https} URI
     */
    public HttpSpec withEndpoint(URI endpoint) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with {@code headers} replacing the static headers}
     *
     * @param headers headers sent with every request
     */
    public HttpSpec withHeaders(Map<String, String> headers) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with one more static header, or another value for it}
     *
     * @param name  the header's name
     * @param value its value
     */
    public HttpSpec withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return withHeaders(more);
    }

    /**
     * {@return this spec with another supplier of per-request headers}
     *
     * @param requestHeaders called before every request for more headers, such as {@code Authorization}
     */
    public HttpSpec withRequestHeaders(RequestHeaders requestHeaders) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with another authorizer, or none}
     *
     * @param authorizer authorizes the requests (see {@link HttpAuthorizer}), such as
     *                   {@code dev.weft.auth.OAuthAuthorizer}; or {@code null} for none
     */
    public HttpSpec withAuthorizer(HttpAuthorizer authorizer) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with a Jetty client of the host's, which must be started; or {@code null} for the shared one}
     *
     * @param httpClient a started Jetty client the host owns (and stops), or {@code null}
     */
    public HttpSpec withHttpClient(HttpClient httpClient) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with another connect timeout}
     *
     * @param connectTimeout how long a request may take to be written to a connection (connecting included) before it
     *                       fails
     */
    public HttpSpec withConnectTimeout(Duration connectTimeout) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with another codec}
     *
     * @param codec the codec, whose {@linkplain JsonRpcCodec#maxFrameBytes() frame limit} bounds each JSON body and
     *              each event of an event stream
     */
    public HttpSpec withCodec(JsonRpcCodec codec) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }

    /**
     * {@return this spec with another number of reconnect attempts}
     *
     * @param reconnectAttempts how many times in a row a broken event stream may be reconnected without receiving an
     *                          event (a response stream resumed with {@code Last-Event-ID}, the standalone GET stream)
     */
    public HttpSpec withReconnectAttempts(int reconnectAttempts) {
        return new HttpSpec(endpoint, headers, requestHeaders, authorizer, httpClient, connectTimeout, codec,
                reconnectAttempts);
    }
}
