package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ACP prompt turn in JFR: {@code weft.PromptTurn} with its outcome and counts, and its updates' queue latency. */
class AcpJfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void aCancelledTurnIsRecordedWithTheToolCallsTheClientEnded() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("weft.PromptTurn");
            recording.enable("weft.CallbackQueue");
            recording.start();
            try (FakeAgent agent = new FakeAgent(turn -> {
                turn.toolCall("t1", "pending");
                turn.awaitCancel(Duration.ofSeconds(10));
                return turn.stop("end_turn"); // after a cancel: counts as cancelled
            }); AcpClient client = AcpClient.connect(agent.clientEnd(), AcpClientOptions.defaults())) {
                AcpSession session = client.newSession(Path.of("/tmp"), List.of());
                session.prompt("go", update -> session.cancel());
            }
            recording.stop();
            Path file = dir.resolve("acp.jfr");
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }

        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("weft.PromptTurn")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getString("outcome")).isEqualTo("cancelled");
                    assertThat(e.getInt("toolCalls")).isEqualTo(1);
                    assertThat(e.getInt("closedByClient")).isEqualTo(1);
                    assertThat(e.getInt("updates")).isEqualTo(2); // the agent's tool_call, the client's end of it
                    assertThat(e.getString("session")).endsWith("ession-1");
                });
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("weft.CallbackQueue"))
                .anySatisfy(e -> assertThat(e.getString("kind")).isEqualTo("tool_call"));
    }
}
