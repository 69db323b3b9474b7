package dev.weft.mcp.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.ConformanceSuite;
import dev.weft.testing.HardTimeout;
import dev.weft.testing.NpmPeers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code @modelcontextprotocol/conformance} 0.1.16 client scenarios, run by the suite itself (on Node 22) against
 * {@link ConformanceClient} in a JVM of its own: the four plain scenarios must pass, one at a time (sse-retry measures
 * the reconnect delay, which a loaded machine must not skew); so must every authorization scenario, suite by suite
 * (the suite runs a suite's scenarios at once). Results land in {@code target/conformance/client}.
 */
@Tag("conformance")
class ConformanceClientTest {
    private static final Path OUT = NpmPeers.projectRoot().resolve("target/conformance/client");

    private static String clientCommand() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + System.getProperty("java.class.path") + " "
                + ConformanceClient.class.getName();
    }

    private static ConformanceSuite.Result conformance(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("client", "--command", clientCommand()));
        all.addAll(List.of(args));
        return ConformanceSuite.run(OUT, all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"initialize", "tools_call", "elicitation-sep1034-client-defaults", "sse-retry"})
    @HardTimeout(seconds = 180)
    void aPlainScenarioPasses(String scenario) throws Exception {
        ConformanceSuite.Result result = conformance("--scenario", scenario, "--timeout", "60000");
        assertThat(result.output()).as(result.output()).contains("OVERALL: PASSED").doesNotContain("FAILURE");
        assertThat(result.exit()).as(result.output()).isZero();
    }

    /**
     * The authorization suites: {@code auth} (14 scenarios, run at once), and the 2025-03-26 back-compatibility,
     * extension (client credentials, cross-app access) and draft (resource mismatch, offline access) scenarios. Each
     * scenario must pass: no failure, no warning.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auth", "backcompat", "extensions", "draft"})
    @HardTimeout(seconds = 180)
    void anAuthorizationSuitePasses(String suite) throws Exception {
        ConformanceSuite.Result result = conformance("--suite", suite, "--timeout", "90000");
        assertThat(result.output()).as(result.output()).contains("SUITE SUMMARY").containsPattern(
                "Total: [1-9][0-9]* passed, 0 failed, 0 warnings").doesNotContain("\u2717");
        assertThat(result.exit()).as(result.output()).isZero();
    }
}
