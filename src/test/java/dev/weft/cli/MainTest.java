package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    /** What one call of {@link Main#run} returned and printed. */
    private record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status;
        try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, outStream, errStream);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void helpPrintsUsageToOutAndSucceeds(String option) {
        Result result = run(option);

        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .contains("MCP servers", "ACP agents", "virtual-thread")
                .contains("Usage: weft [--help | --version]")
                .containsPattern("(?m)^       weft FILE\\.java \\[arguments\\] +\\(\\./weft only: .+\\)$")
                .containsPattern("(?m)^  help +Show this help$")
                .containsPattern("(?m)^  version +Show the versions of weft and of the Java runtime$")
                .containsPattern("(?m)^  tools list +List the server's tools$")
                .containsPattern("(?m)^  tools call +Call a tool and print its result$")
                .containsPattern("(?m)^  resources list +.+$")
                .containsPattern("(?m)^  resources read +.+$")
                .containsPattern("(?m)^  prompts list +.+$")
                .containsPattern("(?m)^  prompts get +.+$")
                .containsPattern("(?m)^  ping +Ping the server and show the round trip time$")
                .containsPattern("(?m)^  demo +Run a scripted session against the demo server, crash included$")
                .containsPattern("(?m)^  serve +Serve the built-in demo toolset over stdio or Streamable HTTP \\(--demo\\)$")
                .contains("-h, --help", "-V, --version")
                .contains("Exit status: 0 success, 1 the tool reported an error, 2 wrong arguments, 3 ")
                .doesNotContain("come with later versions");
    }

    @Test
    void noArgumentsPrintsUsageAndSucceeds() {
        assertThat(run()).isEqualTo(run("--help"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V", "version"})
    void versionPrintsOneLineWithWeftAndJavaVersions(String option) {
        Result result = run(option);

        // Test classes come from a directory, not a jar with a manifest: the version is "dev".
        String expected = "weft dev (Java " + Runtime.version() + ", " + System.getProperty("java.vm.vendor") + ")";
        assertThat(result.status()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(expected + System.lineSeparator());
    }

    @Test
    void versionLineNamesWeftJavaAndVendor() {
        assertThat(Main.versionLine("0.1.0", Runtime.Version.parse("25.0.3+9-LTS"), "Eclipse Adoptium"))
                .isEqualTo("weft 0.1.0 (Java 25.0.3+9-LTS, Eclipse Adoptium)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--frobnicate", "-x", "--", "-"})
    void unknownOptionIsOneLineOnErrAndExitTwo(String option) {
        Result result = run(option, "more");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(
                "weft: unknown option '" + option + "'; see weft --help" + System.lineSeparator());
    }

    @ParameterizedTest
    @ValueSource(strings = {"frobnicate", "serves", "Help", ""})
    void unknownCommandIsOneLineOnErrAndExitTwo(String command) {
        Result result = run(command);

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo(
                "weft: unknown command '" + command + "'; see weft --help" + System.lineSeparator());
    }

    @Test
    void argumentsAfterVersionOrHelpAreUsageErrors() {
        Result version = run("--version", "extra");
        Result help = run("help", "extra");

        assertThat(version.status()).isEqualTo(2);
        assertThat(version.out()).isEmpty();
        assertThat(version.err()).isEqualTo(
                "weft: version takes no arguments, got 'extra'; see weft --help" + System.lineSeparator());
        assertThat(help.status()).isEqualTo(2);
        assertThat(help.out()).isEmpty();
        assertThat(help.err()).isEqualTo(
                "weft: help takes no arguments, got 'extra'; see weft --help" + System.lineSeparator());
    }
}
