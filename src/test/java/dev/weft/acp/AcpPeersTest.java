package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.testing.NpmPeers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The contract of the two ACP test peers, in raw JSON-RPC over their stdin and stdout, without any of Weft's code: the
 * facts of the scenario matrix that Weft's ACP client and its tests rely on. Peer A is the example agent of the ACP
 * TypeScript SDK 1.9.0 ({@link NpmPeers#acpExampleAgent()}; a turn takes about 5 s, so it gets one test). Peer B is our
 * scripted agent on SDK 2.4.0 ({@link NpmPeers#acpScriptedAgent()}, {@code src/test/peers/acp/scripted-agent.mjs}),
 * where the first word of a prompt picks a script.
 *
 * <p>Each test starts its peer with a plain {@link ProcessBuilder}; a reader thread queues the lines the peer writes,
 * and the test thread takes them with a deadline. Every request waits for the initialize response first: SDK 2.4.0
 * rejects a request that arrives before it.
 */
class AcpPeersTest {
    /** How long any one expected message may take; peer A waits 1 s on a timer before each step. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger STARTED = new AtomicInteger();

    @Test
    void exampleAgentInitializesAndFinishesAnAllowedTurn() throws Exception {
        try (RawPeer peer = RawPeer.start("example-agent", NpmPeers.acpExampleAgent())) {
            assertThat(peer.initialize(false, false).get("result"))
                    .isEqualTo(json("{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":false}}"));
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "hello");
            JsonNode permission = peer.nextRequest("session/request_permission");
            assertThat(permission.at("/params/toolCall/toolCallId").asText()).isEqualTo("call_2");
            assertThat(optionIds(permission)).containsExactly("allow", "reject");
            peer.answer(permission, selected("allow"));

            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("end_turn");
            assertThat(toolStatuses(peer.updates(session))).containsExactly(entry("call_1", "completed"),
                    entry("call_2", "completed"));
        }
    }

    @Test
    void scriptedAgentInitializesAndOffersTwoModes() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            assertThat(peer.initialize(false, false).get("result")).isEqualTo(json(
                    "{\"protocolVersion\":1,\"agentCapabilities\":{\"loadSession\":true},\"authMethods\":[]}"));
            JsonNode created = peer.newSession();
            assertThat(created.at("/result/sessionId").asText()).isNotBlank();
            assertThat(created.at("/result/modes")).isEqualTo(json("{\"currentModeId\":\"default\",\"availableModes\":"
                    + "[{\"id\":\"default\",\"name\":\"Default\"},{\"id\":\"plan\",\"name\":\"Plan\"}]}"));
        }
    }

    @Test
    void toolsAllowedCompletesAllButT2ThenUsageThenEndTurn() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "tools please");
            JsonNode permission = peer.nextRequest("session/request_permission");
            assertThat(permission.at("/params/toolCall/toolCallId").asText()).isEqualTo("t4");
            assertThat(optionIds(permission)).containsExactly("allow", "reject");
            peer.answer(permission, selected("allow"));
            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("end_turn");

            List<JsonNode> updates = peer.updates(session);
            assertThat(updates.get(0).at("/sessionUpdate").asText()).isEqualTo("plan");
            assertThat(updates.get(0).at("/entries/0/status").asText()).isEqualTo("in_progress");
            assertThat(updates.get(1).at("/sessionUpdate").asText()).isEqualTo("agent_thought_chunk");
            assertThat(toolStatuses(updates)).containsExactly(entry("t1", "completed"), entry("t2", "failed"),
                    entry("t3", "completed"), entry("t4", "completed"));
            assertThat(updates).filteredOn(u -> u.at("/toolCallId").asText().equals("t4"))
                    .first().satisfies(t4 -> {
                        assertThat(t4.at("/kind").asText()).isEqualTo("edit");
                        assertThat(t4.at("/content/0/type").asText()).isEqualTo("diff");
                        assertThat(t4.at("/content/0/path").asText()).isEqualTo(peer.cwd().resolve("a.txt")
                                .toString());
                    });
            assertThat(updates.getLast()).isEqualTo(json("{\"sessionUpdate\":\"usage_update\",\"used\":1000,"
                    + "\"size\":200000,\"cost\":{\"amount\":0.01,\"currency\":\"USD\"}}"));
        }
    }

    @Test
    void toolsRejectedFailsT4AndStillEndsTheTurn() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "tools");
            peer.answer(peer.nextRequest("session/request_permission"), selected("reject"));
            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("end_turn");
            assertThat(toolStatuses(peer.updates(session))).containsEntry("t4", "failed");
        }
    }

    @Test
    void crashExitsThreeWithoutAnsweringThePrompt() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "crash");
            peer.awaitEndOfOutput();
            assertThat(peer.process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(peer.process.exitValue()).isEqualTo(3);
            assertThat(peer.seen).noneMatch(isResponseTo(prompt));
        }
    }

    @Test
    void errorAnswersInternalErrorWithScriptedDetails() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            JsonNode answer = peer.response(peer.prompt(session, "error"));
            assertThat(answer.has("result")).isFalse();
            assertThat(answer.at("/error/code").asInt()).isEqualTo(-32603);
            assertThat(answer.at("/error/message").asText()).isEqualTo("Internal error");
            assertThat(answer.at("/error/data/details").asText()).isEqualTo("scripted failure");
        }
    }

    @Test
    void hangAnswersCancelledOnlyAfterSessionCancel() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "hang");
            peer.nextUpdate(session, "agent_thought_chunk");
            // The peer answers a later request while the prompt stays open: it is idle, not busy.
            peer.response(peer.request("session/set_mode", Map.of("sessionId", session, "modeId", "plan")));
            assertThat(peer.seen).noneMatch(isResponseTo(prompt));

            peer.notify("session/cancel", Map.of("sessionId", session));
            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("cancelled");
        }
    }

    @Test
    void cancelWhilePermissionIsPendingAnswersCancelled() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "tools");
            JsonNode permission = peer.nextRequest("session/request_permission");
            int beforeCancel = peer.seen.size();
            peer.notify("session/cancel", Map.of("sessionId", session));
            peer.answer(permission, Map.of("outcome", Map.of("outcome", "cancelled")));

            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("cancelled");
            assertThat(peer.seen.subList(beforeCancel, peer.seen.size())).noneMatch(isUpdate());
            assertThat(toolStatuses(peer.updates(session))).containsEntry("t4", "pending");
        }
    }

    /** The cancel may reach the agent after the permission answer (ACP.md §4): the answer alone must cancel. */
    @Test
    void permissionAnsweredCancelledCancelsTheTurnByItself() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "tools");
            JsonNode permission = peer.nextRequest("session/request_permission");
            int beforeAnswer = peer.seen.size();
            peer.answer(permission, Map.of("outcome", Map.of("outcome", "cancelled")));

            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("cancelled");
            assertThat(peer.seen.subList(beforeAnswer, peer.seen.size())).noneMatch(isUpdate());
        }
    }

    @Test
    void slowCancelledMidTurnAnswersCancelledLeavesT1PendingAndTheNextTurnWorks() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            long prompt = peer.prompt(session, "slow");
            peer.next(m -> isUpdate().test(m) && m.at("/params/update/toolCallId").asText().equals("t1"),
                    "tool_call t1");
            peer.notify("session/cancel", Map.of("sessionId", session));
            assertThat(peer.response(prompt).at("/result/stopReason").asText()).isEqualTo("cancelled");
            assertThat(toolStatuses(peer.updates(session))).containsExactly(entry("t1", "pending"));

            assertThat(peer.response(peer.prompt(session, "again")).at("/result/stopReason").asText())
                    .isEqualTo("end_turn");
            assertThat(peer.updates(session)).anySatisfy(u -> assertThat(u.at("/content/text").asText())
                    .isEqualTo("echo: again"));
        }
    }

    @Test
    void fsWithoutTheCapabilitySaysSoAndNeverAsksTheClient() throws Exception {
        try (RawPeer peer = RawPeer.start("scripted-agent", NpmPeers.acpScriptedAgent())) {
            peer.initialize(false, false);
            String session = peer.newSession().at("/result/sessionId").asText();

            assertThat(peer.response(peer.prompt(session, "fs")).at("/result/stopReason").asText())
                    .isEqualTo("end_turn");
            assertThat(peer.seen).noneMatch(m -> m.path("method").asText().startsWith("fs/"));
            assertThat(peer.updates(session)).anySatisfy(u -> {
                assertThat(u.at("/sessionUpdate").asText()).isEqualTo("agent_message_chunk");
                assertThat(u.at("/content/text").asText()).contains("did not advertise");
            });
        }
    }

    private static JsonNode json(String text) throws JsonProcessingException {
        return JSON.readTree(text);
    }

    private static Map<String, Object> selected(String optionId) {
        return Map.of("outcome", Map.of("outcome", "selected", "optionId", optionId));
    }

    private static List<String> optionIds(JsonNode permission) {
        List<String> ids = new ArrayList<>();
        permission.at("/params/options").forEach(o -> ids.add(o.path("optionId").asText()));
        return ids;
    }

    /** Each tool call's last status, in order of first appearance. */
    private static Map<String, String> toolStatuses(List<JsonNode> updates) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode update : updates) {
            if (update.has("toolCallId") && update.has("status")) {
                statuses.put(update.get("toolCallId").asText(), update.get("status").asText());
            }
        }
        return statuses;
    }

    private static Predicate<JsonNode> isUpdate() {
        return m -> m.path("method").asText().equals("session/update");
    }

    private static Predicate<JsonNode> isResponseTo(long id) {
        return m -> !m.has("method") && m.path("id").isIntegralNumber() && m.get("id").asLong() == id;
    }

    /**
     * One agent process spoken to line by line. The reader thread only parses and queues; the test thread takes
     * messages with {@link #next}, which records every message it takes in {@link #seen}, in arrival order.
     */
    private static final class RawPeer implements AutoCloseable {
        private static final JsonNode END = MissingNode.getInstance();

        final Process process;
        final List<JsonNode> seen = new ArrayList<>();
        private final String name;
        private final Path stderr;
        private final Writer stdin;
        private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private long nextId;

        private RawPeer(String name, Process process, Path stderr) {
            this.name = name;
            this.process = process;
            this.stderr = stderr;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.reader = Thread.ofPlatform().name("acp-peer-reader-" + name).daemon().start(this::read);
        }

        static RawPeer start(String name, List<String> argv) throws IOException {
            Path logs = NpmPeers.projectRoot().resolve("target/acp-peers");
            Files.createDirectories(logs);
            Path stderr = logs.resolve(name + "-" + STARTED.incrementAndGet() + ".stderr.log");
            Process process = new ProcessBuilder(argv).redirectError(stderr.toFile()).start();
            return new RawPeer(name, process, stderr);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    JsonNode message = parse(line);
                    if (message != null) {
                        lines.add(message);
                    }
                }
            } catch (IOException e) {
                // The process was destroyed under us: its output ends here.
            } finally {
                lines.add(END);
            }
        }

        /** A JSON object, or null for a line that is not one: agents may print other lines on stdout. */
        private static JsonNode parse(String line) {
            try {
                JsonNode node = line.startsWith("{") ? JSON.readTree(line) : null;
                return node != null && node.isObject() ? node : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        }

        Path cwd() {
            return NpmPeers.projectRoot().resolve("target");
        }

        JsonNode initialize(boolean fs, boolean terminal) throws InterruptedException {
            return response(request("initialize", Map.of("protocolVersion", 1,
                    "clientCapabilities", Map.of("fs", Map.of("readTextFile", fs, "writeTextFile", fs),
                            "terminal", terminal),
                    "clientInfo", Map.of("name", "weft-test", "version", "0"))));
        }

        JsonNode newSession() throws InterruptedException {
            return response(request("session/new", Map.of("cwd", cwd().toString(), "mcpServers", List.of())));
        }

        long prompt(String session, String text) {
            return request("session/prompt", Map.of("sessionId", session,
                    "prompt", List.of(Map.of("type", "text", "text", text))));
        }

        long request(String method, Object params) {
            long id = nextId++;
            send(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params));
            return id;
        }

        void notify(String method, Object params) {
            send(Map.of("jsonrpc", "2.0", "method", method, "params", params));
        }

        void answer(JsonNode request, Object result) {
            ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", request.get("id"));
            response.set("result", JSON.valueToTree(result));
            send(response);
        }

        private void send(Object message) {
            try {
                stdin.write(JSON.writeValueAsString(message) + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + name + "; its stderr is in " + stderr, e);
            }
        }

        JsonNode response(long id) throws InterruptedException {
            return next(isResponseTo(id), "the response to request " + id);
        }

        JsonNode nextRequest(String method) throws InterruptedException {
            return next(m -> m.path("method").asText().equals(method) && m.has("id"), "a " + method + " request");
        }

        JsonNode nextUpdate(String session, String kind) throws InterruptedException {
            return next(m -> isUpdate().test(m) && m.at("/params/sessionId").asText().equals(session)
                    && m.at("/params/update/sessionUpdate").asText().equals(kind), "a " + kind + " update");
        }

        /** The {@code update} objects of the session's {@code session/update} notifications seen so far. */
        List<JsonNode> updates(String session) {
            return seen.stream().filter(isUpdate())
                    .filter(m -> m.at("/params/sessionId").asText().equals(session))
                    .map(m -> m.at("/params/update")).toList();
        }

        /** Takes messages until one matches and returns it; fails when the deadline passes or the output ends. */
        JsonNode next(Predicate<JsonNode> match, String what) throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                JsonNode message = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    return fail("%s sent no %s within %s; it sent %s; stderr in %s", name, what, PATIENCE, seen,
                            stderr);
                }
                if (message == END) {
                    return fail("%s closed its output before %s; it sent %s; stderr in %s", name, what, seen, stderr);
                }
                seen.add(message);
                if (match.test(message)) {
                    return message;
                }
            }
        }

        /** Takes every message until the peer closes its output. */
        void awaitEndOfOutput() throws InterruptedException {
            long end = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                JsonNode message = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    fail("%s kept its output open for %s; it sent %s", name, PATIENCE, seen);
                }
                if (message == END) {
                    return;
                }
                seen.add(message);
            }
        }

        @Override
        public void close() throws InterruptedException {
            try {
                stdin.close();
            } catch (IOException e) {
                // Already gone (a crashed peer): nothing to flush.
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("%s (pid %d) did not die within %s", name, process.pid(), PATIENCE);
            }
            reader.join(PATIENCE);
            if (reader.isAlive()) {
                fail("the reader of %s did not end within %s", name, PATIENCE);
            }
        }
    }
}
