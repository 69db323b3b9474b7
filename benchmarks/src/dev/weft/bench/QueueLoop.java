package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory baseline: the same messages, encoded and decoded with the same {@link JsonRpcCodec}, passed through
 * two {@link LinkedTransferQueue}s of frames by hand-written loops. The far end is one virtual thread that takes a frame,
 * decodes it, and puts the encoded echo answer on the other queue (as {@link WeftWire#memoryEchoLoop()} does).
 *
 * <p>Two ways to wait for the answer, the least code that is correct for that many callers:
 * <ul>
 *   <li>{@linkplain #direct() direct}, for one caller: the caller takes the next frame from the answer queue itself
 *       and decodes it. No correlation, no reader thread.</li>
 *   <li>{@linkplain #demux() demux}, for many callers: a map from id to a {@link CompletableFuture}, and one virtual
 *       reader thread that decodes each answer and completes the future with its id. When it takes the end marker
 *       ({@link #cut}), it fails every future still in the map.</li>
 * </ul>
 * What it leaves out, compared with {@code Connection}: timeouts, cancellation, interrupts, routed notifications,
 * incoming requests, error answers, protocol checks beyond the codec's, and a close that waits for its threads.
 */
final class QueueLoop implements Wire {
    private static final byte[] END = new byte[0];

    private final JsonRpcCodec codec = JsonRpcCodec.standard();
    private final LinkedTransferQueue<byte[]> toPeer = new LinkedTransferQueue<>();
    private final LinkedTransferQueue<byte[]> fromPeer = new LinkedTransferQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<RequestId, CompletableFuture<JsonNode>> waiting; // null when direct
    private volatile IOException end; // set once by the reader, before it fails the waiting calls
    private final Thread peer;
    private final Thread reader; // null when direct

    private QueueLoop(boolean demux) {
        peer = Thread.ofVirtual().name("bench-queue-peer").start(this::echoLoop);
        waiting = demux ? new ConcurrentHashMap<>() : null;
        reader = demux ? Thread.ofVirtual().name("bench-queue-reader").start(this::readLoop) : null;
    }

    static QueueLoop direct() {
        return new QueueLoop(false);
    }

    static QueueLoop demux() {
        return new QueueLoop(true);
    }

    private void echoLoop() {
        try {
            while (true) {
                byte[] frame = toPeer.take();
                if (frame == END) {
                    return;
                }
                if (codec.decode(frame) instanceof Request request && ECHO.equals(request.method())) {
                    fromPeer.put(codec.encode(new Response.Success(request.id(), request.params())));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void readLoop() {
        try {
            while (true) {
                byte[] frame = fromPeer.take();
                if (frame == END) {
                    end = new EOFException("bench: queue ended");
                    waiting.values().forEach(call -> call.completeExceptionally(end));
                    return;
                }
                Response.Success answer = (Response.Success) codec.decode(frame);
                waiting.remove(answer.id()).complete(answer.result());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JsonNode call(String method, JsonNode params) throws Exception {
        RequestId id = RequestId.of(ids.incrementAndGet());
        byte[] request = codec.encode(new Request(id, method, params));
        if (waiting == null) {
            toPeer.put(request);
            Message answer = codec.decode(fromPeer.take());
            return ((Response.Success) answer).result();
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        if (end != null) {
            waiting.remove(id);
            throw end;
        }
        toPeer.put(request);
        return answer.get(1, TimeUnit.MINUTES);
    }

    @Override
    public int pending() {
        return waiting == null ? 0 : waiting.size();
    }

    @Override
    public void cut() {
        fromPeer.put(END);
    }

    @Override
    public Class<? extends Exception> endedType() {
        return ExecutionException.class;
    }

    @Override
    public void close() {
        toPeer.put(END);
        if (reader != null && end == null) {
            fromPeer.put(END);
        }
        try {
            peer.join();
            if (reader != null) {
                reader.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
