package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.transport.MemoryTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The far end of an in-memory pair, driven by a test: a reader thread files what arrives, and the test answers,
 * misbehaves, or kills the wire. Frames that are not messages are filed as {@link MalformedMessageException}s.
 */
final class ScriptedPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final MemoryTransport transport;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Thread reader;

    ScriptedPeer(MemoryTransport transport) {
        this.transport = transport;
        this.reader = Thread.ofVirtual().name("weft-test-peer").start(this::read);
    }

    private void read() {
        while (true) {
            try {
                received.add(transport.receive());
            } catch (MalformedMessageException e) {
                received.add(e);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The next thing that arrived, waiting up to {@link #WAIT}. */
    Object next() throws InterruptedException {
        Object m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("nothing arrived within " + WAIT);
        }
        return m;
    }

    <T> T next(Class<T> type) throws InterruptedException {
        Object m = next();
        if (!type.isInstance(m)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but got " + m);
        }
        return type.cast(m);
    }

    void send(Message m) throws IOException {
        transport.send(m);
    }

    void sendRaw(String frame) throws IOException {
        transport.sendRaw(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    void answer(Request r, JsonNode result) throws IOException {
        send(new Response.Success(r.id(), result));
    }

    @Override
    public void close() {
        transport.close();
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static ObjectNode obj(String k, Object v) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set(k, JsonRpcCodec.standard().mapper().valueToTree(v));
        return n;
    }

    /** An MCP-shaped cancel protocol: {@code notifications/cancelled {requestId, reason}}. */
    static final CancelProtocol CANCELLED = new CancelProtocol() {
        @Override
        public String method() {
            return "notifications/cancelled";
        }

        @Override
        public Notification cancel(RequestId id, String method, String reason) {
            if (method.equals("initialize")) {
                return null;
            }
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            switch (id) {
                case RequestId.Number n -> params.put("requestId", n.value());
                case RequestId.Text t -> params.put("requestId", t.value());
            }
            params.put("reason", reason);
            return new Notification(method(), params);
        }

        @Override
        public RequestId cancelledId(Notification cancel) {
            JsonNode id = cancel.params() == null ? null : cancel.params().get("requestId");
            if (id == null) {
                return null;
            }
            return id.isIntegralNumber() ? RequestId.of(id.longValue()) : RequestId.of(id.asText());
        }
    };
}
