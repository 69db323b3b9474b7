package dev.weft.transport;

import dev.weft.jsonrpc.MessageRefusedException;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP request of a {@link StreamableHttpTransport} was answered with a status other than 2xx.
 *
 * <p>The cause of the {@link dev.weft.jsonrpc.ExchangeFailedException} of a call whose POST was refused, or thrown by
 * {@link StreamableHttpTransport#send} for a notification or a response. Immutable and thread-safe; nothing in it
 * blocks.
 */
public final class HttpStatusException extends MessageRefusedException {
    private static final long serialVersionUID = 1L;
    /** The longest {@linkplain #bodyExcerpt() excerpt} of a body kept, in characters. */
    public static final int MAX_EXCERPT_CHARS = 500;

    /** The HTTP status. */
    private final int status;
    /** The reason phrase, or empty. */
    private final String reason;
    /** The request's URI. */
    private final URI uri;
    /** The request's HTTP method. */
    private final String httpMethod;
    /** The JSON-RPC method, or {@code null}. */
    private final String jsonRpcMethod;
    /** The start of the response body. */
    private final String bodyExcerpt;
    /** The values of the response's {@code WWW-Authenticate} headers. */
    private final transient List<String> wwwAuthenticate;

    /**
     * Creates the exception.
     *
     * @param status        the HTTP status
     * @param reason        the reason phrase, possibly empty
     * @param uri           the request's URI
     * @param httpMethod    {@code POST}, {@code GET} or {@code DELETE}
     * @param jsonRpcMethod the method of the JSON-RPC message the request carried or was about, or {@code null}
     * @param bodyExcerpt   the start of the response body; cut to {@value #MAX_EXCERPT_CHARS} characters
     */
    public HttpStatusException(int status, String reason, URI uri, String httpMethod, String jsonRpcMethod,
                               String bodyExcerpt) {
        this(status, reason, uri, httpMethod, jsonRpcMethod, bodyExcerpt, List.of());
    }

    /**
     * Creates the exception, with the server's authentication challenges.
     *
     * @param status          the HTTP status
     * @param reason          the reason phrase, possibly empty
     * @param uri             the request's URI
     * @param httpMethod      {@code POST}, {@code GET} or {@code DELETE}
     * @param jsonRpcMethod   the method of the JSON-RPC message the request carried or was about, or {@code null}
     * @param bodyExcerpt     the start of the response body; cut to {@value #MAX_EXCERPT_CHARS} characters
     * @param wwwAuthenticate the values of the response's {@code WWW-Authenticate} headers, in order
     */
    public HttpStatusException(int status, String reason, URI uri, String httpMethod, String jsonRpcMethod,
                               String bodyExcerpt, List<String> wwwAuthenticate) {
        super(message(status, reason, uri, httpMethod, jsonRpcMethod, excerpt(bodyExcerpt)));
        this.status = status;
        this.reason = reason == null ? "" : reason;
        this.uri = Objects.requireNonNull(uri, "uri");
        this.httpMethod = Objects.requireNonNull(httpMethod, "httpMethod");
        this.jsonRpcMethod = jsonRpcMethod;
        this.bodyExcerpt = excerpt(bodyExcerpt);
        this.wwwAuthenticate = List.copyOf(wwwAuthenticate);
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_EXCERPT_CHARS ? body : body.substring(0, MAX_EXCERPT_CHARS) + "\u2026";
    }

    private static String message(int status, String reason, URI uri, String httpMethod, String jsonRpcMethod,
                                  String excerpt) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status);
        if (reason != null && !reason.isEmpty()) {
            sb.append(' ').append(reason);
        }
        sb.append(" from ").append(httpMethod).append(' ').append(uri);
        if (jsonRpcMethod != null) {
            sb.append(" (").append(jsonRpcMethod).append(')');
        }
        if (!excerpt.isEmpty()) {
            sb.append(": ").append(excerpt);
        }
        return sb.toString();
    }

    /** {@return the HTTP status} */
    public int status() {
        return status;
    }

    /** {@return the reason phrase, or an empty string} */
    public String reason() {
        return reason;
    }

    /** {@return the request's URI} */
    public URI uri() {
        return uri;
    }

    /** {@return the request's HTTP method} */
    public String httpMethod() {
        return httpMethod;
    }

    /** {@return the JSON-RPC method the request carried or was about, or {@code null} (a standalone GET stream)} */
    public String jsonRpcMethod() {
        return jsonRpcMethod;
    }

    /**
     * {@return the start of the response body, at most {@value #MAX_EXCERPT_CHARS} characters and an ellipsis; maybe
     * empty}
     */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }

    /**
     * {@return the values of the response's {@code WWW-Authenticate} headers, in order: the server's authentication
     * challenges after a 401 or 403 (such as {@code Bearer error="insufficient_scope", scope="files:write"}); empty if
     * it sent none}
     */
    public List<String> wwwAuthenticate() {
        return wwwAuthenticate == null ? List.of() : wwwAuthenticate; // null after deserialization
    }
}
