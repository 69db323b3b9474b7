package dev.weft.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.server.McpServer;
import dev.weft.testing.HardTimeout;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.HttpServerSpec;
import dev.weft.transport.StreamableHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    private static Result conformance(String name, String... args) throws IOException, InterruptedException {
        McpServer server = ConformanceServer.build();
        try (StreamableHttpServer http = server.serveHttp(HttpServerSpec.loopback())) {
            Result result = run(http, args);
            Files.writeString(OUT.resolve(name + ".log"), result.output());
            return result;
        } finally {
            server.close();
        }
    }

    private static Result run(StreamableHttpServer http, String... args) throws IOException, InterruptedException {
        Path node22 = NpmPeers.node22();
        Path suite = NpmPeers.mcpModules().resolve("@modelcontextprotocol/conformance/dist/index.js");
        List<String> command = new ArrayList<>(List.of(node22.toString(), suite.toString(), "server",
                "--url", http.uri().toString(), "-o", OUT.toString()));
        command.addAll(List.of(args));
        Files.createDirectories(OUT);
        Path log = Files.createTempFile("weft-conformance-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
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

    private static void assertAllPassed(Result result, int scenarios) {
        List<String> summary = result.output().lines().dropWhile(l -> !l.equals("=== SUMMARY ===")).toList();
        assertThat(summary.stream().filter(l -> l.startsWith("✓ ")).count()).as(result.output()).isEqualTo(scenarios);
        assertThat(summary).as(result.output()).noneMatch(l -> l.startsWith("✗"))
                .anyMatch(l -> l.matches("Total: \\d+ passed, 0 failed"));
        assertThat(result.exit()).as(result.output()).isZero();
    }
}
