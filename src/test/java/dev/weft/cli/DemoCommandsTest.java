package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Progress;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.Tool;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code weft serve --demo} as a real child process spoken to over its stdin and stdout, and {@code weft demo}, the
 * README's main command, end to end.
 */
class DemoCommandsTest {

    @Test
    void theDemoServerServesItsToolsOverStdio() throws Exception {
        List<String> command = DemoCommands.serverCommand();
        try (McpSession session = McpSession.open(StdioTransport.spawn(ProcessSpec.of(
                command.toArray(String[]::new))))) {
            assertThat(session.serverInfo().name()).isEqualTo("weft-demo");
            assertThat(session.listTools()).extracting(Tool::name).containsExactly("echo", "slow", "fail", "crash");
            assertThat(session.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("hi");
            List<Progress> progress = new ArrayList<>();
            CallToolResult slow = session.callTool("slow", Map.of("steps", 2),
                    RequestOptions.DEFAULT.withProgress(progress::add));
            assertThat(slow.text()).isEqualTo("done after 2 steps");
            assertThat(progress).extracting(Progress::progress).containsExactly(1.0, 2.0);
            CallToolResult failed = session.callTool("fail", Map.of("reason", "no"));
            assertThat(failed.isError()).isTrue();
            assertThat(failed.text()).isEqualTo("failed: no");
        }
    }

    @Test
    void theDemoServerServesOverStreamableHttpUntilStopped() throws Exception {
        List<String> command = new ArrayList<>(DemoCommands.serverCommand());
        command.addAll(List.of("--http", "127.0.0.1:0"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8))) {
            String url = out.readLine();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/mcp");
            try (McpSession session = McpSession.open(dev.weft.transport.StreamableHttpTransport.open(
                    dev.weft.transport.HttpSpec.of(url)))) {
                assertThat(session.callTool("echo", Map.of("message", "over http")).text()).isEqualTo("over http");
                List<Progress> progress = new ArrayList<>();
                session.callTool("slow", Map.of("steps", 2), RequestOptions.DEFAULT.withProgress(progress::add));
                assertThat(progress).hasSize(2);
            }
        } finally {
            process.destroy(); // SIGTERM: the shutdown hook closes the server
            assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(process.exitValue()).isEqualTo(143); // ended by SIGTERM, after the hook ran
    }

    @Test
    void theDemoNarratesEveryStepAndExitsZero() {
        Cli.Result result = Cli.run("demo");

        assertThat(result.status()).as("stderr: %s", result.err()).isZero();
        assertThat(result.out())
                .contains("1. Connected to weft-demo")
                .contains("2. Its tools: echo, slow, fail, crash")
                .contains("3. echo → hello from weft")
                .contains("progress 5/5 step 5 of 5")
                .contains("→ done after 5 steps")
                .contains("5. fail → the tool reported an error (isError): failed: the disk is full")
                .containsPattern("→ the call failed \\d+ ms after it started, ")
                .contains("TransportClosedException")
                .contains("its last words on stderr: weft-demo: crashing on purpose in the middle of a call")
                .contains("later calls on that session fail at once too: ping failed in")
                .contains("7. A fresh session with a new server process: connected to weft-demo")
                .contains("echo → hello again")
                .contains("Done:");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void serveWantsTheDemoFlag() {
        Cli.Result bare = Cli.run("serve");
        assertThat(bare.status()).isEqualTo(2);
        assertThat(bare.errLines()).containsExactly("weft serve: missing --demo (the only toolset there is)",
                "Usage: weft serve --demo [--http HOST:PORT]");
        Cli.Result extra = Cli.run("serve", "--demo", "--fast");
        assertThat(extra.status()).isEqualTo(2);
        assertThat(extra.errLines().getFirst()).isEqualTo("weft serve: unexpected argument '--fast'");
        Cli.Result help = Cli.run("serve", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: weft serve --demo [--http HOST:PORT]\n\n");
        Cli.Result badHttp = Cli.run("serve", "--demo", "--http", "nowhere");
        assertThat(badHttp.status()).isEqualTo(2);
        assertThat(badHttp.errLines().getFirst()).contains("--http wants HOST:PORT");
        assertThat(Cli.run("demo", "now").status()).isEqualTo(2);
        assertThat(Cli.run("demo", "--help").out()).startsWith("Usage: weft demo\n");
    }
}
