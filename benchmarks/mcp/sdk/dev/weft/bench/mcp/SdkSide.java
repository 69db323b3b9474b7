package dev.weft.bench.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The official MCP Java SDK's client, as its documentation shows it: {@code new StdioClientTransport(params,
 * McpJsonDefaults.getMapper())} (its Jackson 3 mapper, found by the service loader), {@code McpClient.sync(transport)
 * .build()} with every default (20 s request timeout), then {@code initialize()}; over HTTP, its
 * {@code HttpClientStreamableHttpTransport} with every default. Calls are
 * {@code callTool(CallToolRequest.builder(name).arguments(arguments).build())}; close is {@code close()}.
 *
 * <p>The SDK does not expose the peer's process; the peer's pid is the one child process of this JVM (sessions are
 * opened one after another, each peer waited for after its close).
 */
public final class SdkSide implements Side {
    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        Instant enteredWall = Instant.now();
        Child.run(args, entered, enteredWall, new SdkSide());
    }

    @Override
    public Client open(List<String> peer, int callers) {
        ServerParameters params = ServerParameters.builder(peer.get(0)).args(peer.subList(1, peer.size())).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        McpSyncClient client = McpClient.sync(transport).build();
        client.initialize();
        return new Session(client);
    }

    /**
     * {@code HttpClientStreamableHttpTransport.builder(base).endpoint(path).build()}, every other default, then
     * {@code McpClient.sync(transport).build()} and {@code initialize()} as over stdio.
     */
    @Override
    public Client openHttp(URI endpoint, long pid) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder(endpoint.resolve("/").toString()).endpoint(endpoint.getPath()).build();
        McpSyncClient client = McpClient.sync(transport).build();
        client.initialize();
        Session session = new Session(client);
        session.pid = pid;
        return session;
    }

    private static final class Session implements Client {
        private final McpSyncClient client;
        private long pid = -1;

        Session(McpSyncClient client) {
            this.client = client;
        }

        /**
         * Looked up on first use, outside the timed parts (reading /proc takes a while), and kept; asked by the
         * harness's main thread only.
         */
        @Override
        public long pid() {
            if (pid < 0) {
                List<ProcessHandle> children = ProcessHandle.current().children().toList();
                if (children.size() != 1) {
                    throw new IllegalStateException("expected one peer process, found " + children);
                }
                pid = children.get(0).pid();
            }
            return pid;
        }

        @Override
        public String echo(String message) {
            McpSchema.CallToolResult result = client.callTool(
                    McpSchema.CallToolRequest.builder("echo").arguments(Map.of("message", message)).build());
            if (Boolean.TRUE.equals(result.isError())) {
                throw new IllegalStateException("tool error " + result);
            }
            return ((McpSchema.TextContent) result.content().get(0)).text();
        }

        @Override
        public void hold(long ms) {
            client.callTool(McpSchema.CallToolRequest.builder("hold").arguments(Map.of("ms", ms)).build());
        }

        @Override
        public void ping() {
            client.ping();
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
