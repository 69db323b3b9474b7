package dev.weft.transport;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * The server no longer knows the MCP session: it answered 404 to a request that carried the session's
 * {@code Mcp-Session-Id}. This ends the {@link StreamableHttpTransport}: it is the terminal cause of every call pending
 * then and made later, which fail with {@link dev.weft.jsonrpc.TransportClosedException}. A new session starts with
 * a new {@code initialize} on a new transport. Immutable and thread-safe; nothing in it blocks.
 */
public final class SessionExpiredException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The session id the server no longer knows. */
    private final String sessionId;
    /** The endpoint that answered 404. */
    private final URI uri;

    /**
     * Creates the exception.
     *
     * @param sessionId the session id the server no longer knows
     * @param uri       the endpoint that answered 404
     */
    public SessionExpiredException(String sessionId, URI uri) {
        super("session " + Objects.requireNonNull(sessionId, "sessionId") + " expired: HTTP 404 from "
                + Objects.requireNonNull(uri, "uri"));
        this.sessionId = sessionId;
        this.uri = uri;
    }

    /** {@return the session id the server no longer knows} */
    public String sessionId() {
        return sessionId;
    }

    /** {@return the endpoint that answered 404} */
    public URI uri() {
        return uri;
    }
}
