package dev.weft.mcp;

import static dev.weft.mcp.RawPeer.obj;
import static dev.weft.mcp.RawPeer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.ProtocolViolationException;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.testing.Await;
import dev.weft.transport.MemoryTransport;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client session against a server scripted step by step on a memory pair. */
@Tag("concurrency")
class McpSessionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final MemoryTransport.Pair pair = MemoryTransport.pair();
    private final RawPeer peer = new RawPeer(pair.right());
    private McpSession session;

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
        peer.close();
    }

    /** Runs {@code body} on a virtual thread; {@link Outcome#get} joins it and returns its value or throws what it threw. */
    private static <T> Outcome<T> async(Supplier<T> body) {
        Outcome<T> outcome = new Outcome<>();
        outcome.thread = Thread.ofVirtual().name("weft-test-caller").start(() -> {
            try {
                outcome.value.set(body.get());
            } catch (Throwable t) {
                outcome.failure.set(t);
            }
        });
        return outcome;
    }

    private static final class Outcome<T> {
        final AtomicReference<T> value = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread;

        T get() throws InterruptedException {
            thread.join();
            if (failure.get() != null) {
                throw new AssertionError("the call failed", failure.get());
            }
            return value.get();
        }

        Throwable failure() throws InterruptedException {
            thread.join();
            assertThat(failure.get()).as("the call should have failed, returned " + value.get()).isNotNull();
            return failure.get();
        }
    }

    private McpSession open(McpClientOptions options, String version) throws Exception {
        Outcome<McpSession> opening = async(() -> McpSession.open(pair.left(), options));
        peer.handshake(version);
        session = opening.get();
        return session;
    }

    @Test
    void handshakeAsksForTheLatestRevisionAndDeclaresWhatItsHandlersAnswer() throws Exception {
        McpClientOptions options = McpClientOptions.defaults()
                .withClientInfo(new Implementation("host", "2.0", "The Host"))
                .withSampling(r -> SamplingResult.text("m", "x"))
                .withElicitation(r -> ElicitationResult.decline())
                .withRoots(List::of);
        Outcome<McpSession> opening = async(() -> McpSession.open(pair.left(), options));
        Request init = peer.request("initialize");
        assertThat(init.params().path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(init.params().path("clientInfo").path("name").asText()).isEqualTo("host");
        assertThat(init.params().path("clientInfo").path("title").asText()).isEqualTo("The Host");
        JsonNode capabilities = init.params().path("capabilities");
        assertThat(capabilities.path("roots").path("listChanged").asBoolean()).isTrue();
        assertThat(capabilities.has("sampling")).isTrue();
        assertThat(capabilities.path("elicitation").has("form")).isTrue();
        assertThat(capabilities.path("elicitation").has("url")).isTrue();

        ObjectNode result = obj().put("protocolVersion", "2025-06-18").put("instructions", "be nice");
        result.putObject("capabilities").putObject("resources").put("subscribe", true);
        result.putObject("serverInfo").put("name", "older").put("version", "1");
        peer.reply(init.id(), result);
        peer.notification("notifications/initialized");
        session = opening.get();

        assertThat(session.protocolVersion()).isEqualTo("2025-06-18");
        assertThat(session.serverInfo().name()).isEqualTo("older");
        assertThat(session.instructions()).contains("be nice");
        assertThat(session.serverCapabilities().resourceSubscriptions()).isTrue();
        assertThat(session.serverCapabilities().tools()).isFalse();
    }

    @Test
    void noHandlersMeansNoCapabilities() throws Exception {
        Outcome<McpSession> opening = async(() -> McpSession.open(pair.left(), McpClientOptions.defaults()));
        Request init = peer.request("initialize");
        assertThat(init.params().path("capabilities").size()).isZero();
        peer.close();
        assertThat(opening.failure()).isInstanceOf(TransportClosedException.class);
    }

    @Test
    void aRevisionItDoesNotSpeakIsRefusedAndTheTransportClosed() throws Exception {
        Outcome<McpSession> opening = async(() -> McpSession.open(pair.left(), McpClientOptions.defaults()));
        Request init = peer.request("initialize");
        ObjectNode result = obj().put("protocolVersion", "2024-11-05");
        result.putObject("capabilities");
        result.putObject("serverInfo").put("name", "ancient").put("version", "0");
        peer.reply(init.id(), result);

        assertThat(opening.failure()).isInstanceOf(UnsupportedProtocolVersionException.class)
                .hasMessageContaining("2024-11-05").hasMessageContaining("2025-11-25");
        assertThatThrownBy(peer::next).as("the client closed its end; nothing else was sent")
                .isInstanceOf(IOException.class);
    }

    @Test
    void initializeIsNeverCancelledEvenWhenItTimesOut() throws Exception {
        Outcome<McpSession> opening = async(() -> McpSession.open(pair.left(),
                McpClientOptions.defaults().withInitializeTimeout(Duration.ofMillis(200))));
        peer.request("initialize");
        assertThat(opening.failure()).isInstanceOf(CallTimeoutException.class).hasMessageContaining("initialize");
        assertThatThrownBy(peer::next).as("no notifications/cancelled for initialize; the transport just closed")
                .isInstanceOf(EOFException.class);
    }

    @Test
    void listsFollowEveryCursor() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<List<Tool>> listing = async(() -> session.listTools());
        for (String cursor : new String[] {null, "a", "b"}) {
            Request page = peer.request("tools/list");
            assertThat(page.params() == null ? null : page.params().path("cursor").asText()).isEqualTo(cursor);
            ObjectNode result = obj();
            result.putArray("tools").addObject().put("name", "tool-" + cursor)
                    .putObject("annotations").put("idempotentHint", true);
            if (!"b".equals(cursor)) {
                result.put("nextCursor", cursor == null ? "a" : "b");
            }
            peer.reply(page.id(), result);
        }
        assertThat(listing.get()).extracting(Tool::name).containsExactly("tool-null", "tool-a", "tool-b");
        assertThat(listing.get()).allMatch(Tool::safeToRetry);
    }

    @Test
    void aCursorThatComesBackIsAViolationNotALoop() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<List<Prompt>> listing = async(() -> session.listPrompts());
        for (int i = 0; i < 2; i++) {
            Request page = peer.request("prompts/list");
            ObjectNode result = obj().put("nextCursor", "again");
            result.putArray("prompts");
            peer.reply(page.id(), result);
        }
        assertThat(listing.failure()).isInstanceOf(ProtocolViolationException.class)
                .hasMessageContaining("prompts/list").hasMessageContaining("again");
    }

    @Test
    void progressRunsOnTheCallingThreadInOrderBeforeTheResult() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        List<String> seen = new CopyOnWriteArrayList<>();
        Outcome<CallToolResult> call = async(() -> {
            Thread caller = Thread.currentThread();
            CallToolResult r = session.callTool("slow", Map.of(), RequestOptions.DEFAULT.withProgress(p -> seen.add(
                    (Thread.currentThread() == caller ? "caller " : "other ") + p.progress() + "/" + p.total()
                            + " " + p.message())));
            seen.add("result " + r.text());
            return r;
        });
        Request request = peer.request("tools/call");
        JsonNode token = request.params().path("_meta").path("progressToken");
        assertThat(token.isNumber()).as("a progress token was set: " + request.params()).isTrue();
        for (int i = 1; i <= 3; i++) {
            ObjectNode progress = obj().put("progress", i).put("total", 3).put("message", "step " + i);
            progress.set("progressToken", token);
            peer.notify("notifications/progress", progress);
        }
        peer.reply(request.id(), text("done"));
        call.get();
        assertThat(seen).containsExactly("caller 1.0/3.0 step 1", "caller 2.0/3.0 step 2", "caller 3.0/3.0 step 3",
                "result done");
    }

    @Test
    void withoutAListenerNoProgressTokenIsSent() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> call = async(() -> session.callTool("echo", Map.of("message", "hi")));
        Request request = peer.request("tools/call");
        assertThat(request.params().has("_meta")).isFalse();
        assertThat(request.params().path("arguments").path("message").asText()).isEqualTo("hi");
        peer.reply(request.id(), text("hi"));
        assertThat(call.get().text()).isEqualTo("hi");
    }

    @Test
    void eachProgressResetsTheIdleTimeout() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Duration idle = Duration.ofMillis(400);
        Outcome<CallToolResult> call = async(() -> session.callTool("slow", Map.of(),
                RequestOptions.DEFAULT.withIdleTimeout(idle).withTimeout(Duration.ofSeconds(20))));
        Request request = peer.request("tools/call");
        JsonNode token = request.params().path("_meta").path("progressToken");
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            Thread.sleep(200); // pacing the server: five gaps of 200 ms, each under the idle timeout, 1 s in all
            ObjectNode progress = obj().put("progress", i);
            progress.set("progressToken", token);
            peer.notify("notifications/progress", progress);
        }
        peer.reply(request.id(), text("done"));
        assertThat(call.get().text()).isEqualTo("done");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(idle.multipliedBy(2));
    }

    @Test
    void aTimeoutSendsCancelledWithTheIdAndAReason() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> call = async(() -> session.callTool("hang", Map.of(),
                RequestOptions.DEFAULT.withTimeout(Duration.ofMillis(200))));
        Request request = peer.request("tools/call");
        Notification cancel = peer.notification("notifications/cancelled");
        assertThat(cancel.params().path("requestId").asLong()).isEqualTo(((RequestId.Number) request.id()).value());
        assertThat(cancel.params().path("reason").asText()).contains("timeout");
        Throwable failure = call.failure();
        assertThat(failure).isInstanceOf(CallTimeoutException.class).hasMessageContaining("tools/call")
                .hasMessageContaining("id " + request.id());
        peer.reply(request.id(), text("too late")); // a late answer is dropped; the session goes on
        Outcome<Void> ping = async(() -> {
            session.ping();
            return null;
        });
        peer.reply(peer.request("ping").id(), obj());
        ping.get();
    }

    @Test
    void anIdleTimeoutWithoutProgressCancelsToo() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> call = async(() -> session.callTool("hang", Map.of(),
                RequestOptions.DEFAULT.withIdleTimeout(Duration.ofMillis(200))));
        Request request = peer.request("tools/call");
        assertThat(peer.notification("notifications/cancelled").params().path("reason").asText())
                .contains("idle timeout");
        assertThat(call.failure()).isInstanceOf(CallTimeoutException.class);
        assertThat(request.params().path("_meta").has("progressToken")).isTrue();
    }

    @Test
    void anInterruptSendsCancelledAndFailsTheCallAsCancelled() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Outcome<CallToolResult> call = async(() -> {
            try {
                return session.callTool("hang", Map.of());
            } finally {
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        Request request = peer.request("tools/call");
        call.thread.interrupt();
        Notification cancel = peer.notification("notifications/cancelled");
        assertThat(cancel.params().path("requestId").asLong()).isEqualTo(((RequestId.Number) request.id()).value());
        assertThat(cancel.params().path("reason").asText()).contains("interrupted");
        assertThat(call.failure()).isInstanceOf(CallCancelledException.class);
        assertThat(flagAfter.get()).as("the interrupt flag is set again").isTrue();
    }

    @Test
    void toolErrorsAreResultsUnlessTheCallerAsksForAnException() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> plain = async(() -> session.callTool("fail", Map.of()));
        Request first = peer.request("tools/call");
        ObjectNode failed = text("bad input");
        failed.put("isError", true);
        peer.reply(first.id(), failed);
        assertThat(plain.get().isError()).isTrue();

        Outcome<CallToolResult> throwing = async(() -> session.callTool("fail", Map.of(),
                RequestOptions.DEFAULT.withThrowOnToolError(true)));
        Request second = peer.request("tools/call");
        peer.reply(second.id(), failed);
        Throwable failure = throwing.failure();
        assertThat(failure).isInstanceOf(ToolErrorException.class).hasMessageContaining("fail")
                .hasMessageContaining("id " + second.id()).hasMessageContaining("bad input");
        assertThat(((ToolErrorException) failure).id()).isEqualTo(second.id());
        assertThat(((ToolErrorException) failure).result().isError()).isTrue();
    }

    @Test
    void aJsonRpcErrorIsAPeerErrorAndAMalformedResultAViolation() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<List<ResourceContents>> read = async(() -> session.readResource("demo://nope"));
        Request request = peer.request("resources/read");
        peer.fail(request.id(), RpcError.invalidParams("Resource not found"));
        assertThat(read.failure()).isInstanceOf(PeerErrorException.class).hasMessageContaining("resources/read")
                .hasMessageContaining("Resource not found");

        Outcome<List<Resource>> list = async(() -> session.listResources());
        Request listing = peer.request("resources/list");
        peer.reply(listing.id(), obj().put("resources", "not a list"));
        assertThat(list.failure()).isInstanceOf(ProtocolViolationException.class)
                .hasMessageContaining("resources/list");
    }

    @Test
    void typedContentOfEveryKindAndUnknownKindsSurvive() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> call = async(() -> session.callTool("all", Map.of()));
        Request request = peer.request("tools/call");
        ObjectNode result = obj();
        var content = result.putArray("content");
        content.addObject().put("type", "text").put("text", "t");
        content.addObject().put("type", "image").put("data", "aGk=").put("mimeType", "image/png");
        content.addObject().put("type", "audio").put("data", "aGk=").put("mimeType", "audio/wav");
        content.addObject().put("type", "resource_link").put("uri", "file:///a").put("name", "a");
        ObjectNode embedded = content.addObject().put("type", "resource");
        embedded.putObject("resource").put("uri", "file:///b").put("blob", "aGk=");
        content.addObject().put("type", "tool_use").put("id", "x");
        result.putObject("structuredContent").put("n", 1);
        peer.reply(request.id(), result);

        CallToolResult r = call.get();
        assertThat(r.content()).extracting(Content::type)
                .containsExactly("text", "image", "audio", "resource_link", "resource", "tool_use");
        assertThat(((Content.EmbeddedResource) r.content().get(4)).resource())
                .isInstanceOfSatisfying(ResourceContents.Blob.class, b -> assertThat(b.bytes()).hasSize(2));
        assertThat(((Content.Unknown) r.content().get(5)).json().path("id").asText()).isEqualTo("x");
        assertThat(r.structuredContent().path("n").asInt()).isEqualTo(1);
        assertThat(McpJson.MAPPER.valueToTree(r).path("content").get(3).path("type").asText())
                .as("content writes its type back").isEqualTo("resource_link");
    }

    @Test
    void samplingElicitationAndRootsRequestsReachTheirHandlers() throws Exception {
        McpClientOptions options = McpClientOptions.defaults()
                .withSampling(r -> SamplingResult.text("model-x", "sampled: " + r.messages().get(0).blocks()
                        .get(0).type() + " " + r.maxTokens()))
                .withElicitation(r -> switch (r) {
                    case ElicitationRequest.Form form -> ElicitationResult.accept(Map.of("nickname", "jd"));
                    case ElicitationRequest.Url url -> ElicitationResult.accept(Map.of());
                })
                .withRoots(() -> List.of(new Root("file:///work", "work")));
        open(options, "2025-11-25");

        ObjectNode sampling = obj().put("maxTokens", 7);
        sampling.putArray("messages").addObject().put("role", "user").putObject("content").put("type", "text")
                .put("text", "hi");
        peer.ask(0, "sampling/createMessage", sampling);
        JsonNode sampled = ((Response.Success) peer.response()).result();
        assertThat(sampled.path("model").asText()).isEqualTo("model-x");
        assertThat(sampled.path("content").path("text").asText()).isEqualTo("sampled: text 7");
        assertThat(sampled.path("role").asText()).isEqualTo("assistant");

        ObjectNode form = obj().put("message", "who?");
        ObjectNode properties = form.putObject("requestedSchema").put("type", "object").putObject("properties");
        properties.putObject("name").put("type", "string").put("default", "John Doe");
        properties.putObject("age").put("type", "integer").put("default", 30);
        properties.putObject("nickname").put("type", "string").put("default", "nobody");
        properties.putObject("email").put("type", "string");
        peer.ask(1, "elicitation/create", form);
        JsonNode elicited = ((Response.Success) peer.response()).result();
        assertThat(elicited.path("action").asText()).isEqualTo("accept");
        assertThat(elicited.path("content").toString()).as("defaults fill what the user left out, and only that")
                .isEqualTo("{\"nickname\":\"jd\",\"name\":\"John Doe\",\"age\":30}");

        peer.ask(2, "elicitation/create", obj().put("mode", "url").put("message", "log in")
                .put("url", "https://example.com/login").put("elicitationId", "e-1"));
        JsonNode url = ((Response.Success) peer.response()).result();
        assertThat(url.toString()).isEqualTo("{\"action\":\"accept\"}");

        peer.ask(3, "roots/list", null);
        JsonNode roots = ((Response.Success) peer.response()).result();
        assertThat(roots.path("roots").get(0).path("uri").asText()).isEqualTo("file:///work");

        peer.ask(4, "ping", null);
        assertThat(((Response.Success) peer.response()).result().size()).isZero();
    }

    @Test
    void aRequestWithoutAHandlerIsMethodNotFound() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        peer.ask(9, "sampling/createMessage", obj().put("maxTokens", 1));
        Response answer = peer.response();
        assertThat(answer).isInstanceOfSatisfying(Response.Failure.class,
                f -> assertThat(f.error().code()).isEqualTo(RpcError.METHOD_NOT_FOUND));
    }

    @Test
    void anIncomingCancelInterruptsTheHandlerAndNoAnswerIsSent() throws Exception {
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        open(McpClientOptions.defaults().withSampling(r -> {
            handling.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return SamplingResult.text("m", "never");
        }), "2025-11-25");
        peer.ask(5, "sampling/createMessage", obj().put("maxTokens", 1).set("messages", obj().arrayNode()));
        handling.await();
        peer.notify("notifications/cancelled", obj().put("requestId", 5).put("reason", "user"));
        interrupted.await();
        Outcome<Void> ping = async(() -> {
            session.ping();
            return null;
        });
        Message next = peer.next();
        assertThat(next).as("the cancelled request got no answer; the next message is the ping")
                .isInstanceOfSatisfying(Request.class, r -> assertThat(r.method()).isEqualTo("ping"));
        peer.reply(((Request) next).id(), obj());
        ping.get();
    }

    @Test
    void sessionNotificationsReachTheEventsInOrderOffTheReader() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ServerEvents events = new ServerEvents() {
            @Override
            public void onLog(LogMessage message) {
                seen.add("log " + message.level() + " " + message.data().asText() + " on "
                        + (Thread.currentThread().getName().contains("reader") ? "reader" : "other"));
            }

            @Override
            public void onToolsChanged() {
                seen.add("tools");
            }

            @Override
            public void onResourcesChanged() {
                seen.add("resources");
            }

            @Override
            public void onPromptsChanged() {
                seen.add("prompts");
            }

            @Override
            public void onResourceUpdated(String uri) {
                seen.add("updated " + uri);
            }

            @Override
            public void onElicitationComplete(String elicitationId) {
                seen.add("elicited " + elicitationId);
            }

            @Override
            public void onNotification(String method, JsonNode params) {
                seen.add("other " + method);
            }
        };
        open(McpClientOptions.defaults().withEvents(events), "2025-11-25");
        peer.notify("notifications/message", obj().put("level", "warning").put("data", "careful"));
        peer.notify("notifications/tools/list_changed", null);
        peer.notify("notifications/resources/list_changed", null);
        peer.notify("notifications/prompts/list_changed", null);
        peer.notify("notifications/resources/updated", obj().put("uri", "file:///x"));
        peer.notify("notifications/elicitation/complete", obj().put("elicitationId", "e-9"));
        peer.notify("notifications/tasks/status", obj().put("taskId", "t"));
        Await.until(() -> seen.size() == 7, PATIENCE, "seven events");
        assertThat(seen).containsExactly("log WARNING careful on other", "tools", "resources", "prompts",
                "updated file:///x", "elicited e-9", "other notifications/tasks/status");
    }

    @Test
    void theOtherRequestsSendWhatTheSpecSays() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<Completion> completing = async(() -> session.complete(Completion.Reference.prompt("p"), "city",
                "Pa", Map.of("country", "FR")));
        Request complete = peer.request("completion/complete");
        assertThat(complete.params().toString()).isEqualTo("{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"p\"},"
                + "\"argument\":{\"name\":\"city\",\"value\":\"Pa\"},\"context\":{\"arguments\":{\"country\":\"FR\"}}}");
        ObjectNode completion = obj();
        completion.putObject("completion").put("total", 2).put("hasMore", true).putArray("values").add("Paris");
        peer.reply(complete.id(), completion);
        assertThat(completing.get()).isEqualTo(new Completion(List.of("Paris"), 2, true));

        Outcome<Void> level = async(() -> {
            session.setLogLevel(LogLevel.NOTICE);
            return null;
        });
        Request setLevel = peer.request("logging/setLevel");
        assertThat(setLevel.params().path("level").asText()).isEqualTo("notice");
        peer.reply(setLevel.id(), obj());
        level.get();

        Outcome<Void> subscribing = async(() -> {
            session.subscribe("file:///x");
            session.unsubscribe("file:///x");
            return null;
        });
        Request subscribe = peer.request("resources/subscribe");
        assertThat(subscribe.params().path("uri").asText()).isEqualTo("file:///x");
        peer.reply(subscribe.id(), obj());
        peer.reply(peer.request("resources/unsubscribe").id(), obj());
        subscribing.get();

        Outcome<PromptResult> prompt = async(() -> session.getPrompt("greet", Map.of("name", "Ada")));
        Request get = peer.request("prompts/get");
        assertThat(get.params().path("arguments").path("name").asText()).isEqualTo("Ada");
        ObjectNode promptResult = obj().put("description", "a greeting");
        promptResult.putArray("messages").addObject().put("role", "user").putObject("content")
                .put("type", "text").put("text", "Hello Ada");
        peer.reply(get.id(), promptResult);
        assertThat(prompt.get().messages().get(0).content()).isEqualTo(new Content.Text("Hello Ada"));

        session.notifyRootsChanged();
        peer.notification("notifications/roots/list_changed");
    }

    @Test
    void whenTheTransportDiesEveryPendingAndLaterCallFailsAtOnce() throws Exception {
        open(McpClientOptions.defaults(), "2025-11-25");
        Outcome<CallToolResult> first = async(() -> session.callTool("hang", Map.of()));
        Outcome<CallToolResult> second = async(() -> session.callTool("hang", Map.of()));
        peer.request("tools/call");
        peer.request("tools/call");
        IOException death = new IOException("wire cut");
        pair.left().fail(death);
        for (Outcome<CallToolResult> call : List.of(first, second)) {
            assertThat(call.failure()).isInstanceOf(TransportClosedException.class).cause().isSameAs(death);
        }
        assertThatThrownBy(() -> session.callTool("echo", Map.of())).isInstanceOf(TransportClosedException.class)
                .cause().isSameAs(death);
        assertThat(session.isOpen()).isFalse();
        assertThat(session.closedCause()).containsSame(death);
    }
}
