package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.weft.mcp.Content;
import dev.weft.testing.NpmPeers;
import dev.weft.testing.Props;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancels the scripted agent's {@code tools} turn (peer B, a real agent process) at random points: from the listener
 * after a random number of updates, or from another thread after a random delay, with the permission allowed or
 * refused. Every tool call the host saw ends exactly once (the agent's update or the client's), the turn is cancelled
 * exactly when a cancel took effect, everything runs on the prompting thread, and the session answers its next
 * prompt. A failing example prints its seed; {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class ScriptedAgentCancelPropertyTest {
    @TempDir
    Path cwd;

    @Test
    void aRealAgentsTurnCancelledAtAnyPointEndsEveryToolCallOnce() throws IOException {
        try (AcpClient client = AcpClient.start(NpmPeers.acpScriptedAgent(), AcpClientOptions.defaults())) {
            Props.qt().withExamples(25).withShrinkCycles(5)
                    .forAll(integers().between(0, 16), integers().between(0, 400), booleans().all())
                    .checkAssert((afterUpdates, delayMillis, allow) -> check(client, afterUpdates, delayMillis, allow));
        }
    }

    private void check(AcpClient client, int afterUpdates, int delayMillis, boolean allow) {
        AcpSession session = client.newSession(cwd, List.of());
        List<SessionUpdate> seen = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean cancelTookEffect = new AtomicBoolean();
        Thread prompting = Thread.currentThread();
        Thread timer = null;
        if (afterUpdates == 0) { // from another thread, after a delay
            timer = Thread.ofVirtual().start(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(delayMillis); // the random point itself, not a wait for a condition
                    cancelTookEffect.compareAndSet(false, session.cancel());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        PromptResult result = session.prompt(List.of(new Content.Text("tools")), update -> {
            if (Thread.currentThread() != prompting) {
                violations.add("update on " + Thread.currentThread());
            }
            seen.add(update);
            if (seen.size() == afterUpdates) {
                cancelTookEffect.compareAndSet(false, session.cancel());
            }
        }, request -> {
            if (Thread.currentThread() != prompting) {
                violations.add("permission on " + Thread.currentThread());
            }
            return allow ? PermissionHandler.allowing().decide(request) : PermissionHandler.denying().decide(request);
        });
        if (timer != null) {
            try {
                timer.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        assertThat(violations).isEmpty();
        assertThat(result.stopReason()).isEqualTo(cancelTookEffect.get() ? StopReason.CANCELLED : StopReason.END_TURN);
        assertThat(result.answered()).isTrue();
        Map<String, Integer> ends = new HashMap<>();
        for (SessionUpdate update : seen) {
            String id = switch (update) {
                case SessionUpdate.ToolCall call -> call.toolCallId();
                case SessionUpdate.ToolCallUpdate change -> change.toolCallId();
                default -> null;
            };
            if (id == null) {
                continue;
            }
            assertThat(ends.getOrDefault(id, 0)).as("an update of %s after its end", id).isZero();
            boolean terminal = update instanceof SessionUpdate.ToolCall call ? call.statusOrPending().isTerminal()
                    : ((SessionUpdate.ToolCallUpdate) update).status() != null
                    && ((SessionUpdate.ToolCallUpdate) update).status().isTerminal();
            if (terminal) {
                ends.put(id, 1);
            }
        }
        assertThat(result.toolCalls()).allSatisfy(call -> assertThat(ends).containsKey(call.toolCallId()));
        if (!cancelTookEffect.get()) {
            assertThat(result.toolCalls()).extracting(SessionUpdate.ToolCall::toolCallId)
                    .containsExactly("t1", "t2", "t3", "t4");
        }
        assertThat(session.prompt("echo", update -> { }).stopReason()).isEqualTo(StopReason.END_TURN);
        session.close();
    }
}
