package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.Content;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.ProcessExitedException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACP client against peer B, the scripted agent on {@code @agentclientprotocol/sdk@2.4.0}. */
@Tag("concurrency")
class ScriptedAgentTest {
    @TempDir
    Path cwd;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    AcpClient start(AcpClientOptions options) throws IOException {
        return start(NpmPeers.acpScriptedAgent(), options);
    }

    AcpClient start(List<String> argv, AcpClientOptions options) throws IOException {
        AcpClient client = AcpClient.start(argv, options);
        toClose.add(client);
        return client;
    }

    /** Every update's short form, as the listener saw it. */
    static final class Seen implements java.util.function.Consumer<SessionUpdate> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<SessionUpdate> updates = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public void accept(SessionUpdate update) {
            threads.add(Thread.currentThread());
            updates.add(update);
            events.add(describe(update));
        }

        static String describe(SessionUpdate update) {
            return switch (update) {
                case SessionUpdate.AgentMessageChunk chunk -> "say " + text(chunk.content());
                case SessionUpdate.UserMessageChunk chunk -> "user " + text(chunk.content());
                case SessionUpdate.AgentThoughtChunk chunk -> "think";
                case SessionUpdate.ToolCall call -> "call " + call.toolCallId() + " " + call.statusOrPending();
                case SessionUpdate.ToolCallUpdate change -> (change.synthesized() ? "closed " : "update ")
                        + change.toolCallId() + " " + change.status();
                case SessionUpdate.Plan plan -> "plan " + plan.entries().size();
                case SessionUpdate.UsageUpdate usage -> "usage " + usage.used() + "/" + usage.size();
                case SessionUpdate.CurrentModeUpdate mode -> "mode " + mode.currentModeId();
                default -> update.kind();
            };
        }

        static String text(Content content) {
            return content instanceof Content.Text text ? text.text() : content.type();
        }

