package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, as written there: its shell commands run by {@code bash}, and its {@code Hello.java} run in
 * the JDK's source-file mode, as {@code ./weft Hello.java} runs it. Both run in a directory whose {@code ./weft} runs
 * this build's command line ({@code target/classes} and the test class path) on this JVM, so that no test starts
 * Maven; the launcher's own handling of a {@code .java} argument is {@link LauncherTest}'s.
 */
@DisabledOnOs(OS.WINDOWS)
class ReadmeQuickStartTest {

    private static final Path README = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("README.md");
    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    @TempDir
    Path root;

    @BeforeEach
    void weftInTheRoot() throws IOException {
        Path weft = root.resolve("weft");
        Files.writeString(weft, "#!/bin/sh\nexec '" + JAVA + "' -cp '" + CLASS_PATH + "' dev.weft.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(weft, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theShellCommandsListCallAndFailFastWithStatusThree() throws Exception {
        String commands = block(quickStart(), "sh", 0);
        assertThat(commands).contains("./weft tools call crash");

        Run run = run(List.of("bash", "-c", commands));

        assertThat(run.status()).as(run.toString()).isZero(); // the last command is the echo of the status
        assertThat(run.out()).contains("echo", "slow", "fail", "crash", "hello", "exit status 3");
        assertThat(run.err()).as(run.toString()).contains("crashing on purpose")
                .doesNotContain("WARNING"); // the command says it itself; the library's log would say it twice
    }

    @Test
    void helloJavaRunsAsWrittenAndItsCrashingCallFailsWithTheServersExit() throws Exception {
        String source = block(quickStart(), "java", 0);
        Files.writeString(root.resolve("Hello.java"), source);
        assertThat(block(quickStart(), "sh", 1).strip()).isEqualTo("./weft Hello.java");

        Run run = run(List.of(JAVA, "-cp", CLASS_PATH, "Hello.java"));

        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out().lines().toList()).as(run.toString())
                .contains("echo: Echoes its message", "1000 answers, the last: call 999")
                .anySatisfy(line -> assertThat(line).startsWith("failed after ").contains("exit"));
    }

    private static String quickStart() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Quick start");
        assertThat(start).as("README has a Quick start section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** The {@code index}th fenced block of the given language in {@code text}. */
    private static String block(String text, String language, int index) {
        Matcher matcher = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        for (int i = 0; i <= index; i++) {
            assertThat(matcher.find()).as("block %d of %s in the quick start", i, language).isTrue();
        }
        return matcher.group(1);
    }

    private record Run(int status, String out, String err) {}

    private Run run(List<String> command) throws IOException, InterruptedException {
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 45 s; stdout: " + Files.readString(out)
                    + "\nstderr: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
