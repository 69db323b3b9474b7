package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.notification;
import static dev.weft.transport.FakeMcpHttpServer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.internal.SharedHttpClient;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.CancelProtocol;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Streamable HTTP transport driven through a {@link Connection}, as users drive it, against a scripted
 * {@link FakeMcpHttpServer}. Every transport is closed in the test; the global leak check then proves that no thread
 * of its is left.
 */
@Tag("concurrency")
class StreamableHttpTransportTest {
    /** "At once", where the alternative is the call's own timeout of {@link #LONG}. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);
    /** The timeout of calls that must end long before it. */
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private FakeMcpHttpServer server;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeMcpHttpServer();
    }

    @AfterEach
    void stopEverything() throws Exception {
        connections.forEach(Connection::close);
        server.close();
    }

    private Connection connect(ConnectionOptions options) throws IOException {
        return connect(HttpSpec.of(server.endpoint()), options);
    }

    private Connection connect(HttpSpec spec, ConnectionOptions options) throws IOException {
        Connection connection = Connection.open(StreamableHttpTransport.open(spec),
                options.withDefaultTimeout(LONG));
        connections.add(connection);
        return connection;
    }

    private Connection connect() throws IOException {
        return connect(ConnectionOptions.DEFAULT);
    }

    private static JsonNode initialize(Connection connection) {
        JsonNode result = connection.call("initialize", obj("protocolVersion", "2025-11-25", "capabilities", obj(),
                "clientInfo", obj("name", "weft-test", "version", "1")));
        connection.notify("notifications/initialized", null);
        return result;
    }

    /** Runs {@code call} on a virtual thread and returns its outcome: the result or what it threw. */
    private static CompletableFuture<Object> async(Connection connection, String method, JsonNode params,
                                                   CallOptions options) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread.ofVirtual().name("test-caller-" + method).start(() -> {
            try {
                outcome.complete(connection.call(method, params, options));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        return outcome;
    }

    private static Object outcome(CompletableFuture<Object> future, Duration within) throws Exception {
        return future.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(ThrowableAssert.ThrowingCallable call) {
        return catchThrowable(call);
    }

    @Test
    void sessionIdAndProtocolVersionGoOnEveryRequestAfterInitialize() throws Exception {
        server.protocol("2025-06-18");
        Connection connection = connect();

        initialize(connection);
        connection.call("tools/list", null);
        Await.until(() -> !server.requests("GET").isEmpty(), PATIENCE, "the standalone GET");
        connection.close();

        FakeMcpHttpServer.Received init = server.posts("initialize").getFirst();
        assertThat(init.header("Mcp-Session-Id")).isNull();
        assertThat(init.header("MCP-Protocol-Version")).isNull();
        List<FakeMcpHttpServer.Received> later = server.received().stream()
                .filter(r -> r != init).toList();
        assertThat(later).extracting(FakeMcpHttpServer.Received::httpMethod)
                .contains("POST", "GET", "DELETE");
        assertThat(later).allSatisfy(r -> {
            assertThat(r.header("Mcp-Session-Id")).as("%s %s", r.httpMethod(), r.rpcMethod())
                    .isEqualTo(FakeMcpHttpServer.SESSION);
            assertThat(r.header("MCP-Protocol-Version")).as("%s %s", r.httpMethod(), r.rpcMethod())
                    .isEqualTo("2025-06-18");
        });
        assertThat(server.requests("POST")).allSatisfy(r -> {
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("Accept")).isEqualTo("application/json, text/event-stream");
        });
        assertThat(server.requests("GET").getFirst().header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void describeNamesTheEndpointAndTheSession() throws Exception {
        StreamableHttpTransport transport = StreamableHttpTransport.open(HttpSpec.of(server.endpoint()));
        Connection connection = Connection.open(transport);
        connections.add(connection);
        assertThat(transport.describe()).isEqualTo("http[" + server.endpoint() + "]");

        initialize(connection);

        assertThat(transport.describe()).isEqualTo("http[" + server.endpoint() + "] session sess-1a2\u2026");
        assertThat(transport.sessionId()).isEqualTo(FakeMcpHttpServer.SESSION);
        assertThat(transport.protocolVersion()).isEqualTo(FakeMcpHttpServer.PROTOCOL);
    }

    @Test
    void jsonAndEventStreamAnswersBothComplete() throws Exception {
        server.on("json", ex -> ex.result(obj("via", "json")));
        server.on("sse", ex -> ex.resultEvent(obj("via", "sse")));
        server.on("batch", ex -> ex.json(JsonNodeFactory.instance.arrayNode()
                .add(notification("notifications/message", obj("level", "info")))
                .add(FakeMcpHttpServer.response(ex.id(), obj("via", "array")))));
        Connection connection = connect();
        initialize(connection);

        assertThat(connection.call("json", null)).isEqualTo(obj("via", "json"));
        assertThat(connection.call("sse", null)).isEqualTo(obj("via", "sse"));
        assertThat(connection.call("batch", null)).isEqualTo(obj("via", "array"));
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void notificationsBeforeTheResponseReachTheCallFirstInOrder() throws Exception {
        server.on("tools/call", ex -> {
            for (int i = 1; i <= 3; i++) {
                ex.event(notification("notifications/progress", obj("progressToken", "t1", "progress", i)));
            }
            ex.resultEvent(obj("done", true));
            ex.hang(); // a server may keep the stream open after the response: the client closes it
        });
        Connection connection = connect(ConnectionOptions.DEFAULT.withNotificationRouter(
                n -> n.method().equals("notifications/progress") ? n.params().get("progressToken").asText() : null));
        initialize(connection);
        List<Integer> progress = new CopyOnWriteArrayList<>();

        JsonNode result = connection.call("tools/call", obj("name", "slow"), CallOptions.DEFAULT
                .withEvents("t1", n -> progress.add(n.params().get("progress").asInt())));

        assertThat(result).isEqualTo(obj("done", true));
        assertThat(progress).containsExactly(1, 2, 3);
        Await.until(() -> !server.closedStreams().isEmpty(), PATIENCE, "the client to close the answered stream");
    }

    @Test
    void serverRequestOnTheStreamIsAnsweredByAPost() throws Exception {
        server.on("tools/call", ex -> {
            JsonNode answer = ex.ask("roots/list", obj());
            ex.resultEvent(obj("clientSaid", answer.get("result")));
        });
        Connection connection = connect(ConnectionOptions.DEFAULT.withRequestHandler("roots/list",
                request -> obj("roots", JsonNodeFactory.instance.arrayNode().add(obj("uri", "file:///w")))));
        initialize(connection);

        JsonNode result = connection.call("tools/call", obj("name", "needs-roots"));

        assertThat(result.at("/clientSaid/roots/0/uri").asText()).isEqualTo("file:///w");
        List<FakeMcpHttpServer.Received> answers = server.requests("POST").stream()
                .filter(r -> r.rpcMethod() == null).toList();
        assertThat(answers).hasSize(1);
        assertThat(answers.getFirst().json().get("id").asText()).isEqualTo("srv-1");
        assertThat(answers.getFirst().header("Mcp-Session-Id")).isEqualTo(FakeMcpHttpServer.SESSION);
    }

    @Test
    void refusedPostFailsOnlyThatCallWithStatusAndBodyExcerpt() throws Exception {
        server.on("broken", ex -> ex.status(500, "internal trouble: " + "x".repeat(2000)));
        server.on("forbidden", ex -> ex.status(403, "{\"error\":\"no\"}"));
        Connection connection = connect();
        initialize(connection);

        Throwable serverError = failure(() -> connection.call("broken", null));
        Throwable refusal = failure(() -> connection.call("forbidden", null));

        assertThat(serverError).isInstanceOfSatisfying(ExchangeFailedException.class, e -> {
            assertThat(e.requestDelivered()).isTrue();
            assertThat(e.method()).isEqualTo("broken");
            assertThat(e.getCause()).isInstanceOfSatisfying(HttpStatusException.class, s -> {
                assertThat(s.status()).isEqualTo(500);
                assertThat(s.httpMethod()).isEqualTo("POST");
                assertThat(s.jsonRpcMethod()).isEqualTo("broken");
                assertThat(s.uri()).isEqualTo(server.endpoint());
                assertThat(s.bodyExcerpt()).startsWith("internal trouble: xxx")
                        .hasSizeLessThanOrEqualTo(HttpStatusException.MAX_EXCERPT_CHARS + 1);
            });
        });
        assertThat(refusal).isInstanceOfSatisfying(ExchangeFailedException.class, e -> {
            assertThat(e.requestDelivered()).isFalse();
            assertThat(e.getCause()).isInstanceOfSatisfying(HttpStatusException.class, s -> {
                assertThat(s.status()).isEqualTo(403);
                assertThat(s.bodyExcerpt()).isEqualTo("{\"error\":\"no\"}");
            });
        });
        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void notFoundForTheSessionEndsTheTransportForEveryCall() throws Exception {
        CountDownLatch hanging = new CountDownLatch(2);
        server.on("slow", ex -> {
            ex.sse();
            hanging.countDown();
            ex.hang();
        });
        Connection connection = connect();
        initialize(connection);
        CompletableFuture<Object> first = async(connection, "slow", null, CallOptions.DEFAULT);
        CompletableFuture<Object> second = async(connection, "slow", null, CallOptions.DEFAULT);
        assertThat(hanging.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        server.expireSession();
        Throwable expired = failure(() -> connection.call("tools/list", null));

        assertThat(expired).isInstanceOf(TransportClosedException.class)
                .cause().isInstanceOfSatisfying(SessionExpiredException.class, e -> {
                    assertThat(e.sessionId()).isEqualTo(FakeMcpHttpServer.SESSION);
                    assertThat(e.uri()).isEqualTo(server.endpoint());
                });
        for (CompletableFuture<Object> pending : List.of(first, second)) {
            assertThat(outcome(pending, AT_ONCE)).isInstanceOfSatisfying(TransportClosedException.class,
                    e -> assertThat(e.getCause()).isInstanceOf(SessionExpiredException.class));
        }
        assertThat(failure(() -> connection.call("tools/list", null)))
                .isInstanceOf(TransportClosedException.class).cause().isInstanceOf(SessionExpiredException.class);
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void notFoundWithoutSessionIsAnOrdinaryRefusal() throws Exception {
        server.stateless().on("missing", ex -> ex.status(404, "no such route"));
        Connection connection = connect();
        initialize(connection);

        Throwable notFound = failure(() -> connection.call("missing", null));

        assertThat(notFound).isInstanceOf(ExchangeFailedException.class).cause()
                .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
        assertThat(server.posts("tools/list").getFirst().header("Mcp-Session-Id")).isNull();
    }

    @Test
    void streamBrokenWithoutEventIdsFailsTheCallAtOnce() throws Exception {
        server.on("breaks", ex -> {
            ex.event(notification("notifications/message", obj("level", "info")));
            ex.breakConnection();
        });
        server.on("ends", ex -> {
            ex.sse();
            ex.end();
        });
        Connection connection = connect();
        initialize(connection);

        for (String method : List.of("breaks", "ends")) {
            long start = System.nanoTime();
            Throwable broken = failure(() -> connection.call(method, null, CallOptions.DEFAULT.withTimeout(LONG)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(broken).as(method).isInstanceOfSatisfying(ExchangeFailedException.class,
                    e -> assertThat(e.requestDelivered()).isTrue());
            assertThat(broken.getCause()).as(method).hasMessageContaining("no event id");
            assertThat(took).as(method).isLessThan(AT_ONCE);
        }
        assertThat(server.requests("GET")).allSatisfy(r -> assertThat(r.header("Last-Event-ID")).isNull());
        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
    }

    @Test
    void streamWithEventIdsResumesWithLastEventIdAfterTheRetryDelay() throws Exception {
        long retryMillis = 500; // as the conformance scenario sse-retry, whose server also negotiates 2025-03-26
        server.protocol("2025-03-26");
        String[] streamId = new String[1];
        server.on("tools/call", ex -> {
            ex.priming(retryMillis);
            ex.event(notification("notifications/message", obj("level", "info", "data", "before")));
            streamId[0] = ex.streamId;
            ex.onResume(resume -> {
                resume.event(notification("notifications/message", obj("level", "info", "data", "after")));
                resume.event(FakeMcpHttpServer.response(ex.id(), obj("resumed", true)));
                resume.end();
            });
            ex.end();
        });
        List<String> logs = new CopyOnWriteArrayList<>();
        Connection connection = connect(ConnectionOptions.DEFAULT.withNotificationHandler("notifications/message",
                n -> logs.add(n.params().get("data").asText())));
        initialize(connection);

        JsonNode result = connection.call("tools/call", obj("name", "test_reconnection"));

        assertThat(result).isEqualTo(obj("resumed", true));
        FakeMcpHttpServer.Received resume = server.requests("GET").stream()
                .filter(r -> r.header("Last-Event-ID") != null).findFirst().orElseThrow();
        assertThat(resume.header("Last-Event-ID")).isEqualTo(streamId[0] + "-2");
        assertThat(resume.header("Accept")).isEqualTo("text/event-stream");
        assertThat(resume.header("Mcp-Session-Id")).isEqualTo(FakeMcpHttpServer.SESSION);
        assertThat(resume.header("MCP-Protocol-Version")).isEqualTo("2025-03-26");
        assertThat(Duration.ofNanos(resume.nanoTime() - server.streamEnd(streamId[0])))
                .isGreaterThanOrEqualTo(Duration.ofMillis(retryMillis));
        Await.until(() -> logs.size() == 2, PATIENCE, "both log notifications");
        assertThat(logs).containsExactly("before", "after");
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void resumeThatIsRefusedFailsTheCallAtOnce() throws Exception {
        server.on("tools/call", ex -> {
            ex.priming(50);
            ex.onResume(resume -> resume.status(500, "no replay here"));
            ex.breakConnection();
        });
        Connection connection = connect();
        initialize(connection);

        long start = System.nanoTime();
        Throwable failed = failure(() -> connection.call("tools/call", obj(), CallOptions.DEFAULT.withTimeout(LONG)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
        assertThat(failed).isInstanceOfSatisfying(ExchangeFailedException.class, e -> {
            assertThat(e.requestDelivered()).isTrue();
            assertThat(e.getCause()).isInstanceOfSatisfying(HttpStatusException.class, s -> {
                assertThat(s.status()).isEqualTo(500);
                assertThat(s.httpMethod()).isEqualTo("GET");
            });
        });
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void resumeGivesUpAfterTheBoundedAttempts() throws Exception {
        server.on("tools/call", ex -> {
            ex.priming(20);
            ex.onResume(resume -> { // accepted, but no event at all
                resume.sse();
                resume.end();
            });
            ex.end();
        });
        Connection connection = connect(HttpSpec.of(server.endpoint()).withReconnectAttempts(3),
                ConnectionOptions.DEFAULT);
        initialize(connection);

        Throwable failed = failure(() -> connection.call("tools/call", obj(), CallOptions.DEFAULT.withTimeout(LONG)));

        assertThat(failed).isInstanceOf(ExchangeFailedException.class).cause().hasMessageContaining("gave up after 3");
        assertThat(server.requests("GET").stream().filter(r -> r.header("Last-Event-ID") != null)).hasSize(3);
    }

    @Test
    void serverKilledMidCallFailsEveryCallAtOnceAndTheTransportGoesOn() throws Exception {
        CountDownLatch started = new CountDownLatch(4);
        server.on("json-hang", ex -> {
            started.countDown();
            ex.hang();
        });
        server.on("sse-hang", ex -> {
            ex.event(notification("notifications/message", obj("level", "info")));
            started.countDown();
            ex.hang();
        });
        Connection connection = connect();
        initialize(connection);
        List<CompletableFuture<Object>> calls = List.of(
                async(connection, "json-hang", null, CallOptions.DEFAULT.withTimeout(LONG)),
                async(connection, "json-hang", null, CallOptions.DEFAULT.withTimeout(LONG)),
                async(connection, "sse-hang", null, CallOptions.DEFAULT.withTimeout(LONG)),
                async(connection, "sse-hang", null, CallOptions.DEFAULT.withTimeout(LONG)));
        assertThat(started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        long start = System.nanoTime();
        server.kill();
        for (CompletableFuture<Object> call : calls) {
            assertThat(outcome(call, AT_ONCE)).isInstanceOfSatisfying(ExchangeFailedException.class,
                    e -> assertThat(e.requestDelivered()).isTrue());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);

        // A pooled connection may not be known dead yet: then the request was written, and may count as delivered.
        assertThat(failure(() -> connection.call("tools/list", null))).isInstanceOf(ExchangeFailedException.class);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void abandonedCallClosesItsStreamAndSendsTheCancelWithoutWaitingForIt() throws Exception {
        CountDownLatch streaming = new CountDownLatch(1);
        server.on("tools/call", ex -> {
            ex.sse();
            streaming.countDown();
            ex.hang();
        });
        server.on("notifications/cancelled", FakeMcpHttpServer.Exchange::hang); // never answers the cancel's POST
        Connection connection = connect(ConnectionOptions.DEFAULT.withCancelProtocol(new McpCancel()));
        initialize(connection);

        long start = System.nanoTime();
        Throwable timedOut = failure(() -> connection.call("tools/call", obj(),
                CallOptions.DEFAULT.withTimeout(Duration.ofMillis(300))));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(AT_ONCE);
        assertThat(streaming.getCount()).isZero();
        assertThat(timedOut).isInstanceOf(CallTimeoutException.class);
        RequestId id = ((CallTimeoutException) timedOut).id();
        Await.until(() -> server.closedStreams().contains(id.toString()), PATIENCE, "the server to see the close");
        Await.until(() -> !server.posts("notifications/cancelled").isEmpty(), PATIENCE, "the cancel");
        assertThat(server.posts("notifications/cancelled").getFirst().json().at("/params/requestId").asLong())
                .isEqualTo(Long.parseLong(id.toString()));
        assertThat(connection.pendingCalls()).isZero();
    }

    @Test
    void standaloneGetStreamCarriesServerMessagesOutsideCalls() throws Exception {
        server.onListen(ex -> {
            ex.event(notification("notifications/tools/list_changed", null));
            ex.hang();
        });
        CountDownLatch changed = new CountDownLatch(1);
        Connection connection = connect(ConnectionOptions.DEFAULT.withNotificationHandler(
                "notifications/tools/list_changed", n -> changed.countDown()));

        initialize(connection);

        assertThat(changed.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        connection.close();
        Await.until(() -> !server.requests("DELETE").isEmpty(), PATIENCE, "the DELETE");
    }

    @Test
    void brokenStandaloneGetStreamReconnectsWithLastEventId() throws Exception {
        server.onListen(ex -> {
            ex.priming(20);
            ex.event(notification("notifications/message", obj("data", "first")));
            ex.onResume(resume -> {
                resume.event(notification("notifications/message", obj("data", "second")));
                resume.hang();
            });
            ex.breakConnection();
        });
        List<String> logs = new CopyOnWriteArrayList<>();
        Connection connection = connect(ConnectionOptions.DEFAULT.withNotificationHandler("notifications/message",
                n -> logs.add(n.params().get("data").asText())));

        initialize(connection);

        Await.until(() -> logs.size() == 2, PATIENCE, "both notifications of the GET stream");
        assertThat(logs).containsExactly("first", "second");
        List<FakeMcpHttpServer.Received> gets = server.requests("GET");
        assertThat(gets).hasSize(2);
        assertThat(gets.get(0).header("Last-Event-ID")).isNull();
        assertThat(gets.get(1).header("Last-Event-ID")).endsWith("-2");
    }

    @Test
    void oversizedAnswerFailsOnlyThatCall() throws Exception {
        server.on("huge", ex -> ex.result(obj("text", "y".repeat(4000))));
        server.on("huge-event", ex -> ex.resultEvent(obj("text", "y".repeat(4000))));
        Connection connection = connect(HttpSpec.of(server.endpoint()).withCodec(JsonRpcCodec.withMaxFrameBytes(1024)),
                ConnectionOptions.DEFAULT);
        initialize(connection);

        for (String method : List.of("huge", "huge-event")) {
            assertThat(failure(() -> connection.call(method, null))).as(method)
                    .isInstanceOf(ExchangeFailedException.class).cause().isInstanceOf(FrameTooLargeException.class);
        }
        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
    }

    @Test
    void standaloneGetThatIsRefusedIsHarmless() throws Exception {
        server.onListen(ex -> ex.status(400, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"\"}}"));
        Connection connection = connect();

        initialize(connection);
        Await.until(() -> !server.requests("GET").isEmpty(), PATIENCE, "the standalone GET");

        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
        assertThat(server.requests("GET")).hasSize(1);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void closeDeletesTheSessionAndIsIdempotent() throws Exception {
        server.deleteStatus(405);
        StreamableHttpTransport transport = StreamableHttpTransport.open(HttpSpec.of(server.endpoint()));
        Connection connection = Connection.open(transport);
        connections.add(connection);
        initialize(connection);

        connection.close();
        transport.close();

        assertThat(server.requests("DELETE")).hasSize(1);
        assertThat(server.requests("DELETE").getFirst().header("Mcp-Session-Id")).isEqualTo(FakeMcpHttpServer.SESSION);
        assertThat(failure(() -> transport.send(new Notification("x", null)))).isInstanceOf(IOException.class)
                .hasRootCauseInstanceOf(java.io.EOFException.class);
    }

    @Test
    void noDeleteWithoutASession() throws Exception {
        server.stateless();
        Connection connection = connect();
        initialize(connection);

        connection.close();

        assertThat(server.requests("DELETE")).isEmpty();
    }

    @Test
    void refusedNotificationThrowsNamingStatusMethodAndUrlAndTheTransportGoesOn() throws Exception {
        server.on("notifications/roots/list_changed", ex -> ex.status(400, "bad notification"));
        server.on("notifications/initialized", ex -> ex.json(obj("jsonrpc", "2.0", "result", obj())));
        StreamableHttpTransport transport = StreamableHttpTransport.open(HttpSpec.of(server.endpoint()));
        Connection connection = Connection.open(transport);
        connections.add(connection);
        initialize(connection); // notifications/initialized answered 200 with a body: accepted

        Throwable refused = failure(() -> transport.send(new Notification("notifications/roots/list_changed",
                null)));

        assertThat(refused).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.jsonRpcMethod()).isEqualTo("notifications/roots/list_changed");
            assertThat(e.getMessage()).contains("400", "notifications/roots/list_changed",
                    server.endpoint().toString());
        });
        assertThat(connection.call("tools/list", null)).isEqualTo(obj("echo", "tools/list"));
    }

    @Test
    void requestHeadersAndStaticHeadersGoOnEveryRequest() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpSpec spec = HttpSpec.of(server.endpoint()).withHeader("X-Static", "s")
                .withRequestHeaders((uri, method) -> {
                    asked.add(method + " " + uri);
                    return Map.of("Authorization", "Bearer t0k3n");
                });
        Connection connection = connect(spec, ConnectionOptions.DEFAULT);
        initialize(connection);
        connection.close();

        assertThat(server.received()).allSatisfy(r -> {
            assertThat(r.header("X-Static")).isEqualTo("s");
            assertThat(r.header("Authorization")).isEqualTo("Bearer t0k3n");
        });
        assertThat(asked).contains("POST " + server.endpoint(), "DELETE " + server.endpoint());
    }

    @Test
    void failingRequestHeadersFailTheCallUndelivered() throws Exception {
        Connection connection = connect(HttpSpec.of(server.endpoint()).withRequestHeaders((uri, method) -> {
            throw new IOException("no token");
        }), ConnectionOptions.DEFAULT);

        Throwable failed = failure(() -> connection.call("tools/list", null));

        assertThat(failed).isInstanceOfSatisfying(ExchangeFailedException.class,
                e -> assertThat(e.requestDelivered()).isFalse());
        assertThat(failed).hasRootCauseMessage("no token");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void connectionRefusedFailsTheCallUndelivered() throws Exception {
        URI dead = server.endpoint();
        server.close();
        Connection connection = connect(HttpSpec.of(dead), ConnectionOptions.DEFAULT);

        Throwable refused = failure(() -> connection.call("initialize", obj()));

        assertThat(refused).isInstanceOfSatisfying(ExchangeFailedException.class, e -> {
            assertThat(e.requestDelivered()).isFalse();
            assertThat(e.getCause()).hasMessageContaining(dead.toString());
        });
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void transportsShareOneClientWhoseThreadsAreSharedDaemons() throws Exception {
        Connection first = connect();
        Connection second = connect();
        initialize(first);
        initialize(second);

        assertThat(SharedHttpClient.get()).isSameAs(SharedHttpClient.get());
        assertThat(SharedHttpClient.get().getMaxConnectionsPerDestination()).isGreaterThanOrEqualTo(1000);
        Set<Thread> threads = Thread.getAllStackTraces().keySet();
        assertThat(threads).filteredOn(t -> t.getName().startsWith(SharedHttpClient.THREAD_PREFIX)).isNotEmpty()
                .allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
        assertThat(threads).extracting(Thread::getName).noneMatch(name -> name.startsWith("HttpClient@"));
    }

    /** MCP's cancel notification, as the mcp layer will define it. */
    static final class McpCancel implements CancelProtocol {
        @Override
        public String method() {
            return "notifications/cancelled";
        }

        @Override
        public Notification cancel(RequestId id, String method, String reason) {
            JsonNode requestId = id instanceof RequestId.Number n ? JsonNodeFactory.instance.numberNode(n.value())
                    : JsonNodeFactory.instance.textNode(((RequestId.Text) id).value());
            return method.equals("initialize") ? null
                    : new Notification(method(), obj("requestId", requestId, "reason", reason));
        }

        @Override
        public RequestId cancelledId(Notification cancel) {
            JsonNode id = cancel.params() == null ? null : cancel.params().get("requestId");
            return id == null ? null : id.isNumber() ? RequestId.of(id.asLong()) : RequestId.of(id.asText());
        }
    }
}
