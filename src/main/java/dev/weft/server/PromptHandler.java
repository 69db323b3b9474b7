package dev.weft.server;

import dev.weft.mcp.PromptResult;
import java.util.Map;

/** Renders a prompt. Threads and cancellation as for {@link ToolHandler}; what it throws becomes a JSON-RPC error. */
@FunctionalInterface
public interface PromptHandler {
    /**
     * Renders the prompt with the client's arguments.
     *
     * @param arguments the client's arguments, by name (missing required ones are refused before this is called)
     * @param context   progress, logging, requests to the client, and who is calling
     * @return the prompt's messages
     * @throws Exception anything; it becomes a JSON-RPC error
     */
    PromptResult get(Map<String, String> arguments, RequestContext context) throws Exception;
}
