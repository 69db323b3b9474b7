package dev.weft.bench.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The floor: no client library, a plain loop writing JSON-RPC lines to the peer's standard input and reading its
 * standard output, in the manner of the stdio baseline of the other benchmarks ({@code PipeLoop}). The peer is started
 * with {@link ProcessBuilder} (standard error discarded) before anything else is done, so that it boots while the
 * floor loads Jackson. A request is built as a Jackson {@link ObjectNode}, written
 * with {@link ObjectMapper#writeValueAsBytes} and {@code '\n'}, and flushed; an answer is read with
 * {@link BufferedReader#readLine()} and parsed with {@link ObjectMapper#readTree(String)}. The handshake is the
 * {@code initialize} request (protocol version 2025-11-25, checked in the answer) and the
 * {@code notifications/initialized} notification.
 *
 * <p>For one caller (<em>direct</em>), the caller writes its request and reads the next line itself: no correlation,
 * no reader thread. For more (<em>demux</em>), writes are made under a {@link ReentrantLock}, and one platform reader
 * thread parses each line and completes the {@link CompletableFuture} registered under its id; at the end of the
 * peer's output it fails every future left. That is the least code that is correct for many callers; it leaves out
 * what a client does besides (timeouts, cancellation, server-to-client requests, notifications, error types, close).
 */
public final class FloorSide implements Side {
    public static void main(String[] args) throws Exception {
        long entered = System.nanoTime();
        Instant enteredWall = Instant.now();
        Child.run(args, entered, enteredWall, new FloorSide());
    }

    @Override
    public Client open(List<String> peer, int callers) throws IOException {
        return new Loop(peer, callers > 1);
    }

    private static final class Loop implements Client {
        private final Process process; // started first, so that the peer boots while Jackson loads
        private final ObjectMapper mapper;
        private final OutputStream out;
        private final BufferedReader in;
        private final AtomicLong ids = new AtomicLong();
        private final ReentrantLock writeLock = new ReentrantLock();
        private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> waiting; // null when direct
        private volatile IOException end; // set once by the reader, before it fails the waiting calls
        private final Thread reader; // null when direct

        Loop(List<String> peer, boolean demux) throws IOException {
            process = new ProcessBuilder(peer).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            mapper = new ObjectMapper();
            out = process.getOutputStream();
            in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            ObjectNode params = mapper.createObjectNode().put("protocolVersion", "2025-11-25");
            params.putObject("capabilities");
            params.putObject("clientInfo").put("name", "weft-bench-floor").put("version", "1");
            JsonNode init = direct("initialize", params);
            if (!"2025-11-25".equals(init.path("protocolVersion").asText())) {
                throw new IOException("unexpected initialize result " + init);
            }
            write(mapper.writeValueAsBytes(mapper.createObjectNode().put("jsonrpc", "2.0")
                    .put("method", "notifications/initialized")));
            waiting = demux ? new ConcurrentHashMap<>() : null;
            reader = demux ? Thread.ofPlatform().daemon().name("floor-reader").start(this::readLoop) : null;
        }

        private void readLoop() {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode answer = mapper.readTree(line);
                    CompletableFuture<JsonNode> call = waiting.remove(answer.get("id").longValue());
                    if (answer.has("error")) {
                        call.completeExceptionally(new IOException("error answer " + answer.get("error")));
                    } else {
                        call.complete(answer.get("result"));
                    }
                }
                end = new EOFException("floor: end of the peer's output");
            } catch (IOException e) {
                end = e;
            }
            waiting.values().forEach(call -> call.completeExceptionally(end));
        }

        private byte[] request(long id, String method, JsonNode params) throws IOException {
            ObjectNode request = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
            request.set("params", params);
            return mapper.writeValueAsBytes(request);
        }

        /** One call on the caller's thread: write, then read the next line. */
        private JsonNode direct(String method, JsonNode params) throws IOException {
            write(request(ids.incrementAndGet(), method, params));
            String line = in.readLine();
            if (line == null) {
                throw new EOFException("floor: end of the peer's output");
            }
            JsonNode answer = mapper.readTree(line);
            if (answer.has("error")) {
                throw new IOException("error answer " + answer.get("error"));
            }
            return answer.get("result");
        }

        private JsonNode call(String method, JsonNode params) throws Exception {
            if (waiting == null) {
                return direct(method, params);
            }
            long id = ids.incrementAndGet();
            byte[] line = request(id, method, params);
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            waiting.put(id, answer);
            if (end != null) {
                waiting.remove(id);
                throw end;
            }
            writeLock.lock();
            try {
                write(line);
            } finally {
                writeLock.unlock();
            }
            try {
                return answer.get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        private void write(byte[] line) throws IOException {
            out.write(line);
            out.write('\n');
            out.flush();
        }

        private JsonNode tool(String name, String argument, Object value) throws Exception {
            ObjectNode params = mapper.createObjectNode().put("name", name);
            ObjectNode arguments = params.putObject("arguments");
            if (value instanceof Long number) {
                arguments.put(argument, number);
            } else {
                arguments.put(argument, (String) value);
            }
            JsonNode result = call("tools/call", params);
            if (result.path("isError").asBoolean()) {
                throw new IOException("tool error " + result);
            }
            return result;
        }

        @Override
        public String echo(String message) throws Exception {
            return tool("echo", "message", message).path("content").path(0).path("text").asText();
        }

        @Override
        public void hold(long ms) throws Exception {
            tool("hold", "ms", ms);
        }

        @Override
        public void ping() throws Exception {
            call("ping", mapper.createObjectNode());
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void close() throws Exception {
            try {
                out.close(); // the peer exits at the end of its input
            } catch (IOException e) {
                // it is gone already
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            if (reader != null) {
                reader.join();
            }
            in.close();
        }
    }
}
