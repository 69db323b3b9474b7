package dev.weft.server;

import dev.weft.mcp.ResourceContents;
import java.util.List;

/**
 * Reads a resource. Threads and cancellation as for {@link ToolHandler}; what it throws becomes a JSON-RPC error.
 */
@FunctionalInterface
public interface ResourceHandler {
    /**
     * @param uri       the URI the client asked for
     * @param variables the values of a template's variables, by name; empty for a fixed resource
     */
    List<ResourceContents> read(String uri, java.util.Map<String, String> variables, RequestContext context)
            throws Exception;
}
