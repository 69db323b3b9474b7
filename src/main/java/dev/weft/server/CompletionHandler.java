package dev.weft.server;

import dev.weft.mcp.Completion;
import java.util.Map;

/**
 * Suggests values for an argument of a prompt or of a resource template ({@code completion/complete}). Threads as for
 * {@link ToolHandler}; what it throws becomes a JSON-RPC error.
 */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * Suggests values for one argument.
     *
     * @param reference the prompt or resource template
     * @param argument  the argument's name
     * @param value     what the user has typed so far
     * @param resolved  the values of the other arguments already chosen, by name
     * @param context   progress, logging, requests to the client, and who is calling
     * @return the suggestions
     * @throws Exception anything; it becomes a JSON-RPC error
     */
    Completion complete(Completion.Reference reference, String argument, String value, Map<String, String> resolved,
                        RequestContext context) throws Exception;
}
