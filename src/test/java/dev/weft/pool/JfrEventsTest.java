package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.conversation.Conversation;
import dev.weft.conversation.ConversationOptions;
import dev.weft.conversation.ToolCallFailedException;
import dev.weft.mcp.McpSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft's JFR events, recorded around a real workload: a conversation's calls through the pool (one with progress, one
 * whose server dies), the pool's sessions and waits, the served requests on the server side, and the callback queue.
 * What {@code jfr print --events 'weft.*'} shows a user.
 */
class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void aSessionsLifeIsRecorded() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            for (String name : List.of("weft.Call", "weft.Served", "weft.ConnectionClosed", "weft.SessionCreated",
                    "weft.SessionClosed", "weft.PoolWait", "weft.CallbackQueue")) {
                recording.enable(name);
            }
            recording.start();
            try (MemoryServers servers = new MemoryServers();
                 SessionPool pool = SessionPool.open(SessionPoolOptions.defaults()
                         .withFactory((key, options) -> McpSession.open(servers.transport(), options)));
                 Conversation conversation = Conversation.open(pool, ConversationOptions.defaults())) {
                TransportKey server = TransportKey.stdio("memory-server");
                conversation.run(turn -> turn.callTool(server, "echo", Map.of("message", "hi")));
                conversation.run(turn -> turn.callTool(server, "count", Map.of("n", 3)));
                try {
                    conversation.run(turn -> turn.callTool(server, "crash", Map.of()));
                } catch (ToolCallFailedException expected) {
                    // the server died mid-call
                }
            }
            recording.stop();
            Path file = dir.resolve("weft.jfr");
            recording.dump(file);
            assertThat(Files.size(file)).isPositive();
            events = RecordingFile.readAllEvents(file);
        }

        List<RecordedEvent> calls = named(events, "weft.Call");
        assertThat(calls).anySatisfy(e -> {
            assertThat(e.getString("method")).isEqualTo("tools/call");
            assertThat(e.getString("target")).isEqualTo("echo");
            assertThat(e.getString("outcome")).isEqualTo("ok");
            assertThat(e.getString("transport")).startsWith("memory");
            assertThat(e.getDuration().isNegative()).isFalse();
        });
        assertThat(calls).anySatisfy(e -> {
            assertThat(e.getString("target")).isEqualTo("crash");
            assertThat(e.getString("outcome")).isEqualTo("transport closed");
        });
        assertThat(calls).anySatisfy(e -> assertThat(e.getString("method")).isEqualTo("initialize"));
        assertThat(named(events, "weft.Served")).anySatisfy(e -> {
            assertThat(e.getString("method")).isEqualTo("tools/call");
            assertThat(e.getString("target")).isEqualTo("count");
            assertThat(e.getString("outcome")).isEqualTo("answered");
        });
        assertThat(named(events, "weft.ConnectionClosed")).anySatisfy(e -> {
            assertThat(e.getInt("failedCalls")).isEqualTo(1);
            assertThat(e.getString("cause")).isNotBlank();
        });
        assertThat(named(events, "weft.SessionCreated")).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(e -> assertThat(e.getString("outcome")).isEqualTo("made"));
        assertThat(named(events, "weft.PoolWait")).anySatisfy(e -> {
            assertThat(e.getBoolean("madeHere")).isTrue();
            assertThat(e.getString("key")).contains("memory-server");
        });
        assertThat(named(events, "weft.SessionClosed")).anySatisfy( // its watch saw it end, or a caller found it dead
                e -> assertThat(e.getString("reason")).matches("ended: .*|dead"));
        assertThat(named(events, "weft.CallbackQueue")).anySatisfy(e -> {
            assertThat(e.getString("kind")).isEqualTo("ToolCallProgress");
            assertThat(e.getLong("latency")).isNotNegative();
        });
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
