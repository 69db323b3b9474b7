package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request: a method call that expects exactly one {@link Response} with the same {@code id}.
 *
 * <p>Holds {@code params} as given, without a copy: safe to share between threads as long as nobody modifies that JSON.
 *
 * @param id     the request id, unique among the sender's in-flight requests
 * @param method the method name
 * @param params an object or array node, or {@code null} when the request has no params
 */
public record Request(RequestId id, String method, JsonNode params) implements Message {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code id} or {@code method} is {@code null}
     */
    public Request {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
    }
}
