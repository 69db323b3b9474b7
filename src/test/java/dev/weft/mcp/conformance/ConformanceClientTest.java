package dev.weft.mcp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.HardTimeout;
import dev.weft.testing.NpmPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The {@code @modelcontextprotocol/conformance} 0.1.16 client scenarios, run by the suite itself (on Node 22) against
 * {@link ConformanceClient} in a JVM of its own: the four plain scenarios must pass, one at a time (sse-retry measures
 * the reconnect delay, which a loaded machine must not skew); the authorization suite runs against a baseline that
 * lists its 14 scenarios as expected failures until authorization lands, and fails as soon as one of them passes.
 * Results land in {@code target/conformance/client}.
 */
@Tag("conformance")
class ConformanceClientTest {
    private static final Path OUT = NpmPeers.projectRoot().resolve("target/conformance/client");

    private static String clientCommand() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + System.getProperty("java.class.path") + " "
                + ConformanceClient.class.getName();
    }

    private static Result conformance(String... args) throws IOException, InterruptedException {
        Path node22 = NpmPeers.node22();
        Path suite = NpmPeers.mcpModules().resolve("@modelcontextprotocol/conformance/dist/index.js");
        List<String> command = new ArrayList<>(List.of(node22.toString(), suite.toString(), "client",
                "--command", clientCommand(), "-o", OUT.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(OUT);
        Path log = Files.createTempFile("weft-conformance", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // The suite's own bin runs whatever node is first on PATH; so may anything it spawns.
        builder.environment().put("PATH", node22.getParent() + ":" + System.getenv("PATH"));
        Process process = builder.start();
        try {
            if (!process.waitFor(170, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError("conformance " + List.of(args) + " did not finish:\n" + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    record Result(int exit, String output) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"})
    @HardTimeout(seconds = 180)
    void aPlainScenarioPasses(String scenario) throws Exception {
        Result result = conformance("--scenario", scenario, "--timeout", "60000");
        assertThat(result.output()).as(result.output()).contains("OVERALL: PASSED").doesNotContain("FAILURE");
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    @HardTimeout(seconds = 180)
    void theAuthorizationScenariosFailAsTheBaselineExpects() throws Exception {
        Path baseline = NpmPeers.projectRoot().resolve("src/test/resources/conformance-client-baseline.yml");
        Result result = conformance("--suite", "auth", "--timeout", "90000", "--expected-failures",
                baseline.toString());
        assertThat(result.output()).as(result.output()).contains("Baseline check passed");
        assertThat(result.exit()).as(result.output()).isZero();
    }
}
