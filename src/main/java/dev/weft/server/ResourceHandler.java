package dev.weft.server;

import dev.weft.mcp.ResourceContents;
import java.util.List;

/**
 * Reads a resource. Threads and cancellation as for {@link ToolHandler}; what it throws becomes a JSON-RPC error.
 */
@FunctionalInterface
public interface ResourceHandler {
    /**
     * Reads the resource at {@code uri}.
     *
     * @param uri       the URI the client asked for
     * @param variables the values of a template's variables, by name; empty for a fixed resource
     * @param context   progress, logging, requests to the client, and who is calling
     * @return the resource's contents, possibly several (a directory, say)
     * @throws Exception anything; it becomes a JSON-RPC error
     */
    List<ResourceContents> read(String uri, java.util.Map<String, String> variables, RequestContext context)
            throws Exception;
}
