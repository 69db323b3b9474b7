package dev.weft.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.server.McpServer;
import dev.weft.testing.ConformanceSuite;
import dev.weft.testing.HardTimeout;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.HttpServerSpec;
import dev.weft.transport.StreamableHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The {@code @modelcontextprotocol/conformance} 0.1.16 server scenarios, run by the suite itself (on Node 22, playing a
 * TypeScript SDK client) against {@link ConformanceServer} served over Streamable HTTP on 127.0.0.1 in this JVM: every
 * scenario of the {@code active} suite (30) and of the {@code pending} suite (2: JSON Schema 2020-12, SSE polling) must
 * pass. Results and the suite's output land in {@code target/conformance/server}.
 */
@Tag("conformance")
class ConformanceServerTest {
    private static final Path OUT = NpmPeers.projectRoot().resolve("target/conformance/server");

    /** Runs the suite with {@code args} against a fresh fixture server, which is closed afterwards. */
    private static ConformanceSuite.Result conformance(String name, String... args)
            throws IOException, InterruptedException {
        McpServer server = ConformanceServer.build();
        try (StreamableHttpServer http = server.serveHttp(HttpServerSpec.loopback())) {
            List<String> all = new ArrayList<>(List.of("server", "--url", http.uri().toString()));
            all.addAll(List.of(args));
            ConformanceSuite.Result result = ConformanceSuite.run(OUT, all);
            Files.writeString(OUT.resolve(name + ".log"), result.output());
            return result;
        } finally {
            server.close();
        }
    }

    @Test
    @HardTimeout(seconds = 180)
    void everyActiveScenarioPasses() throws Exception {
        assertAllPassed(conformance("active"), 30);
    }

    @Test
    @HardTimeout(seconds = 180)
    void everyPendingScenarioPasses() throws Exception {
        assertAllPassed(conformance("pending", "--suite", "pending"), 2);
    }

    private static void assertAllPassed(ConformanceSuite.Result result, int scenarios) {
        List<String> summary = result.output().lines().dropWhile(l -> !l.equals("=== SUMMARY ===")).toList();
        assertThat(summary.stream().filter(l -> l.startsWith("✓ ")).count()).as(result.output()).isEqualTo(scenarios);
        assertThat(summary).as(result.output()).noneMatch(l -> l.startsWith("✗"))
                .anyMatch(l -> l.matches("Total: \\d+ passed, 0 failed"));
        assertThat(result.exit()).as(result.output()).isZero();
    }
}
