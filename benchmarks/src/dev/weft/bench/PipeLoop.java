package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The stdio baseline: a raw JSON-lines loop on the pipes of the same kind of {@link EchoPeer} process, started with
 * {@link ProcessBuilder} (no {@code setsid}, no standard error drain, no exit watcher).
 *
 * <p>A call builds the request as a Jackson {@link ObjectNode} ({@code jsonrpc}, {@code id}, {@code method},
 * {@code params}), writes it with {@link ObjectMapper#writeValueAsBytes}, then {@code '\n'}, and flushes. An answer is
 * read with {@link BufferedReader#readLine()} and parsed with {@link ObjectMapper#readTree(String)}; its
 * {@code result} is the call's result. Two ways to wait for it, as in {@link QueueLoop}:
 * <ul>
 *   <li>{@linkplain #direct direct}, for one caller: write a line, flush, read a line, parse it, on the caller's
 *       thread. No correlation, no reader thread.</li>
 *   <li>{@linkplain #demux demux}, for many callers: writes under a {@link ReentrantLock}; one platform reader thread
 *       (as Weft's pump, so that a silent pipe does not hold a carrier) parses each line and completes the
 *       {@link CompletableFuture} registered under its id. At the end of the stream it fails every future left.</li>
 * </ul>
 */
final class PipeLoop implements Wire {
    private final ObjectMapper mapper = new ObjectMapper();
    private final Process process;
    private final OutputStream out;
    private final BufferedReader in;
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> waiting; // null when direct
    private volatile IOException end; // set once by the reader, before it fails the waiting calls
    private final Thread reader; // null when direct

    private PipeLoop(List<String> argv, boolean demux) {
        try {
            process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out = process.getOutputStream();
        in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        waiting = demux ? new ConcurrentHashMap<>() : null;
        reader = demux ? Thread.ofPlatform().daemon().name("bench-pipe-reader").start(this::readLoop) : null;
    }

    static PipeLoop direct(List<String> argv) {
        return new PipeLoop(argv, false);
    }

    static PipeLoop demux(List<String> argv) {
        return new PipeLoop(argv, true);
    }

    private void readLoop() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode answer = mapper.readTree(line);
                waiting.remove(answer.get("id").longValue()).complete(answer.get("result"));
            }
            end = new EOFException("bench: end of the peer's output");
        } catch (IOException e) {
            end = e;
        }
        waiting.values().forEach(call -> call.completeExceptionally(end));
    }

    @Override
    public JsonNode call(String method, JsonNode params) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode request = mapper.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", params);
        byte[] line = mapper.writeValueAsBytes(request);
        if (waiting == null) {
            write(line);
            String answer = in.readLine();
            if (answer == null) {
                throw new EOFException("bench: end of the peer's output");
            }
            return mapper.readTree(answer).get("result");
        }
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
        return answer.get(1, TimeUnit.MINUTES);
    }

    private void write(byte[] line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }

    @Override
    public int pending() {
        return waiting == null ? 0 : waiting.size();
    }

    @Override
    public void cut() {
        process.toHandle().destroyForcibly();
    }

    @Override
    public Class<? extends Exception> endedType() {
        return ExecutionException.class;
    }

    @Override
    public void close() {
        try {
            out.close(); // the peer exits at the end of its input
        } catch (IOException e) {
            // it is gone already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
            if (reader != null) {
                reader.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            in.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
