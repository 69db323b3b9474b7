package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.obj;
import static dev.weft.transport.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.internal.SharedHttpClient;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.Notification;
import dev.weft.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Round trips through the server: Weft's own client ({@link StreamableHttpTransport} under a {@link Connection}) against
 * a {@link Connection} on each server session, and raw HTTP where the wire format is the point (event streams, ids,
 * resumption, a client that disconnects).
 */
@Tag("concurrency")
class StreamableHttpServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch progressSeen = new CountDownLatch(1);
    private ServerFixture fixture;

    @AfterEach
    void close() {
        release.countDown();
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The test server's handlers: progress, a call back to the client, unrelated news, a stream closed mid-call. */
    private ConnectionOptions handlers() {
        return ServerFixture.mcpServer()
                .withRequestHandler("progress", request -> {
                    JsonNode token = request.params().get("token");
                    for (int i = 1; i <= 3; i++) {
                        request.connection().notify("notifications/progress", obj("progressToken", token,
                                "progress", i));
                    }
                    return obj("done", true);
                })
                .withRequestHandler("ask", request -> obj("asked",
                        request.connection().call("sampling/createMessage", obj("q", 1))))
                .withRequestHandler("announce", request -> {
                    request.connection().notify("notifications/message", obj("news", "unrelated"), null);
                    return obj();
                })
                .withRequestHandler("poll", request -> {
                    JsonNode token = request.params().get("token");
                    request.connection().notify("notifications/progress", obj("progressToken", token, "progress", 1));
                    assertThat(fixture.session(0).closeStream(request.id())).isTrue();
                    closed.countDown();
                    assertThat(release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    request.connection().notify("notifications/progress", obj("progressToken", token, "progress", 2));
                    return obj("polled", true);
                })
                .withRequestHandler("where", request -> obj("thread", Thread.currentThread().getName()))
                .withRequestHandler("progressThenWait", request -> {
                    JsonNode token = request.params().get("token");
                    request.connection().notify("notifications/progress", obj("progressToken", token, "progress", 1));
                    return obj("clientSawProgressFirst", progressSeen.await(PATIENCE.toMillis(),
                            TimeUnit.MILLISECONDS));
                })
                .withRequestHandler("slow", request -> {
                    slowStarted.countDown();
                    assertThat(release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    request.connection().notify("notifications/progress", obj("progressToken", "s", "progress", 1));
                    return obj("slow", true);
                });
    }

    private ServerFixture start(HttpServerSpec spec) throws IOException {
        fixture = new ServerFixture(spec, handlers());
        return fixture;
    }

    private static ConnectionOptions progressRouting() {
        return ConnectionOptions.DEFAULT.withNotificationRouter(note -> note.method().equals("notifications/progress")
                ? note.params().get("progressToken").asText() : null);
    }

    @Test
    void aCallRoundTripsThroughWeftsOwnClient() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        Connection client = f.client(ConnectionOptions.DEFAULT);

        assertThat(client.call("echo", obj("hello", "world"))).isEqualTo(obj("hello", "world"));
        assertThat(client.call("echo", obj("n", 2))).isEqualTo(obj("n", 2));
    }

    @Test
    void progressFirstMakesAnEventStreamThatTheClientFollowsToTheResult() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        Connection client = f.client(progressRouting());
        List<Notification> events = new CopyOnWriteArrayList<>();

        JsonNode result = client.call("progress", obj("token", "t1"),
                CallOptions.DEFAULT.withEvents("t1", events::add));

        assertThat(result).isEqualTo(obj("done", true));
        assertThat(events).extracting(n -> n.params().get("progress").asInt()).containsExactly(1, 2, 3);
    }

    /** What makes a fast call cheap: no thread hand-off between the POST and its handler. */
    @Test
    void aRequestIsServedOnItsPostsOwnThread() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        Connection client = f.client(ConnectionOptions.DEFAULT);

        assertThat(client.call("where", obj()).get("thread").asText())
                .startsWith(f.server.threadPrefix() + "-exchange-");
    }

    /**
     * The handler runs on the POST's thread, which cannot write meanwhile: its progress must still reach the client
     * while it runs (the writing moves to a thread of its own). The handler waits until the client has seen it.
     */
    @Test
    void progressReachesTheClientWhileTheHandlerStillRuns() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        Connection client = f.client(progressRouting());

        JsonNode result = client.call("progressThenWait", obj("token", "live"),
                CallOptions.DEFAULT.withEvents("live", event -> progressSeen.countDown()));

        assertThat(result).isEqualTo(obj("clientSawProgressFirst", true));
    }

    @Test
    void anEventStreamStartsWithAPrimingEventAndCarriesIdsAndTheResponseLast() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withSseRetry(Duration.ofMillis(1234)));
        String session = f.initialize();

        ServerFixture.Raw answer = f.post(request(9, "progress", "{\"token\":\"t\"}"), Map.of("Mcp-Session-Id",
                session));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/event-stream");
        List<Sse> events = Sse.parse(answer.body());
        assertThat(events).hasSize(5);
        assertThat(events.getFirst().retry()).isEqualTo("1234");
        assertThat(events.getFirst().data()).isEmpty();
        assertThat(events).allSatisfy(e -> assertThat(e.id()).isNotBlank());
        assertThat(events).extracting(Sse::id).doesNotHaveDuplicates();
        assertThat(events.subList(1, 4)).allSatisfy(e -> assertThat(e.data()).contains("notifications/progress"));
        assertThat(events.getLast().data()).contains("\"id\":9").contains("\"done\":true");
    }

    @Test
    void aServerToClientRequestDuringACallGoesOnItsStreamAndTheAnswerComesBack() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        Connection client = f.client(ConnectionOptions.DEFAULT.withRequestHandler("sampling/createMessage",
                request -> obj("answer", request.params().get("q").asInt() + 41)));

        assertThat(client.call("ask", obj())).isEqualTo(obj("asked", obj("answer", 42)));
    }

    @Test
    void unrelatedNotificationsGoOnTheStandaloneStream() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        List<Notification> news = new CopyOnWriteArrayList<>();
        Connection client = f.client(ConnectionOptions.DEFAULT.withOtherNotifications(news::add));

        client.call("announce", obj());
        client.call("announce", obj());

        Await.until(() -> news.size() == 2, PATIENCE, "two notifications on the GET stream");
        assertThat(news).allSatisfy(n -> assertThat(n.params()).isEqualTo(obj("news", "unrelated")));
    }

    @Test
    void unrelatedNotificationsSentWhileNoStandaloneStreamIsOpenWaitForOne() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        String session = f.initialize();
        f.post(request(2, "announce", "{}"), Map.of("Mcp-Session-Id", session));

        InputStreamResponseListener listener = new InputStreamResponseListener();
        var get = SharedHttpClient.get().newRequest(f.uri()).method("GET")
                .headers(h -> h.put("Accept", "text/event-stream").put("Mcp-Session-Id", session));
        get.send(listener);
        Response response = listener.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        var second = f.raw("GET", null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id", session));
        try (InputStream in = listener.getInputStream()) {
            assertThat(readUntil(in, "\"news\":\"unrelated\"")).contains("id: ");
        } finally {
            get.abort(new IOException("done"));
        }
        assertThat(second.status()).isEqualTo(409);
    }

    @Test
    void aClientResumesAStreamTheServerClosedMidCallAndGetsTheRest() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withSseRetry(Duration.ofMillis(20)));
        Connection client = f.client(progressRouting());
        List<Notification> events = new CopyOnWriteArrayList<>();
        Thread releaser = Thread.ofVirtual().start(() -> {
            try {
                closed.await();
                release.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        JsonNode result = client.call("poll", obj("token", "p"), CallOptions.DEFAULT.withEvents("p", events::add));

        releaser.join();
        assertThat(result).isEqualTo(obj("polled", true));
        assertThat(events).extracting(n -> n.params().get("progress").asInt()).containsExactly(1, 2);
    }

    @Test
    void aClosedStreamEndsWithoutTheResponseAndAGetWithLastEventIdResumesIt() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        String session = f.initialize();

        ServerFixture.Raw first = f.post(request(5, "poll", "{\"token\":\"p\"}"), Map.of("Mcp-Session-Id", session));
        release.countDown();

        List<Sse> before = Sse.parse(first.body());
        assertThat(before).extracting(Sse::data).noneMatch(d -> d.contains("\"polled\""));
        ServerFixture.Raw rest = f.raw("GET", null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id", session,
                "Last-Event-ID", before.getLast().id()));
        assertThat(rest.status()).isEqualTo(200);
        List<Sse> after = Sse.parse(rest.body());
        List<String> messages = new ArrayList<>();
        for (Sse event : before) {
            messages.add(event.data());
        }
        for (Sse event : after) {
            messages.add(event.data());
        }
        // progress 1 is on the first response, or in the replay if the close came before it was written
        assertThat(messages).filteredOn(d -> !d.isEmpty()).satisfiesExactly(
                d -> assertThat(d).contains("\"progress\":1"),
                d -> assertThat(d).contains("\"progress\":2"),
                d -> assertThat(d).contains("\"id\":5").contains("\"polled\":true"));
    }

    @Test
    void aClientThatDisconnectsMidStreamLeavesTheSessionWorkingAndCanResume() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withKeepAlive(Duration.ofMillis(50)));
        String session = f.initialize();
        String primingId;
        try (Socket socket = new Socket("127.0.0.1", f.server.port())) {
            byte[] body = request(6, "slow", "{}").getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + f.server.port() + "\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Mcp-Session-Id: " + session + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String seen = readUntil(socket.getInputStream(), "data:");
            int at = seen.indexOf("id: ") + 4;
            primingId = seen.substring(at, seen.indexOf('\n', at)).strip();
        }
        release.countDown();

        ServerFixture.Raw rest = f.raw("GET", null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id", session,
                "Last-Event-ID", primingId));

        assertThat(rest.status()).isEqualTo(200);
        assertThat(Sse.parse(rest.body())).extracting(Sse::data).filteredOn(d -> !d.isEmpty()).satisfiesExactly(
                d -> assertThat(d).contains("notifications/progress"),
                d -> assertThat(d).contains("\"id\":6").contains("\"slow\":true"));
        assertThat(f.post(request(7, "echo", "{\"still\":true}"), Map.of("Mcp-Session-Id", session)).json()
                .at("/result/still").asBoolean()).isTrue();
    }

    @Test
    void aCancelledRequestsResponseEndsWithoutAnAnswer() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback());
        String session = f.initialize();
        InputStreamResponseListener listener = new InputStreamResponseListener();
        SharedHttpClient.get().newRequest(f.uri()).method("POST")
                .headers(h -> h.put("Accept", "application/json, text/event-stream").put("Mcp-Session-Id", session))
                .body(new org.eclipse.jetty.client.StringRequestContent("application/json",
                        request(8, "slow", "{}")))
                .send(listener);
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

        ServerFixture.Raw cancel = f.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\","
                + "\"params\":{\"requestId\":8,\"reason\":\"test\"}}", Map.of("Mcp-Session-Id", session));

        assertThat(cancel.status()).isEqualTo(202);
        Response response = listener.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        try (InputStream in = listener.getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("\"id\":8");
        }
        assertThat(f.post(request(9, "echo", "{}"), Map.of("Mcp-Session-Id", session)).status()).isEqualTo(200);
    }

    /** Reads until {@code marker} has been seen; returns what was read. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int c;
        while (!seen.toString().contains(marker) && (c = reader.read()) >= 0) {
            seen.append((char) c);
        }
        if (!seen.toString().contains(marker)) {
            throw new AssertionError("stream ended before " + marker + ": " + seen);
        }
        return seen.toString();
    }

    /** One server-sent event as written on the wire (fields as text; null when absent). */
    record Sse(String id, String retry, String data) {
        static List<Sse> parse(String text) {
            List<Sse> events = new ArrayList<>();
            for (String block : text.split("\n\n")) {
                String id = null;
                String retry = null;
                String data = null;
                for (String line : block.split("\n")) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("retry:")) {
                        retry = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5).strip();
                    }
                }
                if (data != null) {
                    events.add(new Sse(id, retry, data));
                }
            }
            return events;
        }
    }
}
