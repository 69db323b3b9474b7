package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mcp.Content;
import dev.weft.testing.NpmPeers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's ACP example, as written there (printing to a buffer instead of {@code System.out}), against the
 * scripted agent (peer B) in place of {@code my-agent --acp}.
 */
@Tag("concurrency")
class AcpReadmeExampleTest {
    @TempDir
    Path project;

    @Test
    void theReadmeExampleRunsAgainstARealAgent() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        try (ProcessTerminals terminals = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(project));
             AcpClient agent = AcpClient.start(NpmPeers.acpScriptedAgent(), AcpClientOptions.defaults()
                     .withFileSystem(RootedFileSystem.of(project))
                     .withTerminals(terminals)
                     .withPermissions(PermissionHandler.allowing()))) {
            AcpSession session = agent.newSession(project, List.of());
            PromptResult result = session.prompt("tools for the failing test", update -> {
                switch (update) {
                    case SessionUpdate.AgentMessageChunk chunk when chunk.content() instanceof Content.Text text ->
                            out.print(text.text());
                    case SessionUpdate.ToolCall call -> out.println("\n[" + call.title() + "]");
                    case SessionUpdate.ToolCallUpdate change when change.status() != null ->
                            out.println("[" + change.toolCallId() + ": " + change.status() + "]");
                    default -> { }
                }
            });
            out.println("\n" + result.stopReason());
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("[Read t1]", "[t1: COMPLETED]", "[t2: FAILED]",
                "[Edit a.txt]", "[t4: COMPLETED]", "END_TURN");
    }
}
