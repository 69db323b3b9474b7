package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers one kind of incoming request. Each request runs on its own virtual thread, never on the connection's reader,
 * so a handler may block, and may itself call the peer through {@link IncomingRequest#connection()}.
 *
 * <p>The outcome decides the answer: a returned value is the result ({@code null} becomes an empty object); an
 * {@link RpcErrorException} is answered with its error; an {@link IllegalArgumentException} (which includes Jackson's
 * mapping errors) with {@link RpcError#INVALID_PARAMS}; anything else with {@link RpcError#INTERNAL_ERROR}. When the
 * peer cancels the request, the handler's thread is interrupted and no answer is sent.
 *
 * <p>Requests may run at once, each on its own thread, so a handler must be thread-safe.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * Handles one request, on a virtual thread of its own.
     *
     * @param request the request, and the connection it came on
     * @return the result, or {@code null} for an empty object
     * @throws Exception the failure to answer with, mapped to an error as the class comment says
     */
    JsonNode handle(IncomingRequest request) throws Exception;
}
