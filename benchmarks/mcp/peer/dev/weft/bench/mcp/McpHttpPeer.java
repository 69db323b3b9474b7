package dev.weft.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MCP server of the MCP client benchmark's HTTP kill section: Streamable HTTP on 127.0.0.1 (a free port, path
 * {@code /mcp}), on the JDK's {@code com.sun.net.httpserver} with a virtual thread per exchange, parsed and written
 * with Jackson, no MCP library. Every answer is a JSON body ({@code application/json}); it offers no event stream
 * ({@code GET} is 405, as the transport allows).
 * <ul>
 *   <li>{@code initialize}: as {@code McpPeer}, with an {@code Mcp-Session-Id} header;</li>
 *   <li>a notification: 202, no body; {@code DELETE}: 204;</li>
 *   <li>{@code ping}, {@code tools/list}, {@code tools/call echo}: at once, as {@code McpPeer};</li>
 *   <li>{@code tools/call hold {ms}}: prints {@code held <n>} (the holds received so far) on standard output, then
 *       answers after {@code ms} on its exchange's thread.</li>
 * </ul>
 * Prints {@code port=<port>} on standard output once it listens; exits at the end of its standard input.
 */
public final class McpHttpPeer {
    private static final Set<String> VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26");
    private static final String LATEST = "2025-11-25";

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger holds = new AtomicInteger();
    private final JsonNode tools;

    private McpHttpPeer() throws IOException {
        tools = mapper.readTree("""
                {"tools":[
                  {"name":"echo","description":"Answers with its message.",
                   "inputSchema":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}},
                  {"name":"hold","description":"Answers after ms milliseconds.",
                   "inputSchema":{"type":"object","properties":{"ms":{"type":"integer"}},"required":["ms"]}}
                ]}""");
    }

    public static void main(String[] args) throws IOException {
        new McpHttpPeer().serve();
    }

    private void serve() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
        System.out.println("port=" + server.getAddress().getPort());
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // until the end of standard input
        }
        server.stop(0);
        System.exit(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange);
                case "DELETE" -> exchange.sendResponseHeaders(204, -1);
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        JsonNode request = mapper.readTree(exchange.getRequestBody().readAllBytes());
        JsonNode id = request.get("id");
        if (id == null || !request.has("method")) {
            exchange.sendResponseHeaders(202, -1); // a notification (or an answer): accepted
            return;
        }
        String method = request.get("method").asText();
        JsonNode params = request.path("params");
        ObjectNode answer = mapper.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        switch (method) {
            case "initialize" -> {
                String asked = params.path("protocolVersion").asText();
                ObjectNode result = answer.putObject("result");
                result.put("protocolVersion", VERSIONS.contains(asked) ? asked : LATEST);
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "weft-bench-http-peer").put("version", "1");
                exchange.getResponseHeaders().set("Mcp-Session-Id", "bench-" + sessions.incrementAndGet());
            }
            case "ping" -> answer.putObject("result");
            case "tools/list" -> answer.set("result", tools);
            case "tools/call" -> {
                String tool = params.path("name").asText();
                JsonNode arguments = params.path("arguments");
                if (tool.equals("echo")) {
                    text(answer, arguments.path("message").asText());
                } else if (tool.equals("hold")) {
                    long ms = arguments.path("ms").asLong();
                    synchronized (System.out) {
                        System.out.println("held " + holds.incrementAndGet());
                        System.out.flush();
                    }
                    try {
                        Thread.sleep(ms); // the call's work: answered after ms, unless the process dies first
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    text(answer, "held " + ms + " ms");
                } else {
                    answer.putObject("error").put("code", -32602).put("message", "unknown tool: " + tool);
                }
            }
            default -> answer.putObject("error").put("code", -32601).put("message", "method not found: " + method);
        }
        byte[] body = mapper.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void text(ObjectNode answer, String text) {
        ObjectNode result = answer.putObject("result");
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", false);
    }
}
