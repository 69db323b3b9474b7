package dev.weft.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.IncomingRequest;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.transport.MemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ACP agent in the test JVM, over an in-memory pair, whose prompt turns run a script the test supplies: fast and
 * deterministic where the real peers take seconds. It speaks through Weft's own {@link Connection}, so its requests
 * to the client (permission) and its updates go out as a real agent's would.
 */
final class FakeAgent implements AutoCloseable {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What one prompt turn does; returns the prompt's result, or throws an {@link RpcErrorException}. */
    @FunctionalInterface
    interface Script {
        JsonNode run(Turn turn) throws Exception;
    }

    /** The agent's view of one turn. */
    final class Turn {
        final String sessionId;
        final JsonNode prompt;
        final CountDownLatch cancelled;
        final IncomingRequest request;

        Turn(String sessionId, JsonNode prompt, CountDownLatch cancelled, IncomingRequest request) {
            this.sessionId = sessionId;
            this.prompt = prompt;
            this.cancelled = cancelled;
            this.request = request;
        }

        /** The first word of the first text block. */
        String word() {
            String text = prompt.path(0).path("text").asText("");
            return text.split("\\s+")[0];
        }

        void update(ObjectNode update) {
            ObjectNode params = JSON.objectNode();
            params.put("sessionId", sessionId);
            params.set("update", update);
            connection.notify("session/update", params);
        }

        void message(String text) {
            ObjectNode update = JSON.objectNode().put("sessionUpdate", "agent_message_chunk");
            update.putObject("content").put("type", "text").put("text", text);
            update(update);
        }

        void toolCall(String id, String status) {
            update(JSON.objectNode().put("sessionUpdate", "tool_call").put("toolCallId", id).put("title", "call " + id)
                    .put("kind", "read").put("status", status));
        }

        void toolCallUpdate(String id, String status) {
            update(JSON.objectNode().put("sessionUpdate", "tool_call_update").put("toolCallId", id)
                    .put("status", status));
        }

        /** Asks permission for {@code toolCallId}; returns the chosen option id, or {@code "cancelled"}. */
        String permission(String toolCallId) {
            ObjectNode params = JSON.objectNode();
            params.put("sessionId", sessionId);
            params.putObject("toolCall").put("toolCallId", toolCallId);
            params.putArray("options")
                    .add(JSON.objectNode().put("optionId", "allow").put("name", "Allow").put("kind", "allow_once"))
                    .add(JSON.objectNode().put("optionId", "reject").put("name", "Reject").put("kind", "reject_once"));
            JsonNode answer = connection.call("session/request_permission", params);
            JsonNode outcome = answer.path("outcome");
            String result = outcome.path("outcome").asText().equals("selected") ? outcome.path("optionId").asText()
                    : outcome.path("outcome").asText();
            permissionAnswers.add(toolCallId + "=" + result);
            return result;
        }

        /** Waits until the client sends session/cancel; {@code true} if it did within {@code timeout}. */
        boolean awaitCancel(Duration timeout) throws InterruptedException {
            return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        JsonNode stop(String reason) {
            return JSON.objectNode().put("stopReason", reason);
        }

        Connection connection() {
            return connection;
        }
    }

    final MemoryTransport.Pair pair = MemoryTransport.pair();
    final List<String> received = new CopyOnWriteArrayList<>(); // methods, in order
    final List<String> permissionAnswers = new CopyOnWriteArrayList<>();
    final AtomicInteger cancels = new AtomicInteger();
    private final Map<String, CountDownLatch> cancelLatches = new ConcurrentHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile Script script;
    private volatile JsonNode clientCapabilities;
    private final Connection connection;

    FakeAgent(Script script) {
        this.script = script;
        ConnectionOptions options = ConnectionOptions.DEFAULT.withName("weft-test-agent")
                .withCancelProtocol(AcpClient.CANCEL)
                .withRequestHandler("initialize", this::initialize)
                .withRequestHandler("session/new", request -> {
                    received.add(request.method());
                    String id = "session-" + sessions.incrementAndGet();
                    cancelLatches.put(id, new CountDownLatch(1));
                    ObjectNode announce = JSON.objectNode().put("sessionId", id); // before the answer, as some do
                    announce.putObject("update").put("sessionUpdate", "available_commands_update")
                            .putArray("availableCommands").add(JSON.objectNode().put("name", "review")
                                    .put("description", "Review the changes"));
                    request.connection().notify("session/update", announce);
                    ObjectNode result = JSON.objectNode().put("sessionId", id);
                    ObjectNode modes = result.putObject("modes").put("currentModeId", "default");
                    modes.putArray("availableModes").add(JSON.objectNode().put("id", "default").put("name", "Default"))
                            .add(JSON.objectNode().put("id", "plan").put("name", "Plan"));
                    return result;
                })
                .withRequestHandler("session/set_mode", request -> {
                    received.add(request.method());
                    ObjectNode params = JSON.objectNode().put("sessionId", request.params().path("sessionId").asText());
                    params.putObject("update").put("sessionUpdate", "current_mode_update")
                            .put("currentModeId", request.params().path("modeId").asText());
                    request.connection().notify("session/update", params);
                    return JSON.objectNode();
                })
                .withRequestHandler("session/prompt", this::prompt)
                .withRequestHandler("authenticate", request -> {
                    received.add(request.method() + " " + request.params().path("methodId").asText());
                    return JSON.objectNode();
                })
                .withNotificationHandler("session/cancel", notification -> {
                    received.add(notification.method());
                    cancels.incrementAndGet();
                    latch(notification.params().path("sessionId").asText()).countDown();
                });
        connection = Connection.open(pair.right(), options);
    }

    void script(Script script) {
        this.script = script;
    }

    JsonNode clientCapabilities() {
        return clientCapabilities;
    }

    MemoryTransport clientEnd() {
        return pair.left();
    }

    /** Writes {@code text} to the client as it is, as an agent that prints to its stdout would. */
    void sendRaw(String text) {
        try {
            pair.right().sendRaw(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Ends the agent's side at once, as if its process died. */
    void die() {
        pair.right().fail(new java.io.EOFException("the fake agent died"));
    }

    private JsonNode initialize(IncomingRequest request) {
        received.add(request.method());
        clientCapabilities = request.params().path("clientCapabilities");
        ObjectNode result = JSON.objectNode().put("protocolVersion", 1);
        ObjectNode capabilities = result.putObject("agentCapabilities").put("loadSession", true);
        capabilities.putObject("promptCapabilities").put("embeddedContext", true);
        result.putArray("authMethods").add(JSON.objectNode().put("id", "token").put("name", "Token"));
        return result;
    }

    private CountDownLatch latch(String sessionId) {
        return cancelLatches.computeIfAbsent(sessionId, id -> new CountDownLatch(1));
    }

    private JsonNode prompt(IncomingRequest request) throws Exception {
        received.add(request.method());
        String sessionId = request.params().path("sessionId").asText();
        // This turn's flag was made when the last turn ended: a cancel dispatched before this handler started counts.
        CountDownLatch cancelled = latch(sessionId);
        try {
            return script.run(new Turn(sessionId, request.params().path("prompt"), cancelled, request));
        } finally {
            cancelLatches.put(sessionId, new CountDownLatch(1));
        }
    }

    static RpcErrorException internalError(String details) {
        return new RpcErrorException(new RpcError(RpcError.INTERNAL_ERROR, "Internal error",
                JSON.objectNode().put("details", details)));
    }

    @Override
    public void close() {
        connection.close();
    }
}
