package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.Content;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.ProcessExitedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACP client against peer A, the example agent of {@code @agentclientprotocol/sdk@1.9.0}: a real third-party agent
 * with its quirks (it leaves tool calls open on cancel and on reject, answers {@code end_turn} after a cancelled
 * permission, and exits without answering when its input closes). Each of its steps waits a second.
 */
@Tag("concurrency")
class ExampleAgentTest {
    @TempDir
    Path cwd;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private AcpSession session(List<String> argv) throws IOException {
        AcpClient client = AcpClient.start(argv, AcpClientOptions.defaults());
        toClose.add(client);
        return client.newSession(cwd, List.of());
    }

    @Test
    void cancelAllowRejectAndCancelAtThePermissionOnOneSession() throws IOException {
        AcpSession session = session(NpmPeers.acpExampleAgent());

        // Cancel right after call_1 starts: the agent answers cancelled a second later and leaves call_1 pending.
        ScriptedAgentTest.Seen cancelled = new ScriptedAgentTest.Seen();
        PromptResult first = session.prompt("hello", update -> {
            cancelled.accept(update);
            if (update instanceof SessionUpdate.ToolCall) {
                session.cancel();
            }
        });
        assertThat(first.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(cancelled.events).containsExactly("say " + firstWords(cancelled), "call call_1 PENDING",
                "closed call_1 FAILED");

        // Allow: both calls complete; the permission is decided on this thread, after call_2 began.
        ScriptedAgentTest.Seen allowed = new ScriptedAgentTest.Seen();
        List<String> asked = new CopyOnWriteArrayList<>();
        PromptResult second = session.prompt(List.of(new Content.Text("hello")), allowed, request -> {
            asked.add(request.toolCall().toolCallId() + " on " + Thread.currentThread().getName());
            allowed.events.add("asked " + request.toolCall().toolCallId());
            return PermissionHandler.allowing().decide(request);
        });
        assertThat(second.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(asked).containsExactly("call_2 on " + Thread.currentThread().getName());
        assertThat(allowed.events.stream().filter(e -> !e.startsWith("say ")).toList()).containsExactly(
                "call call_1 PENDING", "update call_1 COMPLETED", "call call_2 PENDING", "asked call_2",
                "update call_2 COMPLETED");
        assertThat(second.toolCalls().getFirst().locations()).extracting(SessionUpdate.Location::path)
                .containsExactly("/project/README.md");

        // Reject: the agent leaves call_2 pending and ends the turn; the client closes call_2 itself.
        ScriptedAgentTest.Seen rejected = new ScriptedAgentTest.Seen();
        PromptResult third = session.prompt(List.of(new Content.Text("hello")), rejected, PermissionHandler.denying());
        assertThat(third.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(rejected.terminals()).containsExactly("update call_1 COMPLETED", "closed call_2 FAILED");

        // Cancel while the permission is pending: the agent answers end_turn, which counts as cancelled.
        ScriptedAgentTest.Seen atPermission = new ScriptedAgentTest.Seen();
        PromptResult fourth = session.prompt(List.of(new Content.Text("hello")), atPermission, request -> {
            session.cancel();
            return PermissionHandler.allowing().decide(request);
        });
        assertThat(fourth.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(atPermission.terminals()).containsExactly("update call_1 COMPLETED", "closed call_2 FAILED");
    }

    @Test
    void anAgentThatExitsWhenItsInputClosesFailsThePromptAtOnce() throws IOException {
        // The shell passes on initialize, session/new and the prompt, then stops: the agent's input closes mid-turn,
        // and it exits about a second later without answering.
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "for i in 1 2 3; do IFS= read -r line || exit; printf '%s\\n' \"$line\"; done | exec \"$@\"", "sh"));
        argv.addAll(NpmPeers.acpExampleAgent());
        AcpSession session = session(argv);
        ScriptedAgentTest.Seen seen = new ScriptedAgentTest.Seen();

        Throwable failure = catchThrowable(() -> session.prompt("hello", seen));

        assertThat(failure).isInstanceOf(TransportClosedException.class)
                .hasCauseInstanceOf(ProcessExitedException.class);
        assertThat(seen.terminals()).allMatch(e -> e.startsWith("closed ") || e.contains("COMPLETED"));
    }

    private static String firstWords(ScriptedAgentTest.Seen seen) {
        return seen.events.getFirst().substring("say ".length());
    }
}
