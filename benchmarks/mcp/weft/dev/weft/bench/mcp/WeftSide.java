package dev.weft.bench.mcp;

import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Content;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Weft's MCP client with its defaults: {@code McpSession.open(StdioTransport.spawn(ProcessSpec.of(argv)),
 * McpClientOptions.defaults())} (over HTTP: {@code StreamableHttpTransport.open(HttpSpec.of(endpoint))}), calls with
 * {@code callTool(name, arguments)}, close with {@code close()}.
 */
public final class WeftSide implements Side {
    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        Instant enteredWall = Instant.now();
        Child.run(args, entered, enteredWall, new WeftSide());
    }

    @Override
    public Client open(List<String> peer, int callers) throws IOException {
        StdioTransport transport = StdioTransport.spawn(ProcessSpec.of(peer.toArray(String[]::new)));
        long pid = transport.pid().orElseThrow();
        return new Session(McpSession.open(transport, McpClientOptions.defaults()), pid);
    }

    /** {@code McpSession.open(StreamableHttpTransport.open(HttpSpec.of(endpoint)), McpClientOptions.defaults())}. */
    @Override
    public Client openHttp(URI endpoint, long pid) throws IOException {
        return new Session(McpSession.open(StreamableHttpTransport.open(HttpSpec.of(endpoint)),
                McpClientOptions.defaults()), pid);
    }

    private record Session(McpSession session, long pid) implements Client {
        @Override
        public String echo(String message) {
            CallToolResult result = session.callTool("echo", Map.of("message", message));
            if (result.isError()) {
                throw new IllegalStateException("tool error " + result);
            }
            return ((Content.Text) result.content().get(0)).text();
        }

        @Override
        public void hold(long ms) {
            session.callTool("hold", Map.of("ms", ms));
        }

        @Override
        public void ping() {
            session.ping();
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
