package dev.weft.bench.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.Tool;
import dev.weft.server.McpServer;
import dev.weft.transport.HttpServerSpec;
import dev.weft.transport.StreamableHttpServer;

/**
 * Weft's MCP server with its defaults: {@code McpServer.builder(name, version).tool(...).build()}, served with
 * {@code serveHttp(HttpServerSpec.loopback())} (127.0.0.1, a free port, {@code /mcp}, Jetty 12 with one virtual thread
 * per exchange). Handlers are plain blocking code, each call on a virtual thread of its own.
 */
public final class WeftServer {
    private WeftServer() {
    }

    public static void main(String[] args) {
        ServerChild.run(() -> {
            McpServer server = McpServer.builder("bench-server", "0")
                    .tool(tool("echo", "Answers with its message.", "message", "string"),
                            (arguments, context) -> CallToolResult.text(arguments.path("message").asText()))
                    .tool(tool("slow", "Sleeps ms milliseconds, then answers.", "ms", "integer"),
                            (arguments, context) -> CallToolResult.text(ServerChild.slow(arguments.path("ms").asLong())))
                    .build();
            StreamableHttpServer http = server.serveHttp(HttpServerSpec.loopback());
            return new ServerChild.Server() {
                @Override
                public int port() {
                    return http.port();
                }

                @Override
                public void close() {
                    http.close();
                    server.close();
                }
            };
        });
    }

    /** A tool whose input is an object with one required property. */
    private static Tool tool(String name, String description, String property, String type) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", type);
        schema.putArray("required").add(property);
        return new Tool(name, null, description, schema, null, null, null, null, null);
    }
}
