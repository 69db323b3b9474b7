package dev.weft.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.acp.AcpClient;
import dev.weft.acp.AcpClientOptions;
import dev.weft.acp.AcpSession;
import dev.weft.acp.PermissionHandler;
import dev.weft.acp.PromptResult;
import dev.weft.acp.SessionUpdate;
import dev.weft.acp.StopReason;
import dev.weft.conversation.ConversationEvent.AgentUpdate;
import dev.weft.testing.Await;
import dev.weft.testing.NpmPeers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversation that prompts an ACP agent (the scripted agent, peer B): the agent's updates and permission requests
 * run on the conversation's thread, with its state lock held, and cancelling the conversation's turn cancels the
 * prompt and leaves the conversation paused and usable (OpenHands software-agent-sdk #3358, for ACP).
 */
@Tag("concurrency")
class ConversationWithAgentTest {
    @TempDir
    Path cwd;
    private AcpClient agent;
    private AcpSession session;
    private Conversation conversation;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        agent = AcpClient.start(NpmPeers.acpScriptedAgent(), AcpClientOptions.defaults());
        session = agent.newSession(cwd, List.of());
    }

    @AfterEach
    void stop() {
        if (conversation != null) {
            conversation.close();
        }
        agent.close();
    }

    private Conversation open(PermissionHandler permissions) {
        Conversation[] self = new Conversation[1];
        conversation = Conversation.open(ConversationOptions.defaults().withName("weft-test-conversation")
                .withPermissions(request -> {
                    check(self[0], "permission");
                    events.add("asked " + request.toolCall().toolCallId());
                    return permissions.decide(request);
                })
                .withListener(event -> {
                    check(self[0], "listener");
                    if (event instanceof AgentUpdate update) {
                        events.add(describe(update.update()));
                    }
                }));
        self[0] = conversation;
        return conversation;
    }

    /** Host code must run on the conversation's thread, and may take the state lock its turn holds. */
    private void check(Conversation conversation, String what) {
        if (!Thread.currentThread().getName().startsWith("weft-test-conversation")) {
            violations.add(what + " on " + Thread.currentThread());
        }
        if (!conversation.stateLock().tryLock()) {
            violations.add(what + " could not take the state lock");
            return;
        }
        conversation.stateLock().unlock();
    }

    private static String describe(SessionUpdate update) {
        return switch (update) {
            case SessionUpdate.ToolCall call -> "call " + call.toolCallId();
            case SessionUpdate.ToolCallUpdate change -> (change.synthesized() ? "closed " : "update ")
                    + change.toolCallId() + " " + change.status();
            case SessionUpdate.CurrentModeUpdate mode -> "mode " + mode.currentModeId();
            default -> update.kind();
        };
    }

    @Test
    void aTurnPromptsTheAgentAndTheHostSeesEverythingOnItsOwnThreadBeforeTheResult() {
        Conversation conversation = open(PermissionHandler.allowing());

        PromptResult result = conversation.run(turn -> {
            PromptResult r = turn.prompt(session, "tools");
            events.add("result " + r.stopReason());
            return r;
        });

        assertThat(result.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(violations).isEmpty();
        assertThat(events).containsSubsequence("call t4", "asked t4", "update t4 COMPLETED", "usage_update",
                "result END_TURN");
        assertThat(conversation.status()).isEqualTo(Conversation.Status.IDLE);
    }

    @Test
    void cancellingTheTurnCancelsThePromptClosesItsToolCallsAndTheConversationGoesOn() {
        Conversation conversation = open(PermissionHandler.allowing());
        Thread.ofVirtual().start(() -> {
            Await.until(() -> events.contains("call t1"), Duration.ofSeconds(10), "the first tool call");
            conversation.cancel();
        });

        assertThatThrownBy(() -> conversation.run(turn -> turn.prompt(session, "slow")))
                .isInstanceOf(TurnCancelledException.class);

        assertThat(events).endsWith("call t1", "closed t1 FAILED");
        assertThat(conversation.status()).isEqualTo(Conversation.Status.PAUSED);
        StopReason next = conversation.run(turn -> turn.prompt(session, "hello").stopReason());
        assertThat(next).isEqualTo(StopReason.END_TURN);
        assertThat(violations).isEmpty();
    }

    @Test
    void anUpdateBetweenPromptsReachesTheListenerOnTheConversationsThread() {
        Conversation conversation = open(PermissionHandler.denying());
        conversation.run(turn -> turn.prompt(session, "hello"));

        session.setMode("plan");

        Await.until(() -> events.contains("mode plan"), Duration.ofSeconds(10), "the mode update");
        assertThat(violations).isEmpty();
    }

    @Test
    void aConversationWithoutAPoolCannotCallTools() {
        Conversation conversation = open(PermissionHandler.denying());

        assertThatThrownBy(() -> conversation.run(turn -> turn.callTool(
                dev.weft.pool.TransportKey.stdio(List.of("true")), "echo", java.util.Map.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no session pool");
    }
}
