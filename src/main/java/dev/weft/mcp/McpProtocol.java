package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.jsonrpc.CancelProtocol;

/**
 * What a protocol layer built on this package needs, such as an MCP server: MCP's JSON mapping of this package's
 * records (unknown fields ignored, absent fields left out) and MCP's cancellation. Stateless; thread-safe.
 */
public final class McpProtocol {
    private McpProtocol() {
    }

    /**
     * {@return a value as MCP JSON: a record of this package, a map, a list or a plain value; {@code null} stays
     * {@code null}}
     *
     * @param value the value
     */
    public static JsonNode toJson(Object value) {
        return McpJson.tree(value);
    }

    /**
     * MCP JSON as a record of this package (or any type the mapper can make).
     *
     * @param <T>  the type
     * @param json the JSON
     * @param type the type's class
     * @return the value
     * @throws IllegalArgumentException when the JSON does not fit the type; the message says why
     */
    public static <T> T fromJson(JsonNode json, Class<T> type) {
        return McpJson.read(json, type);
    }

    /**
     * {@return a tool result read from its JSON, as a client reads it}
     *
     * @param json the {@code tools/call} result
     * @throws IllegalArgumentException when the JSON is not a tool result
     */
    public static CallToolResult toolResult(JsonNode json) {
        return CallToolResult.of(json);
    }

    private static final CancelProtocol CANCEL = CancelProtocol.byRequestId("notifications/cancelled", true);

    /** {@return the mapper behind {@link #toJson} and {@link #fromJson}; do not reconfigure it} */
    public static ObjectMapper mapper() {
        return McpJson.MAPPER;
    }

    /** {@return MCP's cancellation: {@code notifications/cancelled}, never sent for {@code initialize}} */
    public static CancelProtocol cancellation() {
        return CANCEL;
    }
}