        /** The terminal updates of each tool call, in order. */
        List<String> terminals() {
            return events.stream().filter(e -> e.endsWith(" COMPLETED") || e.endsWith(" FAILED")).toList();
        }
    }

    @Test
    void aToolsTurnStreamsEveryKindOfUpdateAndAsksPermission() throws IOException {
        AcpClient client = start(AcpClientOptions.defaults().withPermissions(PermissionHandler.allowing()));
        assertThat(client.agent().agentCapabilities().loadSession()).isTrue();
        AcpSession session = client.newSession(cwd, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt("tools please", seen);

        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(seen.events).containsExactly("plan 1", "think",
                "call t1 PENDING", "update t1 IN_PROGRESS", "update t1 COMPLETED",
                "call t2 PENDING", "update t2 IN_PROGRESS", "update t2 FAILED",
                "call t3 PENDING", "update t3 IN_PROGRESS", "update t3 COMPLETED",
                "call t4 PENDING", "update t4 COMPLETED", "usage 1000/200000");
        assertThat(seen.threads).containsOnly(Thread.currentThread());
        SessionUpdate.ToolCall t4 = result.toolCalls().get(3);
        assertThat(t4.toolKind()).isEqualTo(ToolKind.EDIT);
        assertThat(t4.content()).singleElement().isInstanceOfSatisfying(ToolCallContent.Diff.class,
                diff -> assertThat(diff.path()).isEqualTo(cwd.resolve("a.txt").toString()));
        SessionUpdate.UsageUpdate usage = (SessionUpdate.UsageUpdate) seen.updates.getLast();
        assertThat(usage.cost().currency()).isEqualTo("USD");
        SessionUpdate.Plan plan = (SessionUpdate.Plan) seen.updates.getFirst();
        assertThat(plan.entries().getFirst().status()).isEqualTo(SessionUpdate.PlanEntry.Status.IN_PROGRESS);
    }

    @Test
    void aRejectedPermissionFailsTheToolCall() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of()); // denying by default
        Seen seen = new Seen();
        List<PermissionOption.Kind> chosen = new CopyOnWriteArrayList<>();

        PromptResult result = session.prompt(List.of(new Content.Text("tools")), seen, request -> {
            PermissionOption reject = request.rejectOption().orElseThrow();
            chosen.add(reject.kind());
            return PermissionOutcome.select(reject);
        });

        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(chosen).containsExactly(PermissionOption.Kind.REJECT_ONCE);
        assertThat(seen.terminals()).containsExactly("update t1 COMPLETED", "update t2 FAILED", "update t3 COMPLETED",
                "update t4 FAILED");
    }

    @Test
    void cancellingASlowTurnMidWayClosesItsToolCallsAndTheSessionGoesOn() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of());
        Seen seen = new Seen();

        long[] cancelledAt = new long[1];
        PromptResult result = session.prompt("slow", update -> {
            seen.accept(update);
            if (update instanceof SessionUpdate.ToolCall call && call.toolCallId().equals("t1")) {
                cancelledAt[0] = System.nanoTime();
                assertThat(session.cancel()).isTrue();
            }
        });
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt[0]);

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.answered()).isTrue();
        assertThat(millis).as("peer B answers a cancel at once; the 1 s step did not run out").isLessThan(900);
        assertThat(seen.events).containsExactly("plan 1", "think", "call t1 PENDING", "closed t1 FAILED");

        Seen next = new Seen();
        assertThat(session.prompt("hello", next).stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(next.events).contains("say echo: hello");
    }

    @Test
    void cancellingWhilePermissionIsPendingAnswersItCancelled() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of());
        Seen seen = new Seen();

        PromptResult result = session.prompt(List.of(new Content.Text("tools")), seen, request -> {
            session.cancel();
            return PermissionHandler.allowing().decide(request); // too late: the agent was answered cancelled
        });

        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(seen.events).endsWith("call t4 PENDING", "closed t4 FAILED");
        assertThat(seen.terminals()).containsExactly("update t1 COMPLETED", "update t2 FAILED", "update t3 COMPLETED",
                "closed t4 FAILED");
    }

    @Test
    void aSilentTurnIsCancelledAfterTheIdleTimeoutAndTheSessionGoesOn() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults().withPromptIdleTimeout(Duration.ofMillis(500)))
                .newSession(cwd, List.of());

        assertThatThrownBy(() -> session.prompt("hang", update -> { }))
                .isInstanceOf(CallTimeoutException.class).hasMessageContaining("idle timeout");

        assertThat(session.prompt("again", update -> { }).stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void anAgentThatCrashesMidTurnFailsThePromptAtOnceWithItsExitCode() throws IOException {
        AcpClient client = start(AcpClientOptions.defaults());
        AcpSession session = client.newSession(cwd, List.of());

        Throwable failure = catchThrowable(() -> session.prompt("crash", update -> { }));

        assertThat(failure).isInstanceOf(TransportClosedException.class);
        assertThat(failure.getCause()).isInstanceOfSatisfying(ProcessExitedException.class,
                exited -> assertThat(exited.exitCode()).hasValue(3));
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void anAgentThatLosesItsInputExitsWithoutAnsweringAndThePromptFailsAtOnce() throws IOException {
        // The shell passes on initialize, session/new and the prompt, line by line, then stops: the agent's stdin
        // closes mid-turn.
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "for i in 1 2 3; do IFS= read -r line || exit; printf '%s\\n' \"$line\"; done | exec \"$@\"", "sh"));
        argv.addAll(NpmPeers.acpScriptedAgent());
        AcpSession session = start(argv, AcpClientOptions.defaults()).newSession(cwd, List.of());

        Throwable failure = catchThrowable(() -> session.prompt("slow", update -> { }));

        assertThat(failure).isInstanceOf(TransportClosedException.class);
        assertThat(failure.getCause()).isInstanceOfSatisfying(ProcessExitedException.class,
                exited -> assertThat(exited.exitCode()).hasValue(0));
    }

    @Test
    void anAgentsErrorPassesThroughWithItsDetails() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of());

        assertThatThrownBy(() -> session.prompt("error", update -> { }))
                .isInstanceOfSatisfying(PeerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(-32603);
                    assertThat(e.error().data().path("details").asText()).isEqualTo("scripted failure");
                });
        assertThat(session.prompt("fine", update -> { }).stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void aLoadedSessionReplaysItsHistoryBeforeLoadReturns() throws IOException {
        AcpClient client = start(AcpClientOptions.defaults());
        String id = client.newSession(cwd, List.of()).id();
        client.session(id).orElseThrow().close();
        Seen replayed = new Seen();

        AcpSession loaded = client.loadSession(id, cwd, List.of(), replayed);

        assertThat(replayed.events).containsExactly("user earlier prompt");
        assertThat(replayed.threads).containsOnly(Thread.currentThread());
        assertThat(loaded.prompt("hi", update -> { }).stopReason()).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void settingTheModeChangesItAndTheAgentSaysSo() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of());
        assertThat(session.currentModeId()).contains("default");
        List<String> between = new CopyOnWriteArrayList<>();
        session.listenBetweenPrompts(update -> between.add(Seen.describe(update)));

        session.setMode("plan");

        assertThat(between).containsExactly("mode plan");
        assertThat(session.currentModeId()).contains("plan");
    }

    @Test
    void anAgentIsNeverAskedForWhatTheClientDidNotAdvertise() throws IOException {
        AcpSession session = start(AcpClientOptions.defaults()).newSession(cwd, List.of());
        Seen seen = new Seen();

        assertThat(session.prompt("fs", seen).stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(session.prompt("term", seen).stopReason()).isEqualTo(StopReason.END_TURN);

        assertThat(seen.events.stream().filter(e -> e.startsWith("say ")).toList()).hasSize(2);
        assertThat(cwd.resolve("weft-fs.txt")).doesNotExist();
    }

    @Test
    void theAgentWritesAndReadsFilesInsideTheRoot() throws IOException {
        AcpClient client = start(AcpClientOptions.defaults().withFileSystem(RootedFileSystem.of(cwd)));
        AcpSession session = client.newSession(cwd, List.of());
        Seen seen = new Seen();

        assertThat(session.prompt("fs", seen).stopReason()).isEqualTo(StopReason.END_TURN);

        assertThat(java.nio.file.Files.readString(cwd.resolve("weft-fs.txt"))).isEqualTo("hello\nworld\n");
        assertThat(seen.events).contains("say read: world\n");
    }

    @Test
    void theAgentRunsACommandInATerminalAndReadsItsOutputAndExitCode() throws IOException {
        try (ProcessTerminals terminals = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(cwd))) {
            AcpClient client = start(AcpClientOptions.defaults().withTerminals(terminals));
            AcpSession session = client.newSession(cwd, List.of());
            Seen seen = new Seen();

            assertThat(session.prompt("term", seen).stopReason()).isEqualTo(StopReason.END_TURN);

            assertThat(seen.events).contains("say exit 7: hi\n");
        }
    }
}
