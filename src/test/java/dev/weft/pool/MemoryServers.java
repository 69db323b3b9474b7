package dev.weft.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Tool;
import dev.weft.server.McpServer;
import dev.weft.transport.MemoryTransport;

/**
 * Test servers in memory: every session a pool makes through {@link #open} is a real {@link McpSession} over a memory
 * pair, served by one {@link McpServer} with an {@code echo} tool and a {@code hold} tool that waits until interrupted
 * (a request in flight, for as long as a test needs one).
 */
final class MemoryServers implements AutoCloseable {
    private final McpServer server = McpServer.builder("memory", "1.0")
            .tool(tool("echo"), (args, ctx) -> CallToolResult.text(args.path("message").asText()))
            .tool(tool("hold"), (args, ctx) -> {
                new java.util.concurrent.CountDownLatch(1).await();
                return CallToolResult.text("released");
            })
            .build();

    private static Tool tool(String name) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        return new Tool(name, null, name, schema, null, null, null, null, null);
    }

    /** A fresh session with the server, over a memory pair of its own. */
    McpSession open() {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        server.serve(pair.right());
        return McpSession.open(pair.left());
    }

    @Override
    public void close() {
        server.close();
    }
}
