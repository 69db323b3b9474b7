package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.testing.Await;
import dev.weft.testing.NpmPeers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP client commands against a real server, {@code @modelcontextprotocol/server-everything} over stdio, run in
 * this JVM through {@link Main#run}. Each test starts one server and, like the command line, ends it before returning
 * (the leak check after each test fails any test that leaves a process or a {@code weft-*} thread behind).
 */
@Tag("concurrency") // each session runs a reader thread and the server's process
class McpCommandsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FEATURES = "demo://resource/static/document/features.md";
    /** Generous: Node starting on a loaded machine; a server that started waits for nothing. */
    private static final Duration SERVER_START = Duration.ofSeconds(30);

    private static List<String> server;

    @BeforeAll
    static void installServer() {
        server = NpmPeers.serverEverythingStdio();
    }

    /** Runs {@code weft ARGS... -- <server-everything>}. */
    private static Cli.Result run(String... args) {
        List<String> dashDash = new ArrayList<>(List.of("--"));
        dashDash.addAll(server);
        return Cli.run(Cli.args(List.of(args), dashDash));
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
        return MAPPER.readTree(result.out());
    }

    private static void assertSucceeded(Cli.Result result) {
        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEmpty();
    }

    // ---- exit status 0 --------------------------------------------------------------------------------------------

    @Test
    void toolsListShowsEachToolWithItsDescriptionAndArgumentsRequiredOnesMarked() {
        Cli.Result result = run("tools", "list");

        assertSucceeded(result);
        assertThat(result.out())
                .containsPattern("(?m)^echo  Echoes back the input.*\n    arguments: message\\*$")
                .containsPattern("(?m)^get-sum  .*\n    arguments: a\\*, b\\*$")
                .containsPattern("(?m)^get-tiny-image  .*$")
                .containsPattern("(?m)^trigger-long-running-operation  .*\n    arguments: duration, steps$")
                .endsWith("(* required)\n");
    }

    @Test
    void toolsListJsonIsOneDocumentWithEveryToolAndItsInputSchema() throws Exception {
        JsonNode tools = json(run("tools", "list", "--json")).get("tools");

        assertThat(tools.isArray()).isTrue();
        JsonNode echo = null;
        for (JsonNode tool : tools) {
            if (tool.path("name").asText().equals("echo")) {
                echo = tool;
            }
        }
        assertThat(echo).as("echo in %s", tools).isNotNull();
        assertThat(echo.path("description").asText()).startsWith("Echoes back the input");
        assertThat(echo.path("inputSchema").path("properties").has("message")).isTrue();
        assertThat(echo.path("inputSchema").path("required").toString()).isEqualTo("[\"message\"]");
    }

    @Test
    void toolsCallPrintsTheToolsText() {
        Cli.Result result = run("tools", "call", "echo", "--args", "{\"message\": \"hello, weft\"}");

        assertSucceeded(result);
        assertThat(result.out()).isEqualTo("Echo: hello, weft\n");
    }

    @Test
    void toolsCallShowsAnImageAsOneLineWithItsTypeAndSize() throws Exception {
        Cli.Result text = run("tools", "call", "get-tiny-image");
        JsonNode json = json(run("tools", "call", "get-tiny-image", "--json"));

        JsonNode image = null;
        for (JsonNode content : json.get("content")) {
            if (content.path("type").asText().equals("image")) {
                image = content;
            }
        }
        assertThat(image).as("an image in %s", json).isNotNull();
        int bytes = Base64.getDecoder().decode(image.get("data").asText()).length;
        assertSucceeded(text);
        assertThat(text.out()).contains("\n[image image/png, " + bytes + " bytes]\n").doesNotContain(
                image.get("data").asText().substring(0, 40));
    }

    @Test
    void toolsCallPrettyPrintsStructuredContentAfterTheContent() {
        Cli.Result result = run("tools", "call", "get-structured-content", "--args", "{\"location\": \"New York\"}");

        assertSucceeded(result);
        assertThat(result.out()).containsPattern("(?s)\nstructuredContent:\n\\{\n  \"temperature\": -?[0-9.]+,\n.*\n}\n$");
    }

    @Test
    void toolsCallJsonIsTheResultWithContentStructuredContentAndIsError() throws Exception {
        JsonNode result = json(run("tools", "call", "get-sum", "--json", "--args", "{\"a\": 2, \"b\": 40}"));
        JsonNode structured = json(run("tools", "call", "--json", "get-structured-content",
                "--args={\"location\": \"Chicago\"}"));

        assertThat(result.path("isError").asBoolean(true)).isFalse();
        assertThat(result.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(result.path("content").get(0).path("text").asText()).contains("42");
        assertThat(structured.path("structuredContent").path("temperature").isNumber()).isTrue();
    }

    @Test
    void progressOfALongCallShowsOnStderrOneLinePerUpdate() {
        Cli.Result result = run("tools", "call", "trigger-long-running-operation", "--args",
                "{\"duration\": 0.3, \"steps\": 3}");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.out()).startsWith("Long running operation completed.");
        assertThat(result.errLines()).containsExactly("progress 1/3", "progress 2/3", "progress 3/3");
    }

    @Test
    void progressOnATerminalOverwritesOneLine() {
        Cli.Result result = Cli.run(true, Cli.args(List.of("tools", "call", "trigger-long-running-operation",
                "--args", "{\"duration\": 0.2, \"steps\": 2}", "--"), server));

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEqualTo("\rprogress 1/2\rprogress 2/2\n");
    }

    @Test
    void resourcesListShowsResourcesThenTemplates() {
        Cli.Result result = run("resources", "list");

        assertSucceeded(result);
        assertThat(result.out())
                .containsPattern("(?m)^" + FEATURES + "  features\\.md \\(text/markdown\\)$")
                .containsPattern("(?m)^Templates:\ndemo://resource/dynamic/text/\\{resourceId}  .*$");
    }

    @Test
    void resourcesReadPrintsTheText() {
        Cli.Result result = run("resources", "read", FEATURES);

        assertSucceeded(result);
        assertThat(result.out()).startsWith("# Everything Server - Features\n");
    }

    @Test
    void resourcesReadJsonHasTheContentsWithUriMimeTypeAndText() throws Exception {
        JsonNode contents = json(run("resources", "read", FEATURES, "--json")).get("contents");

        assertThat(contents.size()).isEqualTo(1);
        assertThat(contents.get(0).path("uri").asText()).isEqualTo(FEATURES);
        assertThat(contents.get(0).path("mimeType").asText()).isEqualTo("text/markdown");
        assertThat(contents.get(0).path("text").asText()).startsWith("# Everything Server - Features");
    }

    @Test
    void promptsListShowsEachPromptWithItsArgumentsRequiredOnesMarked() {
        Cli.Result result = run("prompts", "list");

        assertSucceeded(result);
        assertThat(result.out())
                .containsPattern("(?m)^simple-prompt  .+$")
                .containsPattern("(?m)^args-prompt  .+\n    arguments: city\\*, state$");
    }

    @Test
    void promptsGetFillsInTheArguments() {
        Cli.Result result = run("prompts", "get", "args-prompt", "--args", "{\"city\": \"Paris\", \"state\": \"TX\"}");

        assertSucceeded(result);
        assertThat(result.out()).startsWith("[user]\n").contains("Paris, TX");
    }

    @Test
    void promptsGetJsonHasTheMessagesWithRoleAndContent() throws Exception {
        JsonNode messages = json(run("prompts", "get", "simple-prompt", "--json")).get("messages");

        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content").path("type").asText()).isEqualTo("text");
        assertThat(messages.get(0).path("content").path("text").asText()).isNotBlank();
    }

    @Test
    void pingPrintsTheServerAndTheRoundTripTime() throws Exception {
        Cli.Result text = run("ping");
        JsonNode json = json(run("ping", "--json"));

        assertSucceeded(text);
        assertThat(text.out()).matches("pong from mcp-servers/everything \\S+ in \\d+\\.\\d{3} ms\n");
        assertThat(json.path("server").path("name").asText()).isEqualTo("mcp-servers/everything");
        assertThat(json.path("roundTripMillis").isNumber()).isTrue();
        assertThat(json.path("roundTripMillis").asDouble()).isPositive();
    }

    @Test
    void toolsCallWorksOverStreamableHttp(@TempDir Path tmp) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // free now; the server takes it a moment later
        }
        List<String> argv = new ArrayList<>(server);
        argv.set(argv.size() - 1, "streamableHttp");
        Path log = tmp.resolve("server-everything.log");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("PORT", Integer.toString(port));
        Process http = builder.start();
        Cli.Result result;
        try {
            Await.until(() -> read(log).contains("listening on port") || !http.isAlive(), SERVER_START,
                    "server-everything to listen on port " + port);
            assertThat(read(log)).contains("listening on port " + port);
            result = Cli.run("tools", "call", "echo", "--args", "{\"message\": \"over http\"}", "--url",
                    "http://127.0.0.1:" + port + "/mcp");
        } finally {
            http.destroy();
            if (!http.waitFor(SERVER_START.toSeconds(), TimeUnit.SECONDS)) {
                http.destroyForcibly().waitFor();
            }
        }

        assertSucceeded(result);
        assertThat(result.out()).isEqualTo("Echo: over http\n");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- exit statuses 1, 3, 4, 5 ---------------------------------------------------------------------------------

    @Test
    void aToolErrorPrintsItsContentAndExitsOne() {
        Cli.Result result = run("tools", "call", "no-such-tool");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(1);
        assertThat(result.out()).contains("no-such-tool");
        assertThat(result.err()).isEqualTo("weft tools call: the tool no-such-tool reported an error\n");
    }

    @Test
    void aServerThatDiesExitsThreeWithItsExitCodeAndStderr() {
        Cli.Result result = Cli.run("tools", "list", "--", "sh", "-c", "echo boom >&2; exit 7");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines().getFirst())
                .startsWith("weft tools list: the connection to the server ended during initialize: ")
                .contains("exited with code 7");
        assertThat(result.errLines().subList(1, result.errLines().size()))
                .containsExactly("--- the server's standard error ---", "boom", "---");
    }

    @Test
    void aServerThatCannotStartExitsThree() {
        Cli.Result result = Cli.run("ping", "--", "/nonexistent/weft-test-server");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("weft ping: cannot start [/nonexistent/weft-test-server]");
    }

    @Test
    void aUrlWithNoServerBehindItExitsThree() {
        Cli.Result result = Cli.run("ping", "--url", "http://127.0.0.1:1/mcp");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("weft ping: initialize failed on http[http://127.0.0.1:1/mcp]: ");
    }

    @Test
    void aCallThatOutlivesItsTimeoutExitsFourAndTheServerIsStopped() {
        Cli.Result result = run("tools", "call", "trigger-long-running-operation", "--timeout", "300ms", "--args",
                "{\"duration\": 5, \"steps\": 5}");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("weft tools call: no answer to tools/call within 300ms from stdio[");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void thePeersJsonRpcErrorExitsFiveWithItsCodeAndMessage() {
        Cli.Result result = run("resources", "read", "demo://no/such/resource");

        assertThat(result.status()).as("exit status; stderr: %s", result.err()).isEqualTo(5);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("weft resources read: the server answered resources/read with error"
                + " -32602: ").contains("demo://no/such/resource");
    }
}
