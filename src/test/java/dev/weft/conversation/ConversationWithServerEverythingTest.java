package dev.weft.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mcp.CallToolResult;
import dev.weft.pool.SessionPool;
import dev.weft.pool.TransportKey;
import dev.weft.testing.Await;
import dev.weft.testing.NpmPeers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's conversation example, as written there, against the reference server
 * {@code @modelcontextprotocol/server-everything} over stdio: a call through the pool, then a long call with progress
 * cancelled by interrupting the thread that waits for its turn.
 */
@Tag("concurrency")
class ConversationWithServerEverythingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void theReadmeExampleRunsAgainstTheReferenceServer() throws Exception {
        TransportKey everything = TransportKey.stdio(NpmPeers.serverEverythingStdio());
        List<ConversationEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        try (SessionPool pool = SessionPool.open();
             Conversation conversation = Conversation.open(pool, ConversationOptions.defaults()
                     .withListener(events::add))) {
            String text = conversation.run(turn -> {
                CallToolResult sum = turn.callTool(everything, "get-sum", Map.of("a", 1, "b", 2));
                return sum.text();
            });
            assertThat(text).contains("3");

            Thread waiting = Thread.ofVirtual().start(() -> {
                try {
                    conversation.run(turn -> turn.callTool(everything, "trigger-long-running-operation",
                            Map.of("duration", 60, "steps", 60)));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            Await.until(() -> events.stream().anyMatch(e -> e instanceof ConversationEvent.ToolCallProgress),
                    PATIENCE, "the long call's first progress");
            waiting.interrupt();
            assertThat(waiting.join(PATIENCE)).isTrue();

            assertThat(outcome.get()).isInstanceOf(TurnCancelledException.class);
            assertThat(conversation.status()).isEqualTo(Conversation.Status.PAUSED);
            assertThat(events).filteredOn(e -> e instanceof ConversationEvent.ToolCallFailed).singleElement()
                    .satisfies(e -> assertThat(((ConversationEvent.ToolCallFailed) e).cancelled()).isTrue());
            assertThat(pool.size()).isEqualTo(1);
        }
    }
}
