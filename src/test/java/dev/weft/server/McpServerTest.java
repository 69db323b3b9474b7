package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Completion;
import dev.weft.mcp.Content;
import dev.weft.mcp.ElicitationRequest;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.LogMessage;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Progress;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.ProtocolVersions;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceContents;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.Root;
import dev.weft.mcp.SamplingRequest;
import dev.weft.mcp.SamplingResult;
import dev.weft.mcp.ServerEvents;
import dev.weft.mcp.Tool;
import dev.weft.testing.Await;
import dev.weft.transport.MemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MCP server against Weft's own client, over an in-memory pair: every method, every way a handler can fail. */
class McpServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<LogMessage> logs = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    static Tool tool(String name, String description) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("message").put("type", "string");
        return new Tool(name, null, description, schema, null, null, null, null, null);
    }

    private McpServer.Builder builder() {
        return McpServer.builder("test-server", "1.2.3").instructions("be kind")
                .tool(tool("echo", "Echoes its message"),
                        (args, ctx) -> CallToolResult.text(args.path("message").asText()));
    }

    private McpSession connect(McpServer server, McpClientOptions options) {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        toClose.add(server);
        server.serve(pair.right());
        McpSession client = McpSession.open(pair.left(), options.withEvents(new ServerEvents() {
            @Override
            public void onLog(LogMessage message) {
                logs.add(message);
            }

            @Override
            public void onToolsChanged() {
                events.add("tools changed");
            }

            @Override
            public void onResourceUpdated(String uri) {
                events.add("updated " + uri);
            }
        }));
        toClose.add(client);
        return client;
    }

    private McpSession connect(McpServer server) {
        return connect(server, McpClientOptions.defaults());
    }

    @Test
    void initializesListsAndCalls() {
        McpSession client = connect(builder().title("Test").build());
        assertThat(client.protocolVersion()).isEqualTo(ProtocolVersions.LATEST);
        assertThat(client.serverInfo().name()).isEqualTo("test-server");
        assertThat(client.serverInfo().title()).isEqualTo("Test");
        assertThat(client.instructions()).contains("be kind");
        assertThat(client.serverCapabilities().json().has("tools")).isTrue();
        assertThat(client.serverCapabilities().json().has("logging")).isTrue();
        assertThat(client.listTools()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("echo");
            assertThat(t.inputSchema().path("properties").has("message")).isTrue();
        });
        assertThat(client.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("hi");
        client.ping();
    }

    @Test
    void anOlderClientGetsItsRevisionAndAnUnknownOneGetsOurs() {
        McpSession older = connect(builder().build(), McpClientOptions.defaults().withProtocolVersion("2025-03-26"));
        assertThat(older.protocolVersion()).isEqualTo("2025-03-26");
    }

    @Test
    void aToolsFailureIsItsErrorResultAndAnUnknownToolIsAnError() {
        McpSession client = connect(builder()
                .tool(tool("fail", null), (args, ctx) -> {
                    throw new IllegalStateException("the disk is full");
                }).build());
        CallToolResult failed = client.callTool("fail", Map.of());
        assertThat(failed.isError()).isTrue();
        assertThat(failed.text()).isEqualTo("the disk is full");
        assertThatThrownBy(() -> client.callTool("nope", Map.of())).isInstanceOfSatisfying(PeerErrorException.class,
                e -> {
                    assertThat(e.error().code()).isEqualTo(-32602);
                    assertThat(e.error().message()).contains("Unknown tool: nope");
                });
    }

    @Test
    void progressAndLogsReachTheClientAndProgressOnlyGrows() {
        McpSession client = connect(builder()
                .tool(tool("slow", null), (args, ctx) -> {
                    assertThat(ctx.wantsProgress()).isTrue();
                    ctx.progress(1, 3.0, "one");
                    ctx.progress(1, 3.0, "again"); // not more than before: dropped
                    ctx.progress(2, 3.0, null);
                    ctx.log(LogLevel.INFO, "slow", "halfway");
                    ctx.progress(3, 3.0, "done");
                    return CallToolResult.text("ok");
                }).build());
        List<Progress> progress = new ArrayList<>();
        CallToolResult result = client.callTool("slow", Map.of(), RequestOptions.DEFAULT.withProgress(progress::add));
        assertThat(result.text()).isEqualTo("ok");
        assertThat(progress).containsExactly(new Progress(1, 3.0, "one"), new Progress(2, 3.0, null),
                new Progress(3, 3.0, "done"));
        Await.until(() -> !logs.isEmpty(), PATIENCE, "the log message");
        assertThat(logs).singleElement().satisfies(m -> {
            assertThat(m.level()).isEqualTo(LogLevel.INFO);
            assertThat(m.logger()).isEqualTo("slow");
            assertThat(m.data().asText()).isEqualTo("halfway");
        });
    }

    @Test
    void theClientsLogLevelFiltersLogMessages() {
        McpSession client = connect(builder()
                .tool(tool("talk", null), (args, ctx) -> {
                    ctx.log(LogLevel.DEBUG, null, "quiet");
                    ctx.log(LogLevel.WARNING, null, "loud");
                    ctx.log(LogLevel.ERROR, null, Map.of("marker", true));
                    return null;
                }).build());
        client.setLogLevel(LogLevel.WARNING);
        assertThat(client.callTool("talk", Map.of()).content()).isEmpty();
        Await.until(() -> logs.size() >= 2, PATIENCE, "the two loud log messages");
        assertThat(logs).extracting(LogMessage::level).containsExactly(LogLevel.WARNING, LogLevel.ERROR);
        assertThat(logs.get(1).data().path("marker").asBoolean()).isTrue();
    }

    @Test
    void aHandlerAsksTheClientForSamplingElicitationAndRoots() {
        McpClientOptions options = McpClientOptions.defaults()
                .withSampling(request -> new SamplingResult("assistant",
                        new Content.Text("model says " + request.maxTokens()), "m1", "endTurn"))
                .withElicitation(request -> new ElicitationResult(ElicitationResult.Action.ACCEPT,
                        Map.of("name", "Ada")))
                .withRoots(() -> List.of(new Root("file:///work", "work")));
        McpSession client = connect(builder()
                .tool(tool("ask", null), (args, ctx) -> {
                    SamplingResult sampled = ctx.sample(new SamplingRequest(List.of(new SamplingRequest.Message(
                            "user", McpProtocol.toJson(new Content.Text("hi")))), null, 7, null, null, null, null,
                            null, null, null, null));
                    ElicitationResult elicited = ctx.elicit(new ElicitationRequest.Form("Your name?",
                            McpProtocol.mapper().createObjectNode().put("type", "object"), null));
                    List<Root> roots = ctx.roots();
                    return CallToolResult.text(((Content.Text) sampled.content()).text() + "; "
                            + elicited.action() + " " + elicited.content().get("name") + "; " + roots.getFirst().uri());
                }).build(), options);
        assertThat(client.callTool("ask", Map.of()).text()).isEqualTo("model says 7; ACCEPT Ada; file:///work");
    }

    @Test
    void askingAClientForWhatItDidNotDeclareIsTheToolsError() {
        McpSession client = connect(builder()
                .tool(tool("ask", null), (args, ctx) -> CallToolResult.text(ctx.roots().toString())).build());
        CallToolResult result = client.callTool("ask", Map.of());
        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("did not declare the capability roots");
    }

    @Test
    void aCancelInterruptsTheHandlerAndTheSessionGoesOn() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        McpSession client = connect(builder()
                .tool(tool("hang", null), (args, ctx) -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return null;
                }).build());
        assertThatThrownBy(() -> client.callTool("hang", Map.of(),
                RequestOptions.DEFAULT.withTimeout(Duration.ofMillis(200))))
                .isInstanceOf(CallTimeoutException.class);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the handler was interrupted").isTrue();
        assertThat(client.callTool("echo", Map.of("message", "still here")).text()).isEqualTo("still here");
    }

    @Test
    void resourcesFixedAndTemplatedAreReadAndSubscribersHearOfUpdates() {
        McpServer server = builder()
                .resource(new Resource("test://static", "static", null, null, "text/plain", null, null, null, null),
                        (uri, vars, ctx) -> List.of(new ResourceContents.Text(uri, "text/plain", "fixed", null)))
                .resourceTemplate(new ResourceTemplate("test://items/{id}/data", "items", null, null, null, null,
                                null, null),
                        (uri, vars, ctx) -> List.of(new ResourceContents.Text(uri, null, "item " + vars.get("id"),
                                null)))
                .build();
        McpSession client = connect(server);
        assertThat(client.listResources()).extracting(Resource::uri).containsExactly("test://static");
        assertThat(client.listResourceTemplates()).extracting(ResourceTemplate::uriTemplate)
                .containsExactly("test://items/{id}/data");
        assertThat(client.readResource("test://static")).singleElement()
                .isEqualTo(new ResourceContents.Text("test://static", "text/plain", "fixed", null));
        assertThat(client.readResource("test://items/a%20b/data")).singleElement()
                .extracting(c -> ((ResourceContents.Text) c).text()).isEqualTo("item a b");
        assertThatThrownBy(() -> client.readResource("test://missing"))
                .isInstanceOfSatisfying(PeerErrorException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(-32002);
                    assertThat(e.error().data().path("uri").asText()).isEqualTo("test://missing");
                });
        client.subscribe("test://static");
        server.resourceUpdated("test://other");
        server.resourceUpdated("test://static");
        Await.until(() -> !events.isEmpty(), PATIENCE, "the update");
        assertThat(events).containsExactly("updated test://static");
    }

    @Test
    void promptsAreListedAndRenderedAndArgumentsChecked() {
        McpServer server = builder()
                .prompt(new Prompt("greet", null, "Greets", List.of(new Prompt.Argument("name", null, null, true)),
                                null, null),
                        (arguments, ctx) -> new PromptResult("a greeting", List.of(new PromptResult.Message("user",
                                new Content.Text("Hello " + arguments.get("name")))), null))
                .completions((ref, argument, value, resolved, ctx) -> new Completion(
                        List.of(value + "a", value + "b"), 2, false))
                .build();
        McpSession client = connect(server);
        assertThat(client.listPrompts()).extracting(Prompt::name).containsExactly("greet");
        PromptResult result = client.getPrompt("greet", Map.of("name", "Ada"));
        assertThat(result.messages()).singleElement().satisfies(m ->
                assertThat(((Content.Text) m.content()).text()).isEqualTo("Hello Ada"));
        assertThatThrownBy(() -> client.getPrompt("greet", Map.of())).isInstanceOfSatisfying(PeerErrorException.class,
                e -> assertThat(e.error().message()).contains("needs argument name"));
        assertThat(client.complete(Completion.Reference.prompt("greet"), "name", "x", Map.of()).values())
                .containsExactly("xa", "xb");
    }

    @Test
    void addingAToolTellsTheSessionsAndManyToolsComeInPages() {
        McpServer server = builder().build();
        McpSession client = connect(server);
        for (int i = 0; i < 250; i++) {
            server.addTool(tool("t" + i, null), (args, ctx) -> CallToolResult.text("x"));
        }
        Await.until(() -> events.size() == 250, PATIENCE, "250 list_changed notifications");
        assertThat(events).containsOnly("tools changed");
        List<Tool> tools = client.listTools();
        assertThat(tools).hasSize(251);
        assertThat(tools.get(250).name()).isEqualTo("t249");
        server.removeTool("t0");
        assertThat(client.listTools()).hasSize(250);
    }

    @Test
    void aSharedContextThatFailsFailsTheInitializationAndTheNextSessionBuildsAgain() {
        List<String> builds = new CopyOnWriteArrayList<>();
        SharedContext<String> context = SharedContext.of("index", () -> {
            builds.add("build");
            if (builds.size() == 1) {
                throw new IllegalStateException("disk not mounted");
            }
            return "ready";
        });
        McpServer server = builder().sharedContext(context)
                .tool(tool("use", null), (args, ctx) -> CallToolResult.text(context.get()))
                .build();
        assertThatThrownBy(() -> connect(server)).hasMessageContaining("disk not mounted");
        McpSession client = connect(server);
        assertThat(client.callTool("use", Map.of()).text()).isEqualTo("ready");
        assertThat(builds).hasSize(2);
    }

    @Test
    void overStreamableHttpStatefulAndStateless() throws Exception {
        for (boolean stateless : new boolean[] {false, true}) {
            McpServer server = builder()
                    .tool(tool("who", null), (args, ctx) -> CallToolResult.text(
                            ctx.clientInfo().map(i -> i.name()).orElse("a stranger")))
                    .build();
            toClose.add(server);
            dev.weft.transport.StreamableHttpServer http = server.serveHttp(
                    dev.weft.transport.HttpServerSpec.loopback().withStateless(stateless));
            toClose.add(http);
            McpSession client = McpSession.open(dev.weft.transport.StreamableHttpTransport.open(
                    dev.weft.transport.HttpSpec.of(http.uri())), McpClientOptions.defaults());
            toClose.add(client);
            List<Progress> progress = new ArrayList<>();
            CallToolResult slow = client.callTool("echo", Map.of("message", "over http"),
                    RequestOptions.DEFAULT.withProgress(progress::add));
            assertThat(slow.text()).isEqualTo("over http");
            // A stateless server serves each request in a session of its own, which never saw initialize.
            assertThat(client.callTool("who", Map.of()).text()).isEqualTo(stateless ? "a stranger" : "weft");
        }
    }

    @Test
    void badRequestsGetTheRightErrorAndTheSessionGoesOn() {
        McpSession client = connect(builder().build());
        ObjectNode wrongName = McpProtocol.mapper().createObjectNode().put("name", 5);
        ObjectNode wrongArguments = McpProtocol.mapper().createObjectNode().put("name", "echo").put("arguments", "x");
        ObjectNode badCursor = McpProtocol.mapper().createObjectNode().put("cursor", "many");
        record Case(String method, JsonNode params, int code, String says) {
        }
        for (Case c : List.of(
                new Case("no/such/method", null, -32601, "no/such/method"),
                new Case("tools/call", wrongName, -32602, "\"name\" must be a string"),
                new Case("tools/call", wrongArguments, -32602, "arguments of echo must be an object"),
                new Case("tools/list", badCursor, -32602, "invalid cursor"),
                new Case("resources/read", null, -32602, "\"uri\" must be a string"),
                new Case("logging/setLevel", null, -32602, "\"level\" must be a string"))) {
            assertThatThrownBy(() -> client.request(c.method(), c.params(), RequestOptions.DEFAULT))
                    .as(c.method()).isInstanceOfSatisfying(PeerErrorException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(c.code());
                        assertThat(e.error().message()).contains(c.says());
                    });
        }
        assertThat(client.callTool("echo", Map.of("message", "still serving")).text()).isEqualTo("still serving");
    }

    @Test
    void argumentsThatDoNotFitTheInputSchemaAreTheToolsErrorAndNeverReachTheHandler() throws Exception {
        List<JsonNode> reached = new CopyOnWriteArrayList<>();
        JsonNode schema = McpProtocol.mapper().readTree("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "$defs": {"city": {"type": "string", "minLength": 2}},
                 "properties": {"count": {"type": "integer", "minimum": 1}, "city": {"$ref": "#/$defs/city"}},
                 "required": ["count"], "additionalProperties": false}""");
        McpSession client = connect(builder()
                .tool(new Tool("strict", null, null, schema, null, null, null, null, null), (args, ctx) -> {
                    reached.add(args);
                    return CallToolResult.text("ok");
                }).build());
        assertThat(client.callTool("strict", Map.of("count", 2, "city", "Rome")).text()).isEqualTo("ok");
        List<Map<String, ?>> bads = List.of(Map.of(), Map.of("count", "two"), Map.of("count", 0),
                Map.of("count", 1, "city", "X"), Map.of("count", 1, "extra", true));
        for (Map<String, ?> bad : bads) {
            CallToolResult result = client.callTool("strict", bad);
            assertThat(result.isError()).as("%s", bad).isTrue();
            assertThat(result.text()).as("%s", bad).startsWith("Invalid arguments for tool strict: ");
        }
        assertThat(reached).hasSize(1);
    }

    @Test
    void aSchemaThatReachesOutIsRefusedAtRegistration() throws Exception {
        JsonNode remote = McpProtocol.mapper().readTree("""
                {"type": "object", "properties": {"x": {"$ref": "https://example.com/schemas/x.json"}}}""");
        assertThatThrownBy(() -> McpServer.builder("s", "1").tool(new Tool("remote", null, null, remote, null, null,
                null, null, null), (args, ctx) -> null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the input schema of tool remote is not usable");
    }

    @Test
    void structuredResultsCarryTheirJsonAsTextToo() {
        JsonNode weather = McpProtocol.mapper().createObjectNode().put("temperature", 21);
        McpSession client = connect(builder()
                .tool(tool("weather", null), (args, ctx) -> CallToolResult.structured(weather)).build());
        CallToolResult result = client.callTool("weather", Map.of());
        assertThat(result.structuredContent()).isEqualTo(weather);
        assertThat(result.text()).isEqualTo("{\"temperature\":21}");
    }
}
