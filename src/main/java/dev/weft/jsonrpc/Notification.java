package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A notification: a method call without an id, never answered.
 *
 * <p>Holds {@code params} as given, without a copy: safe to share between threads as long as nobody modifies that JSON.
 *
 * @param method the method name
 * @param params an object or array node, or {@code null} when the notification has no params
 */
public record Notification(String method, JsonNode params) implements Message {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code method} is {@code null}
     */
    public Notification {
        Objects.requireNonNull(method, "method");
    }
}
