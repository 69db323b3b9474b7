package dev.weft.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The MCP stdio server every client of the MCP client benchmark talks to: newline-delimited JSON-RPC on standard input
 * and output, parsed and written with Jackson, no MCP library. It answers:
 * <ul>
 *   <li>{@code initialize}: the client's {@code protocolVersion} when it is 2025-11-25, 2025-06-18 or 2025-03-26
 *       (otherwise 2025-11-25), capabilities {@code {"tools":{}}}, and its name;</li>
 *   <li>{@code ping}: {@code {}};</li>
 *   <li>{@code tools/list}: the two tools, {@code echo {message}} and {@code hold {ms}};</li>
 *   <li>{@code tools/call echo}: at once, with one text content item holding the message;</li>
 *   <li>{@code tools/call hold}: after {@code ms} milliseconds, on a timer thread, while the reader goes on serving
 *       other requests;</li>
 *   <li>any other request: the JSON-RPC error -32601. Notifications ({@code notifications/initialized},
 *       {@code notifications/cancelled}) are read and ignored.</li>
 * </ul>
 * One reader thread serves everything but held answers, in arrival order. It flushes its answers when no more input
 * is waiting, so that a burst of requests is answered with few writes; a held answer is flushed at once. Exits at the
 * end of its input.
 */
public final class McpPeer {
    private static final Set<String> VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26");
    private static final String LATEST = "2025-11-25";

    private final ObjectMapper mapper = new ObjectMapper();
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8),
            64 * 1024);
    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
    private final ReentrantLock outLock = new ReentrantLock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "peer-hold-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final JsonNode tools;

    private McpPeer() throws IOException {
        tools = mapper.readTree("""
                {"tools":[
                  {"name":"echo","description":"Answers with its message.",
                   "inputSchema":{"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}},
                  {"name":"hold","description":"Answers after ms milliseconds.",
                   "inputSchema":{"type":"object","properties":{"ms":{"type":"integer"}},"required":["ms"]}}
                ]}""");
    }

    public static void main(String[] args) throws IOException {
        new McpPeer().serve();
    }

    private void serve() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request = mapper.readTree(line);
            JsonNode id = request.get("id");
            if (id == null || !request.has("method")) {
                continue; // a notification (or a stray answer): nothing to say
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
                    result.putObject("serverInfo").put("name", "weft-bench-peer").put("version", "1");
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
                        text(answer, "held " + ms + " ms");
                        timer.schedule(() -> write(answer, true), ms, TimeUnit.MILLISECONDS);
                        continue;
                    } else {
                        answer.putObject("error").put("code", -32602).put("message", "unknown tool: " + tool);
                    }
                }
                default -> answer.putObject("error").put("code", -32601).put("message", "method not found: " + method);
            }
            write(answer, !in.ready());
        }
        outLock.lock();
        try {
            out.flush();
        } finally {
            outLock.unlock();
        }
    }

    private static void text(ObjectNode answer, String text) {
        ObjectNode result = answer.putObject("result");
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", false);
    }

    private void write(JsonNode answer, boolean flush) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(answer);
            outLock.lock();
            try {
                out.write(bytes);
                out.write('\n');
                if (flush) {
                    out.flush();
                }
            } finally {
                outLock.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
