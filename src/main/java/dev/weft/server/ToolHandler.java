package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.CallToolResult;

/**
 * Runs a tool. Called on a virtual thread of its own per call, so it may block; a cancel from the client interrupts
 * it. What it throws becomes the tool's error result ({@code isError: true}, the exception's message as text), which is
 * how MCP reports a tool's failures; an {@link dev.weft.jsonrpc.RpcErrorException} becomes a JSON-RPC error instead.
 *
 * <p>Calls may run at once (from several clients, or several of one client's), each on its own thread, so a handler
 * must be thread-safe.
 */
@FunctionalInterface
public interface ToolHandler {
    /**
     * Runs the tool once.
     *
     * @param arguments the call's arguments, an object node (empty when the client sent none)
     * @param context   progress, logging, requests to the client, and who is calling
     * @return the result; {@code null} is an empty result
     * @throws Exception anything; it becomes the tool's error result, or a JSON-RPC error for an
     *                   {@link dev.weft.jsonrpc.RpcErrorException}
     */
    CallToolResult call(JsonNode arguments, RequestContext context) throws Exception;
}
