package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.RpcError;
import dev.weft.testing.Await;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client session against the reference server, {@code @modelcontextprotocol/server-everything} over stdio: every
 * feature it offers, through the session's typed API, with the host's handlers declared so that its gated tools
 * (sampling, elicitation in both modes, roots) are there.
 */
@Tag("concurrency")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerEverythingStdioTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final List<LogMessage> logs = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<SamplingRequest> samplings = new CopyOnWriteArrayList<>();
    private McpSession session;

    @BeforeAll
    void open() throws IOException {
        ServerEvents listener = new ServerEvents() {
            @Override
            public void onLog(LogMessage message) {
                logs.add(message);
            }

            @Override
            public void onToolsChanged() {
                events.add("tools");
            }
        };
        McpClientOptions options = McpClientOptions.defaults()
                .withEvents(listener)
                .withSampling(request -> {
                    samplings.add(request);
                    return SamplingResult.text("weft-test-model", "the sampled answer");
                })
                .withElicitation(request -> switch (request) {
                    case ElicitationRequest.Form form -> ElicitationResult.accept(Map.of("firstLine", "Call me Ishmael."));
                    case ElicitationRequest.Url url -> ElicitationResult.decline();
                })
                .withRoots(() -> List.of(new Root("file:///work/project", "project")));
        ProcessSpec spec = ProcessSpec.of(NpmPeers.serverEverythingStdio().toArray(String[]::new));
        session = McpSession.open(StdioTransport.spawn(spec), options);
        // The server registers its capability-gated tools after notifications/initialized and then says so.
        Await.until(() -> session.listTools().stream().anyMatch(t -> t.name().equals("get-roots-list")), PATIENCE,
                "the gated tools");
    }

    @AfterAll
    void close() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void theHandshakeNegotiatesTheLatestRevision() {
        assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(session.serverInfo().name()).isEqualTo("mcp-servers/everything");
        assertThat(session.serverCapabilities().tools()).isTrue();
        assertThat(session.serverCapabilities().resourceSubscriptions()).isTrue();
        assertThat(session.serverCapabilities().listChanged("tools")).isTrue();
        assertThat(session.instructions()).isPresent();
        assertThat(events).contains("tools");
        session.ping();
    }

    @Test
    void toolsOfEveryContentType() {
        assertThat(session.listTools()).extracting(Tool::name).contains("echo", "get-sum", "get-tiny-image",
                "trigger-sampling-request", "trigger-elicitation-request", "trigger-url-elicitation",
                "get-roots-list", "trigger-long-running-operation");
        assertThat(session.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("Echo: hi");
        assertThat(session.callTool("get-sum", Map.of("a", 2, "b", 3)).text()).contains("5");

        CallToolResult image = session.callTool("get-tiny-image", Map.of());
        assertThat(image.content()).filteredOn(Content.Image.class::isInstance).singleElement()
                .satisfies(c -> {
                    Content.Image i = (Content.Image) c;
                    assertThat(i.mimeType()).isEqualTo("image/png");
                    assertThat(java.util.Base64.getDecoder().decode(i.data())).isNotEmpty();
                });
        assertThat(session.callTool("get-resource-links", Map.of()).content())
                .filteredOn(Content.ResourceLink.class::isInstance).isNotEmpty()
                .allSatisfy(c -> assertThat(((Content.ResourceLink) c).uri()).startsWith("demo://"));
        assertThat(session.callTool("get-resource-reference", Map.of("resourceType", "Text", "resourceId", 1))
                .content()).filteredOn(Content.EmbeddedResource.class::isInstance).singleElement()
                .satisfies(c -> assertThat(((Content.EmbeddedResource) c).resource())
                        .isInstanceOf(ResourceContents.Text.class));
        CallToolResult structured = session.callTool("get-structured-content", Map.of("location", "New York"));
        assertThat(structured.structuredContent().has("temperature")).isTrue();
        assertThat(session.callTool("get-annotated-message", Map.of("messageType", "error", "includeImage", true))
                .content()).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(Content.Text.class,
                        t -> assertThat(t.annotations()).isNotNull()));
    }

    @Test
    void toolFailuresAreResults() {
        CallToolResult unknown = session.callTool("no-such-tool", Map.of());
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.text()).contains("no-such-tool");
        assertThat(session.callTool("get-sum", Map.of("a", "not a number")).isError()).isTrue();
        assertThatThrownBy(() -> session.callTool("no-such-tool", Map.of(),
                RequestOptions.DEFAULT.withThrowOnToolError(true)))
                .isInstanceOf(ToolErrorException.class).hasMessageContaining("no-such-tool");
    }

    @Test
    void everyProgressNotificationArrivesBeforeTheResultTheLastOneToo() {
        List<Progress> progress = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> listenerThread = new AtomicReference<>();
        CallToolResult result = session.callTool("trigger-long-running-operation", Map.of("duration", 1,
                "steps", 4), RequestOptions.DEFAULT.withProgress(p -> {
                    listenerThread.set(Thread.currentThread());
                    progress.add(p);
                }));
        assertThat(result.text()).contains("completed");
        assertThat(progress).extracting(Progress::progress).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(progress).allSatisfy(p -> assertThat(p.total()).isEqualTo(4.0));
        assertThat(listenerThread.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aTimeoutCancelsAndTheSessionGoesOn() {
        assertThatThrownBy(() -> session.callTool("trigger-long-running-operation", Map.of("duration", 10,
                "steps", 10), RequestOptions.DEFAULT.withTimeout(Duration.ofMillis(1500))))
                .isInstanceOf(CallTimeoutException.class).hasMessageContaining("tools/call");
        session.ping(); // the server keeps working on the cancelled call, and answers everything else
        assertThat(session.callTool("echo", Map.of("message", "after")).text()).isEqualTo("Echo: after");
    }

    @Test
    void anInterruptCancelsTheCallOnItsThread() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().name("weft-test-caller").start(() -> {
            try {
                session.callTool("trigger-long-running-operation", Map.of("duration", 10, "steps", 10),
                        RequestOptions.DEFAULT.withProgress(p -> running.countDown()));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        running.await();
        caller.interrupt();
        caller.join();
        assertThat(outcome.get()).isInstanceOf(CallCancelledException.class);
        session.ping();
    }

    @Test
    void theServersRequestsReachTheHostsHandlers() {
        CallToolResult sampled = session.callTool("trigger-sampling-request", Map.of("prompt", "Say hi",
                "maxTokens", 20));
        assertThat(sampled.text()).contains("the sampled answer").contains("weft-test-model");
        assertThat(samplings).last().satisfies(r -> {
            assertThat(r.maxTokens()).isEqualTo(20);
            assertThat(r.messages().get(0).blocks().get(0)).isInstanceOfSatisfying(Content.Text.class,
                    t -> assertThat(t.text()).contains("Say hi"));
        });

        CallToolResult elicited = session.callTool("trigger-elicitation-request", Map.of());
        assertThat(elicited.text()).contains("Call me Ishmael.")
                .as("the schema's defaults fill the fields the user left out").contains("\"integer\": 42");

        CallToolResult declined = session.callTool("trigger-url-elicitation", Map.of("url",
                "https://example.com/consent", "elicitationId", "weft-e-1"));
        assertThat(declined.text()).containsIgnoringCase("decline");

        assertThat(session.callTool("get-roots-list", Map.of()).text()).contains("file:///work/project");
    }

    @Test
    void resourcesListReadSubscribe() {
        List<Resource> resources = session.listResources();
        assertThat(resources).extracting(Resource::uri)
                .contains("demo://resource/static/document/features.md");
        assertThat(session.listResourceTemplates()).extracting(ResourceTemplate::uriTemplate)
                .contains("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/blob/{resourceId}");
        assertThat(session.readResource("demo://resource/static/document/features.md")).singleElement()
                .isInstanceOfSatisfying(ResourceContents.Text.class, t -> {
                    assertThat(t.mimeType()).isEqualTo("text/markdown");
                    assertThat(t.text()).isNotBlank();
                });
        assertThat(session.readResource("demo://resource/dynamic/blob/1")).singleElement()
                .isInstanceOfSatisfying(ResourceContents.Blob.class, b -> assertThat(b.bytes()).isNotEmpty());
        assertThatThrownBy(() -> session.readResource("demo://no/such/thing"))
                .isInstanceOfSatisfying(PeerErrorException.class,
                        e -> assertThat(e.error().code()).isEqualTo(RpcError.INVALID_PARAMS));

        int before = logs.size();
        session.setLogLevel(LogLevel.DEBUG);
        session.subscribe("demo://resource/static/document/features.md");
        session.unsubscribe("demo://resource/static/document/features.md");
        Await.until(() -> logs.size() >= before + 2, PATIENCE, "the server's log lines about the subscription");
        assertThat(logs.subList(before, logs.size())).anySatisfy(
                l -> assertThat(l.data().asText()).contains("Subscribe"));
    }

    @Test
    void promptsAndCompletions() {
        assertThat(session.listPrompts()).extracting(Prompt::name)
                .contains("simple-prompt", "args-prompt", "completable-prompt", "resource-prompt");
        Prompt args = session.listPrompts().stream().filter(p -> p.name().equals("args-prompt")).findFirst()
                .orElseThrow();
        assertThat(args.arguments()).extracting(Prompt.Argument::name, Prompt.Argument::required)
                .contains(org.assertj.core.groups.Tuple.tuple("city", true));
        PromptResult prompt = session.getPrompt("args-prompt", Map.of("city", "Paris"));
        assertThat(prompt.messages()).singleElement().satisfies(m -> assertThat(m.content())
                .isInstanceOfSatisfying(Content.Text.class, t -> assertThat(t.text()).contains("Paris")));
        assertThat(session.getPrompt("resource-prompt", Map.of("resourceType", "Text", "resourceId", "1"))
                .messages()).anySatisfy(m -> assertThat(m.content()).isInstanceOf(Content.EmbeddedResource.class));
        Completion completion = session.complete(Completion.Reference.prompt("completable-prompt"), "department",
                "Eng", null);
        assertThat(completion.values()).contains("Engineering");
        assertThatThrownBy(() -> session.getPrompt("no-such-prompt", Map.of()))
                .isInstanceOf(PeerErrorException.class);
    }
}
