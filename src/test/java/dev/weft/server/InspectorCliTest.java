package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.McpProtocol;
import dev.weft.testing.NpmPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Another SDK's client against Weft's server: the MCP inspector CLI ({@code @modelcontextprotocol/inspector-cli}
 * 1.0.3, on the TypeScript SDK) starts {@code weft serve --demo} over stdio, lists its tools and calls them.
 */
class InspectorCliTest {

    private static JsonNode inspect(String... method) throws IOException, InterruptedException {
        Path build = NpmPeers.mcpModules().resolve("@modelcontextprotocol/inspector-cli/build");
        List<String> command = new ArrayList<>(List.of("node", "cli.js", "--cli",
                ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                "dev.weft.cli.Main", "serve", "--demo"));
        command.addAll(List.of(method));
        Path out = Files.createTempFile("weft-inspector", ".json");
        Path err = Files.createTempFile("weft-inspector", ".err");
        try {
            // Run from its build folder: it looks for its package.json relative to the working directory.
            Process process = new ProcessBuilder(command).directory(build.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            "/dev/null"))).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the inspector did not finish in 60 s; stderr: " + Files.readString(err));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit status; stdout: %s; stderr: %s", stdout, Files.readString(err))
                    .isZero();
            return McpProtocol.mapper().readTree(stdout);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theInspectorListsAndCallsTheToolsOfWeftServe() throws Exception {
        JsonNode tools = inspect("--method", "tools/list");
        assertThat(tools.path("tools").findValuesAsText("name")).containsExactly("echo", "slow", "fail", "crash");

        JsonNode echo = inspect("--method", "tools/call", "--tool-name", "echo", "--tool-arg", "message=hello");
        assertThat(echo.path("content").path(0).path("text").asText()).isEqualTo("hello");

        JsonNode failed = inspect("--method", "tools/call", "--tool-name", "fail", "--tool-arg", "reason=no");
        assertThat(failed.path("isError").asBoolean()).isTrue();
        assertThat(failed.path("content").path(0).path("text").asText()).isEqualTo("failed: no");
    }
}
