package dev.weft.bench.pool;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * The official MCP Java SDK's host, one client per caller, as the MCP client benchmark makes one ({@code SdkSide}):
 * {@code new StdioClientTransport(params, McpJsonDefaults.getMapper())}, {@code McpClient.sync(transport).build()} with
 * every default (20 s request and initialization timeouts), {@code initialize()}, then one
 * {@code callTool(CallToolRequest.builder("echo").arguments(...).build())}. So each caller spawns a server of its own.
 * The callers are platform threads, the threads a blocking API is made for. Each caller closes its client
 * ({@code close()}).
 */
public final class SdkPoolSide implements PoolSide {
    private List<String> server; // written by start(), before the callers are released
    private McpSyncClient[] clients;

    public static void main(String[] args) {
        PoolChild.run(args, new SdkPoolSide());
    }

    @Override
    public boolean platformCallers() {
        return true;
    }

    @Override
    public void start(List<String> server, int callers) {
        this.server = server;
        this.clients = new McpSyncClient[callers];
    }

    @Override
    public long ready(int i) {
        ServerParameters params = ServerParameters.builder(server.get(0)).args(server.subList(1, server.size())).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        McpSyncClient client = McpClient.sync(transport).build();
        clients[i] = client;
        client.initialize();
        McpSchema.CallToolResult result = client.callTool(
                McpSchema.CallToolRequest.builder("echo").arguments(Map.of("message", PoolChild.MESSAGE)).build());
        long answered = System.nanoTime();
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException("tool error " + result);
        }
        PoolChild.check(((McpSchema.TextContent) result.content().get(0)).text());
        return answered;
    }

    @Override
    public void close(int i) {
        if (clients[i] != null) {
            clients[i].close();
        }
    }

    @Override
    public void finish() {
    }

    @Override
    public String figures() {
        return "";
    }
}
