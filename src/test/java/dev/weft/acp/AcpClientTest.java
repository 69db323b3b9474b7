package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("concurrency")
class AcpClientTest {
    private static final Path CWD = Path.of("/tmp");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private FakeAgent agent(FakeAgent.Script script) {
        FakeAgent agent = new FakeAgent(script);
        toClose.add(agent);
        return agent;
    }

    private AcpClient client(FakeAgent agent, AcpClientOptions options) {
        AcpClient client = AcpClient.connect(agent.clientEnd(), options);
        toClose.add(client);
        return client;
    }

    private AcpClient client(FakeAgent agent) {
        return client(agent, AcpClientOptions.defaults().withCancelDrain(Duration.ofSeconds(5)));
    }

    /** What a listener saw: each update's short form, and the threads it ran on. */
    private static final class Seen implements java.util.function.Consumer<SessionUpdate> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void accept(SessionUpdate update) {
            threads.add(Thread.currentThread());
            events.add(describe(update));
        }

        static String describe(SessionUpdate update) {
            return switch (update) {
                case SessionUpdate.AgentMessageChunk chunk -> "say " + ((dev.weft.mcp.Content.Text) chunk.content()).text();
                case SessionUpdate.ToolCall call -> "call " + call.toolCallId() + " " + call.statusOrPending();
                case SessionUpdate.ToolCallUpdate change -> (change.synthesized() ? "closed " : "update ")
                        + change.toolCallId() + " " + change.status();
                case SessionUpdate.CurrentModeUpdate mode -> "mode " + mode.currentModeId();
                default -> update.kind();
            };
        }
    }

    @Test
    void initializeAdvertisesWhatTheClientServesAndReadsTheAgent() {
        FakeAgent agent = agent(turn -> turn.stop("end_turn"));
        AcpClient client = client(agent, AcpClientOptions.defaults());
        assertThat(agent.clientCapabilities().path("fs").path("readTextFile").asBoolean(true)).isFalse();
        assertThat(agent.clientCapabilities().path("terminal").asBoolean(true)).isFalse();
        assertThat(client.agent().protocolVersion()).isEqualTo(1);
        assertThat(client.agent().agentCapabilities().loadSession()).isTrue();

        AcpSession session = client.newSession(CWD, List.of());
        assertThat(session.currentModeId()).contains("default");
        assertThat(session.availableCommands()).as("announced before session/new answered")
                .extracting(SessionUpdate.Command::name).containsExactly("review");
        assertThat(session.modes().orElseThrow().availableModes()).extracting(SessionModes.Mode::id)
                .containsExactly("default", "plan");
        assertThat(agent.received).containsExactly("initialize", "session/new");
    }

    @Test
    void aTurnsUpdatesRunOnThePromptingThreadInOrderBeforeTheResult() {
        FakeAgent agent = agent(turn -> {
            turn.message("hello");
            turn.toolCall("t1", "pending");
            turn.toolCallUpdate("t1", "in_progress");
            turn.toolCallUpdate("t1", "completed");
            turn.toolCall("t2", "pending");
            turn.toolCallUpdate("t2", "failed");
            turn.message("bye");
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt("go", seen);

        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(seen.events).containsExactly("say hello", "call t1 PENDING", "update t1 IN_PROGRESS",
                "update t1 COMPLETED", "call t2 PENDING", "update t2 FAILED", "say bye");
        assertThat(seen.threads).containsOnly(Thread.currentThread());
        assertThat(result.toolCalls()).extracting(SessionUpdate.ToolCall::statusOrPending)
                .containsExactly(ToolCallStatus.COMPLETED, ToolCallStatus.FAILED);
        assertThat(result.toolCalls().getFirst().title()).isEqualTo("call t1");
    }

    @Test
    void aPermissionRequestIsDecidedOnThePromptingThreadAfterTheToolCallItNames() {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t4", "pending");
            String choice = turn.permission("t4");
            turn.toolCallUpdate("t4", choice.equals("allow") ? "completed" : "failed");
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();
        List<PermissionRequest> asked = new CopyOnWriteArrayList<>();
        List<Thread> askedOn = new CopyOnWriteArrayList<>();

        PromptResult result = session.prompt(List.of(new dev.weft.mcp.Content.Text("go")), seen, request -> {
            asked.add(request);
            askedOn.add(Thread.currentThread());
            seen.events.add("asked " + request.toolCall().toolCallId());
            return PermissionHandler.allowing().decide(request);
        });

        assertThat(seen.events).containsExactly("call t4 PENDING", "asked t4", "update t4 COMPLETED");
        assertThat(askedOn).containsOnly(Thread.currentThread());
        assertThat(asked.getFirst().toolCall().title()).as("the request shows the call as known").isEqualTo("call t4");
        assertThat(agent.permissionAnswers).containsExactly("t4=allow");
        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void aCancelledTurnEndsEveryOpenToolCallOnceAndTheSessionGoesOn() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        FakeAgent agent = agent(turn -> {
            if (turn.word().equals("echo")) {
                turn.message("echo");
                return turn.stop("end_turn");
            }
            turn.toolCall("t1", "pending");
            turn.toolCall("t2", "in_progress");
            turn.toolCall("t3", "pending");
            turn.toolCallUpdate("t3", "completed");
            started.countDown();
            assertThat(turn.awaitCancel(Duration.ofSeconds(10))).isTrue();
            turn.message("late but before the answer");
            return turn.stop("cancelled");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();
        Thread.ofVirtual().start(() -> {
            try {
                started.await();
                Await.until(() -> seen.events.size() >= 4, Duration.ofSeconds(10), "the updates before the cancel");
                session.cancel();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        PromptResult result = session.prompt("work", seen);

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.answered()).isTrue();
        assertThat(seen.events).containsExactly("call t1 PENDING", "call t2 IN_PROGRESS", "call t3 PENDING",
                "update t3 COMPLETED", "say late but before the answer", "closed t1 FAILED", "closed t2 FAILED");
        assertThat(result.toolCalls()).allMatch(call -> call.statusOrPending().isTerminal());
        assertThat(agent.cancels.get()).isEqualTo(1);

        Seen next = new Seen();
        assertThat(session.prompt("echo", next).stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(next.events).containsExactly("say echo");
    }

    @Test
    void cancellingWhilePermissionIsPendingAnswersItCancelledAndAnEndTurnAfterwardsCountsAsCancelled() {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t4", "pending");
            String choice = turn.permission("t4"); // peer A's quirk: end_turn after a cancelled permission
            return turn.stop(choice.equals("cancelled") ? "end_turn" : "refusal");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt(List.of(new dev.weft.mcp.Content.Text("go")), seen, request -> {
            session.cancel(); // from the handler itself: the answer is cancelled whatever it returns
            return PermissionHandler.allowing().decide(request);
        });

        assertThat(agent.permissionAnswers).containsExactly("t4=cancelled");
        assertThat(agent.received).containsSubsequence("session/prompt", "session/cancel");
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(seen.events).containsExactly("call t4 PENDING", "closed t4 FAILED");
    }

    @Test
    void anErrorAfterTheCancelCountsAsCancelled() {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "in_progress");
            assertThat(turn.awaitCancel(Duration.ofSeconds(10))).isTrue();
            throw FakeAgent.internalError("aborted");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt("go", update -> {
            seen.accept(update);
            session.cancel();
        });

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(seen.events).containsExactly("call t1 IN_PROGRESS", "closed t1 FAILED");
    }

    @Test
    void anAgentThatNeverAnswersACancelIsGivenUpOnAfterTheDrainTime() {
        CountDownLatch release = new CountDownLatch(1);
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "pending");
            release.await(); // ignores the cancel
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent, AcpClientOptions.defaults().withCancelDrain(Duration.ofMillis(200)))
                .newSession(CWD, List.of());
        Seen seen = new Seen();
        try {
            long start = System.nanoTime();
            PromptResult result = session.prompt("go", update -> {
                seen.accept(update);
                session.cancel();
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
            assertThat(result.answered()).isFalse();
            assertThat(millis).as("given up after the drain, not later").isLessThan(5_000);
            assertThat(seen.events).containsExactly("call t1 PENDING", "closed t1 FAILED");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anAgentThatDiesMidTurnFailsThePromptAtOnceWithItsCause() {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "in_progress");
            new CountDownLatch(1).await(); // never answers
            return null;
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();

        Throwable failure = catchThrowable(() -> session.prompt("go", update -> {
            seen.accept(update);
            agent.die();
        }));

        assertThat(failure).isInstanceOf(TransportClosedException.class)
                .hasRootCauseInstanceOf(java.io.EOFException.class);
        assertThat(seen.events).containsExactly("call t1 IN_PROGRESS", "closed t1 FAILED");
    }

    @Test
    void interruptingThePromptingThreadCancelsTheTurnAndKeepsTheFlag() throws Exception {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "pending");
            assertThat(turn.awaitCancel(Duration.ofSeconds(10))).isTrue();
            return turn.stop("cancelled");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread prompting = Thread.ofVirtual().start(() -> {
            try {
                session.prompt("go", seen);
            } catch (Throwable e) {
                failure.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        Await.until(() -> seen.events.size() == 1, Duration.ofSeconds(10), "the tool call");
        prompting.interrupt();
        prompting.join();

        assertThat(failure.get()).isInstanceOf(CallCancelledException.class);
        assertThat(flag.get()).isTrue();
        assertThat(agent.cancels.get()).isEqualTo(1);
        assertThat(seen.events).containsExactly("call t1 PENDING", "closed t1 FAILED");
    }

    @Test
    void aTurnWithoutUpdatesForTheIdleTimeoutIsCancelled() {
        FakeAgent agent = agent(turn -> {
            turn.message("thinking");
            turn.awaitCancel(Duration.ofSeconds(10));
            return turn.stop("cancelled");
        });
        AcpSession session = client(agent, AcpClientOptions.defaults().withPromptIdleTimeout(Duration.ofMillis(300)))
                .newSession(CWD, List.of());

        assertThatThrownBy(() -> session.prompt("go", update -> { }))
                .isInstanceOf(CallTimeoutException.class).hasMessageContaining("idle timeout");
        assertThat(agent.cancels.get()).isEqualTo(1);
    }

    @Test
    void aListenerMayCallTheAgentAndTakeLocksItsThreadHolds() {
        FakeAgent agent = agent(turn -> {
            turn.message("one");
            turn.message("two");
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        ReentrantLock state = new ReentrantLock();
        Seen seen = new Seen();
        state.lock();
        try {
            session.prompt("go", update -> {
                state.lock(); // reentrant: the prompting thread holds it
                try {
                    seen.accept(update);
                    if (seen.events.size() == 1) {
                        session.setMode("plan"); // calls the agent while updates still arrive
                    }
                } finally {
                    state.unlock();
                }
            });
        } finally {
            state.unlock();
        }
        assertThat(seen.events).containsExactly("say one", "say two", "mode plan");
        assertThat(session.currentModeId()).contains("plan");
    }

    @Test
    void updatesBetweenPromptsGoToTheirOwnListener() {
        FakeAgent agent = agent(turn -> turn.stop("end_turn"));
        AcpSession session = client(agent).newSession(CWD, List.of());
        List<String> between = new CopyOnWriteArrayList<>();
        session.listenBetweenPrompts(update -> between.add(Seen.describe(update)));

        session.setMode("plan");

        assertThat(between).containsExactly("mode plan");
        assertThat(session.currentModeId()).contains("plan");
    }

    @Test
    void aListenerThatThrowsCancelsTheTurnAndItsExceptionComesBack() {
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "pending");
            turn.awaitCancel(Duration.ofSeconds(10));
            return turn.stop("cancelled");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());

        assertThatThrownBy(() -> session.prompt("go", update -> {
            throw new IllegalStateException("the host's bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the host's bug");
        assertThat(agent.cancels.get()).isEqualTo(1);
    }

    @Test
    void anAgentsErrorWithoutACancelPassesThrough() {
        FakeAgent agent = agent(turn -> {
            throw FakeAgent.internalError("scripted failure");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());

        assertThatThrownBy(() -> session.prompt("go", update -> { }))
                .isInstanceOfSatisfying(PeerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(-32603);
                    assertThat(e.error().data().path("details").asText()).isEqualTo("scripted failure");
                });
    }

    @Test
    void oneSessionRunsOnePromptAtATime() throws Exception {
        CountDownLatch inTurn = new CountDownLatch(1);
        FakeAgent agent = agent(turn -> {
            turn.message("working");
            turn.awaitCancel(Duration.ofSeconds(10));
            return turn.stop("cancelled");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Thread first = Thread.ofVirtual().start(() -> session.prompt("go", update -> inTurn.countDown()));
        assertThat(inTurn.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> session.prompt("again", update -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("running");
        session.cancel();
        first.join();
    }

    @Test
    void aPathOutsideTheRootIsRefusedWithAClearError(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        AtomicReference<Object> answer = new AtomicReference<>();
        FakeAgent agent = agent(turn -> {
            com.fasterxml.jackson.databind.node.ObjectNode params = FakeAgent.JSON.objectNode()
                    .put("sessionId", turn.sessionId).put("path", "/etc/passwd");
            try {
                answer.set(turn.connection().call("fs/read_text_file", params));
            } catch (PeerErrorException e) {
                answer.set(e);
            }
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent, AcpClientOptions.defaults().withFileSystem(RootedFileSystem.of(root)))
                .newSession(root, List.of());
        assertThat(agent.clientCapabilities().path("fs").path("readTextFile").asBoolean()).isTrue();

        session.prompt("go", update -> { });

        assertThat(answer.get()).isInstanceOfSatisfying(PeerErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(-32602);
            assertThat(e.error().message()).contains("/etc/passwd").contains("outside");
        });
    }

    @Test
    void aSessionsTerminalsAreKilledWhenTheClientCloses(@org.junit.jupiter.api.io.TempDir Path root)
            throws Exception {
        AtomicReference<String> terminalId = new AtomicReference<>();
        FakeAgent agent = agent(turn -> {
            com.fasterxml.jackson.databind.node.ObjectNode params = FakeAgent.JSON.objectNode()
                    .put("sessionId", turn.sessionId).put("command", "sleep");
            params.putArray("args").add("100");
            terminalId.set(turn.connection().call("terminal/create", params).path("terminalId").asText());
            return turn.stop("end_turn");
        });
        try (ProcessTerminals terminals = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(root))) {
            AcpClient client = AcpClient.connect(agent.clientEnd(), AcpClientOptions.defaults()
                    .withTerminals(terminals));
            AcpSession session = client.newSession(root, List.of());
            session.prompt("go", update -> { });
            assertThat(terminals.output(session.id(), terminalId.get()).exitStatus()).as("still running").isNull();
            List<ProcessHandle> sleeping = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("sleep 100")).toList();
            assertThat(sleeping).isNotEmpty();

            client.close();

            Await.until(() -> sleeping.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(10),
                    "the terminal's process ended");
            assertThatThrownBy(() -> terminals.output(session.id(), terminalId.get()))
                    .hasMessageContaining("no terminal");
        }
    }

    @Test
    void aPromptCarriesTextResourceLinksAndEmbeddedResourcesAsTheAgentAllows() {
        AtomicReference<com.fasterxml.jackson.databind.JsonNode> prompt = new AtomicReference<>();
        FakeAgent agent = agent(turn -> {
            prompt.set(turn.prompt);
            return turn.stop("end_turn");
        });
        AcpClient client = client(agent);
        assertThat(client.agent().authMethods()).extracting(AgentInfo.AuthMethod::id).containsExactly("token");
        client.authenticate("token");
        AcpSession session = client.newSession(CWD, List.of(new McpServerConfig.Stdio("files", "mcp-files",
                List.of("--root", "/tmp"), java.util.Map.of("A", "1"))));

        session.prompt(List.of(new dev.weft.mcp.Content.Text("look at"),
                new dev.weft.mcp.Content.ResourceLink("file:///tmp/a.txt", "a.txt", null, null, "text/plain", null,
                        null, null, null),
                new dev.weft.mcp.Content.EmbeddedResource(new dev.weft.mcp.ResourceContents.Text("file:///tmp/b.txt",
                        "text/plain", "bee", null), null, null)), update -> { });

        assertThat(agent.received).containsSubsequence("authenticate token", "session/new", "session/prompt");
        assertThat(prompt.get()).hasSize(3);
        assertThat(prompt.get().get(1).path("type").asText()).isEqualTo("resource_link");
        assertThat(prompt.get().get(1).path("uri").asText()).isEqualTo("file:///tmp/a.txt");
        assertThat(prompt.get().get(2).path("type").asText()).isEqualTo("resource");
        assertThat(prompt.get().get(2).path("resource").path("text").asText()).isEqualTo("bee");
        assertThatThrownBy(() -> session.prompt(List.of(new dev.weft.mcp.Content.Image("AAAA", "image/png", null,
                null)), update -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("promptCapabilities.image");
    }

    @Test
    void aLineThatIsNotJsonOnTheAgentsOutputIsSkipped() {
        FakeAgent agent = agent(turn -> {
            turn.message("before");
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        agent.sendRaw("Agent v1.2 starting up, please wait\n");
        Seen seen = new Seen();

        assertThat(session.prompt("go", seen).stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(seen.events).containsExactly("say before");
    }

    @Test
    void aPermissionRequestTheAgentWithdrawsIsNotDecided() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        List<String> decided = new CopyOnWriteArrayList<>();
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "pending");
            Thread asking = Thread.ofVirtual().start(() -> {
                try {
                    turn.permission("t1");
                } catch (RuntimeException e) {
                    // withdrawn: the call was cancelled
                }
            });
            asked.await();
            asking.interrupt(); // the agent's call withdraws and sends $/cancel_request
            asking.join();
            turn.message("withdrawn");
            turn.toolCallUpdate("t1", "completed");
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent).newSession(CWD, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt(List.of(new dev.weft.mcp.Content.Text("go")), update -> {
            seen.accept(update);
            if (update instanceof SessionUpdate.ToolCall) { // the request is queued behind this update
                Await.until(() -> session.openPermissionRequests() == 1, Duration.ofSeconds(10),
                        "the permission request waiting for this thread");
                asked.countDown();
                Await.until(() -> session.openPermissionRequests() == 0, Duration.ofSeconds(10),
                        "the permission request withdrawn");
            }
        }, request -> {
            decided.add(request.toolCall().toolCallId());
            return PermissionHandler.allowing().decide(request);
        });

        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(seen.events).containsExactly("call t1 PENDING", "say withdrawn", "update t1 COMPLETED");
        assertThat(decided).as("nobody asked about a withdrawn request").isEmpty();
    }

    @Test
    void aCancelledTurnIsNotAlsoTimedOutWhileItDrains() {
        CountDownLatch release = new CountDownLatch(1);
        FakeAgent agent = agent(turn -> {
            turn.toolCall("t1", "pending");
            release.await(); // ignores the cancel for longer than the idle timeout
            return turn.stop("end_turn");
        });
        AcpSession session = client(agent, AcpClientOptions.defaults().withPromptIdleTimeout(Duration.ofMillis(100))
                .withCancelDrain(Duration.ofMillis(600))).newSession(CWD, List.of());
        try {
            PromptResult result = session.prompt("go", update -> session.cancel());

            assertThat(result.stopReason()).as("cancelled by the host, not timed out").isEqualTo(StopReason.CANCELLED);
            assertThat(result.answered()).isFalse();
        } finally {
            release.countDown();
        }
    }
}
