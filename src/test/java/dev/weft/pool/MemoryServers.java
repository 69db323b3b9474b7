package dev.weft.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.SamplingRequest;
import dev.weft.mcp.SamplingResult;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Tool;
import dev.weft.mcp.ToolAnnotations;
import dev.weft.server.McpServer;
import dev.weft.server.ServedSession;
import dev.weft.transport.MemoryTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test servers in memory: every session made through {@link #open} or {@link #transport} is served, over a memory pair
 * of its own, by one {@link McpServer} with these tools:
 * <ul>
 *   <li>{@code echo {message}}: answers the message;</li>
 *   <li>{@code count {n}}: reports progress 1..n, then answers {@code counted n};</li>
 *   <li>{@code hold}: waits until interrupted (a call in flight for as long as a test needs one);</li>
 *   <li>{@code ask}: logs "asking the client", asks the client to sample, and answers {@code sampled: <its text>};</li>
 *   <li>{@code crash} and {@code crash-idempotent} (annotated {@code idempotentHint}): the first call of either ends
 *       every served session while it is in flight, as a server that dies mid-call; later calls answer {@code ok}.</li>
 * </ul>
 * Public for the conversation tests.
 */
public final class MemoryServers implements AutoCloseable {
    private final List<ServedSession> served = new CopyOnWriteArrayList<>();
    private final AtomicInteger crashes = new AtomicInteger();
    private final AtomicInteger crashCalls = new AtomicInteger();
    private final McpServer server = McpServer.builder("memory", "1.0")
            .tool(tool("echo", null), (args, ctx) -> CallToolResult.text(args.path("message").asText()))
            .tool(tool("count", null), (args, ctx) -> {
                int n = args.path("n").asInt();
                for (int i = 1; i <= n; i++) {
                    ctx.progress(i, (double) n, "step " + i);
                }
                return CallToolResult.text("counted " + n);
            })
            .tool(tool("hold", null), (args, ctx) -> {
                new CountDownLatch(1).await();
                return CallToolResult.text("released");
            })
            .tool(tool("ask", null), (args, ctx) -> {
                ctx.log(LogLevel.INFO, "memory", "asking the client");
                SamplingResult answer = ctx.sample(new SamplingRequest(List.of(new SamplingRequest.Message("user",
                        McpProtocol.toJson(Map.of("type", "text", "text", "what now?")))), null, 10, null, null,
                        null, null, null, null, null, null));
                return CallToolResult.text("sampled: " + ((dev.weft.mcp.Content.Text) answer.content()).text());
            })
            .tool(tool("crash", null), (args, ctx) -> crashOnce())
            .tool(tool("crash-idempotent", new ToolAnnotations(null, null, null, true, null)),
                    (args, ctx) -> crashOnce())
            .build();

    private CallToolResult crashOnce() throws InterruptedException {
        crashCalls.incrementAndGet();
        if (crashes.getAndIncrement() > 0) {
            return CallToolResult.text("ok");
        }
        Thread.ofVirtual().start(this::killAll); // not on this handler's thread: closing waits for handlers
        new CountDownLatch(1).await(); // interrupted by the session's end
        return CallToolResult.text("unreachable");
    }

    private static Tool tool(String name, ToolAnnotations annotations) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        return new Tool(name, null, name, schema, null, annotations, null, null, null);
    }

    /** A fresh session with the server, over a memory pair of its own. */
    public McpSession open() {
        return McpSession.open(transport());
    }

    /** A fresh session with the server, over a memory pair of its own, opened with {@code options}. */
    public McpSession open(dev.weft.mcp.McpClientOptions options) {
        return McpSession.open(transport(), options);
    }

    /** The client's end of a fresh memory pair whose other end the server serves. */
    public MemoryTransport transport() {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        served.add(server.serve(pair.right()));
        return pair.left();
    }

    /** Ends every session the server serves, as a server process that dies. */
    public void killAll() {
        for (ServedSession session : served) {
            session.close();
        }
    }

    /** How many times {@code crash} or {@code crash-idempotent} ran. */
    public int crashCalls() {
        return crashCalls.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
