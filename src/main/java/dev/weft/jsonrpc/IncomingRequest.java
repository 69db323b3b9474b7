package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request from the peer, as its handler sees it.
 *
 * <p>Holds {@code params} as given, without a copy: safe to share between threads as long as nobody modifies that JSON.
 * The connection is thread-safe, so a handler may hand the request to threads of its own.
 *
 * @param id         the peer's request id
 * @param method     the method
 * @param params     the params, or {@code null}
 * @param connection the connection it arrived on, for calls back to the peer while handling it
 */
public record IncomingRequest(RequestId id, String method, JsonNode params, Connection connection) {
}
