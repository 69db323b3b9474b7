package dev.weft.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.McpProtocol;
import dev.weft.pool.TransportKey;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call a turn makes: which server, which tool, with what arguments.
 *
 * <p>Holds {@code arguments} as given, without a copy ({@link #of} converts a map into a tree of its own): safe to
 * share between threads as long as nobody modifies that JSON. The call reads it on a thread of its own.
 *
 * @param server    the server's key in the conversation's pool
 * @param tool      the tool's name
 * @param arguments the arguments, a JSON object
 */
public record ToolCall(TransportKey server, String tool, JsonNode arguments) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code arguments} is not a JSON object
     */
    public ToolCall {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
        if (!arguments.isObject()) {
            throw new IllegalArgumentException("arguments must be a JSON object: " + arguments);
        }
    }

    /**
     * {@return a call with arguments given as a map (converted as Jackson converts it)}
     *
     * @param server    the server's key in the conversation's pool
     * @param tool      the tool's name
     * @param arguments the arguments, by name
     */
    public static ToolCall of(TransportKey server, String tool, Map<String, ?> arguments) {
        return new ToolCall(server, tool, McpProtocol.toJson(arguments));
    }
}
