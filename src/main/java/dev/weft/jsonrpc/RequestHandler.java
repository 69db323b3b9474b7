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
 */
@FunctionalInterface
public interface RequestHandler {
    JsonNode handle(IncomingRequest request) throws Exception;
}
