package dev.weft.transport;

import dev.weft.jsonrpc.RequestId;

/**
 * What the transport of one session of a {@link StreamableHttpServer} offers beyond {@link dev.weft.jsonrpc.Transport}.
 * The transport handed to the server's session consumer implements it.
 *
 * <p>Thread-safe; no method blocks.
 */
public interface HttpServerSession {

    /** {@return the session id sent as {@code Mcp-Session-Id}, or {@code null} in stateless mode} */
    String sessionId();

    /**
     * Ends the HTTP response that carries the answer to the client's request {@code id} (its event stream), without
     * ending the request: what its handler sends later is kept in the event store, and the client gets it by resuming
     * with {@code GET} and {@code Last-Event-ID} after the announced retry delay (SSE polling). A response that has
     * not started yet becomes an event stream with a priming event first, so that the client can resume.
     *
     * @param id the id of the client's request
     * @return whether a response of that request was open and was asked to end
     */
    boolean closeStream(RequestId id);
}
