package dev.weft.bench.server;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The official MCP Java SDK's server (io.modelcontextprotocol.sdk:mcp 2.1.0) over Streamable HTTP, with its defaults:
 * {@code HttpServletStreamableServerTransportProvider.builder().build()} (endpoint {@code /mcp}, the Jackson 3 mapper
 * found by the service loader), {@code McpServer.sync(provider).serverInfo(...).capabilities(tools).toolCall(...)
 * .build()}. The provider is a servlet; it is hosted in Jetty 12's servlet container (ee11, Servlet 6.1, the API the
 * SDK is compiled against), the same Jetty version as Weft's server: a {@code ServletContextHandler} at {@code /} with the
 * provider at {@code /mcp}, async supported (the provider answers requests with {@code startAsync}), on a
 * {@code new Server()} with Jetty's default thread pool (a {@code QueuedThreadPool} of at most 200 platform threads)
 * and one {@code ServerConnector} on 127.0.0.1 and a free port.
 *
 * <p>Arguments (for probes outside the benchmark's tables; the benchmark passes none): {@code no-validation} turns the
 * SDK's tool input validation off ({@code validateToolInputs(false)}), {@code immediate} runs tools on the calling
 * thread instead of Reactor's bounded elastic scheduler ({@code immediateExecution(true)}), {@code virtual} gives
 * Jetty's pool virtual threads for blocking work ({@code QueuedThreadPool.setVirtualThreadsExecutor}).
 */
public final class SdkServer {
    private SdkServer() {
    }

    public static void main(String[] args) {
        List<String> options = List.of(args);
        ServerChild.run(() -> {
            HttpServletStreamableServerTransportProvider provider =
                    HttpServletStreamableServerTransportProvider.builder().build();
            McpServer.StreamableSyncSpecification spec = McpServer.sync(provider);
            spec.serverInfo("bench-server", "0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build());
            if (options.contains("no-validation")) {
                spec.validateToolInputs(false);
            }
            if (options.contains("immediate")) {
                spec.immediateExecution(true);
            }
            McpSyncServer mcp = spec
                    .toolCall(tool("echo", "Answers with its message.", "message", "string"),
                            (exchange, request) -> text((String) request.arguments().get("message")))
                    .toolCall(tool("slow", "Sleeps ms milliseconds, then answers.", "ms", "integer"),
                            (exchange, request) -> {
                                try {
                                    return text(ServerChild.slow(((Number) request.arguments().get("ms")).longValue()));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    throw new IllegalStateException("interrupted", e);
                                }
                            })
                    .build();
            Server jetty = new Server();
            if (options.contains("virtual")) {
                ((org.eclipse.jetty.util.thread.QueuedThreadPool) jetty.getThreadPool())
                        .setVirtualThreadsExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            }
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            ServletHolder holder = new ServletHolder(provider);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/mcp");
            jetty.setHandler(context);
            jetty.start();
            return new ServerChild.Server() {
                @Override
                public int port() {
                    return connector.getLocalPort();
                }

                @Override
                public void close() throws Exception {
                    mcp.closeGracefully();
                    jetty.stop();
                }
            };
        });
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    /** A tool whose input is an object with one required property, as Weft's side declares it. */
    private static McpSchema.Tool tool(String name, String description, String property, String type) {
        return McpSchema.Tool.builder(name, Map.of("type", "object", "properties", Map.of(property, Map.of("type", type)),
                        "required", List.of(property))).description(description).build();
    }
}
