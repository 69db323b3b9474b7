package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.NpmPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft acp prompt} against the real ACP peers, run in this JVM through {@link Main#run}: the turn streamed in
 * readable form, the three permission policies, the file system confined to {@code --cwd}, an agent that crashes, and
 * the usage errors.
 */
@Tag("concurrency") // each run starts an agent process and the client's threads
class AcpCommandsTest {
    @TempDir
    Path cwd;

    private Cli.Result prompt(String input, String... args) {
        List<String> tail = new ArrayList<>(List.of("--"));
        tail.addAll(NpmPeers.acpScriptedAgent());
        List<String> head = new ArrayList<>(List.of("acp", "prompt"));
        head.addAll(List.of(args));
        return Cli.runWithInput(input, Cli.args(head, tail));
    }

    @Test
    void aTurnStreamsAsReadableTextWithThePlanAsAChecklist() {
        Cli.Result result = prompt("", "tools", "--allow", "--cwd", cwd.toString());

        assertThat(result.status()).as("stderr: %s", result.err()).isZero();
        assertThat(result.out()).contains("Plan:\n  [>] ", "(thinking) ", "[tool] Read t1 (read): pending",
                "[tool] Read t1: completed", "[tool] Read t2: failed", "[tool] Edit a.txt (edit): pending",
                "[tool] Edit a.txt: completed");
        assertThat(result.err()).contains("usage: 1000 of 200000 tokens, 0.01 USD", "stop: end_turn");
    }

    @Test
    void denyRefusesAndAskReadsTheChoiceFromTheTerminal() {
        Cli.Result denied = prompt("", "tools", "--deny", "--cwd", cwd.toString());
        assertThat(denied.status()).isZero();
        assertThat(denied.out()).contains("[tool] Edit a.txt: failed");

        Cli.Result allowed = prompt("1\n", "tools", "--ask", "--cwd", cwd.toString());
        assertThat(allowed.err()).contains("Permission requested: Edit a.txt (edit)", "1) ", "[allow_once]",
                "Choose 1-2: ");
        assertThat(allowed.out()).contains("[tool] Edit a.txt: completed");

        Cli.Result noAnswer = prompt("", "tools", "--ask", "--cwd", cwd.toString());
        assertThat(noAnswer.err()).contains("(no answer: refused)");
        assertThat(noAnswer.out()).contains("[tool] Edit a.txt: failed");
    }

    @Test
    void theAgentWorksOnFilesInsideTheDirectoryOnly() throws Exception {
        Cli.Result result = prompt("", "fs", "--cwd", cwd.toString());

        assertThat(result.status()).as("stderr: %s", result.err()).isZero();
        assertThat(Files.readString(cwd.resolve("weft-fs.txt"))).isEqualTo("hello\nworld\n");
        assertThat(result.out()).contains("read: world");

        Cli.Result term = prompt("", "term", "--cwd", cwd.toString());
        assertThat(term.out()).contains("exit 7: hi");
    }

    @Test
    void anAgentThatCrashesIsReportedWithItsExitCode() {
        Cli.Result result = prompt("", "crash", "--cwd", cwd.toString());

        assertThat(result.status()).isEqualTo(3);
        assertThat(result.err()).contains("weft acp prompt: the connection to the agent ended during session/prompt",
                "exited with code 3");
    }

    @Test
    void anAgentsErrorIsReportedWithItsCode() {
        Cli.Result result = prompt("", "error", "--cwd", cwd.toString());

        assertThat(result.status()).isEqualTo(5);
        assertThat(result.err()).contains("the agent answered session/prompt with error -32603", "scripted failure");
    }

    @Test
    void wrongArgumentsAreUsageErrors() {
        assertThat(Cli.run("acp", "prompt", "hi").errLines()).containsExactly(
                "weft acp prompt: missing the agent: -- AGENT_CMD ARGS...", "Usage: " + AcpCommands.USAGE);
        assertThat(Cli.run("acp", "prompt", "--", "agent").errLines().getFirst())
                .isEqualTo("weft acp prompt: missing the prompt TEXT");
        assertThat(Cli.run("acp", "prompt", "hi", "--allow", "--deny", "--", "agent").errLines().getFirst())
                .isEqualTo("weft acp prompt: choose one of --allow, --deny and --ask");
        Cli.Result badDir = Cli.run("acp", "prompt", "hi", "--cwd", cwd.resolve("nope").toString(), "--", "agent");
        assertThat(badDir.status()).isEqualTo(2);
        assertThat(badDir.errLines().getFirst()).endsWith("nope is not a directory");
        assertThat(Cli.run("acp", "prompt", "--help").out()).startsWith("Usage: " + AcpCommands.USAGE);
        assertThat(Cli.run("--help").out()).contains("acp prompt");
    }
}
