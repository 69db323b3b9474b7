package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.Notification;
import dev.weft.testing.HardTimeout;
import dev.weft.testing.Props;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sessions do not disturb one another, and a call's messages stay on its stream: random numbers of sessions, each
 * with concurrent calls whose handlers take a random time and send a random number of related progress notifications,
 * and random calls whose client disconnects right after sending them. Every call that stayed connected gets its
 * answer, after all of its notifications, in order; no client sees a message of another session or another call;
 * closing the server ends every server-side connection. The leak check after the test proves no thread is left.
 */
@Tag("concurrency")
@HardTimeout(seconds = 180)
class StreamableHttpServerPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** One call: its handler's delay, how many notifications it sends, and whether its client disconnects. */
    record Call(int delayMillis, int notes, boolean disconnect) {}

    @Test
    void everyConnectedCallGetsItsOwnMessagesInOrderAndSessionsStayApart() {
        Props.qt().withExamples(15).withShrinkCycles(5)
                .forAll(lists().of(lists().of(integers().between(0, 99)).ofSizeBetween(1, 5)).ofSizeBetween(1, 3))
                .checkAssert(sessions -> {
                    try {
                        check(sessions.stream().map(calls -> calls.stream().map(StreamableHttpServerPropertyTest::call)
                                .toList()).toList());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** Decodes one generated number into a call: delay 0..24 ms, 0..3 notifications, a disconnect one time in 8. */
    private static Call call(int code) {
        return new Call(code % 25, code % 4, code % 8 == 5);
    }

    private static ConnectionOptions serverOptions() {
        return ServerFixture.mcpServer().withRequestHandler("work", request -> {
            JsonNode params = request.params();
            String token = params.get("token").asText();
            int notes = params.get("notes").asInt();
            for (int i = 1; i <= notes; i++) {
                request.connection().notify("notifications/progress", obj("progressToken", token, "progress", i));
                Thread.sleep(params.get("delay").asInt() / (notes + 1)); // simulated work, not a wait for anything
            }
            Thread.sleep(params.get("delay").asInt() / (notes + 1));
            return obj("token", token);
        });
    }

    private static void check(List<List<Call>> plan) throws Exception {
        ServerFixture fixture = new ServerFixture(HttpServerSpec.loopback().withKeepAlive(Duration.ofMillis(20)),
                serverOptions());
        try {
            List<List<Notification>> strays = new ArrayList<>();
            List<Connection> clients = new ArrayList<>();
            List<String> sessionIds = new ArrayList<>();
            for (int s = 0; s < plan.size(); s++) {
                List<Notification> stray = new CopyOnWriteArrayList<>();
                strays.add(stray);
                StreamableHttpTransport transport = StreamableHttpTransport.open(HttpSpec.of(fixture.uri()));
                Connection client = Connection.open(transport, ConnectionOptions.DEFAULT.withName("weft-prop-client")
                        .withDefaultTimeout(PATIENCE).withOtherNotifications(stray::add)
                        .withNotificationRouter(n -> n.method().equals("notifications/progress")
                                ? n.params().get("progressToken").asText() : null));
                clients.add(client);
                client.call("initialize", obj("protocolVersion", ServerFixture.PROTOCOL, "capabilities", obj(),
                        "clientInfo", obj("name", "prop", "version", "1")));
                client.notify("notifications/initialized", null);
                sessionIds.add(transport.sessionId());
            }
            List<Thread> callers = new ArrayList<>();
            List<AtomicReferenceArray<Object>> outcomes = new ArrayList<>();
            List<List<List<Notification>>> events = new ArrayList<>();
            for (int s = 0; s < plan.size(); s++) {
                List<Call> calls = plan.get(s);
                AtomicReferenceArray<Object> sessionOutcomes = new AtomicReferenceArray<>(calls.size());
                List<List<Notification>> sessionEvents = new ArrayList<>();
                outcomes.add(sessionOutcomes);
                events.add(sessionEvents);
                for (int k = 0; k < calls.size(); k++) {
                    Call call = calls.get(k);
                    String token = s + "-" + k;
                    JsonNode params = obj("token", token, "notes", call.notes(), "delay", call.delayMillis());
                    String raw = ServerFixture.request(1000 + k, "work", params.toString()); // not on the callers:
                    // Jackson initializes classes on first use, and callers racing for that would pin their carriers
                    List<Notification> seen = new CopyOnWriteArrayList<>();
                    sessionEvents.add(seen);
                    Connection client = clients.get(s);
                    String sessionId = sessionIds.get(s);
                    int index = k;
                    callers.add(Thread.ofVirtual().name("test-caller-" + token).start(() -> {
                        try {
                            if (call.disconnect()) {
                                postAndHangUp(fixture, sessionId, raw);
                                sessionOutcomes.set(index, "disconnected");
                            } else {
                                sessionOutcomes.set(index, client.call("work", params,
                                        CallOptions.DEFAULT.withEvents(token, seen::add)));
                            }
                        } catch (Throwable e) {
                            sessionOutcomes.set(index, e);
                        }
                    }));
                }
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (Thread caller : callers) {
                assertThat(caller.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))))
                        .as("%s ended", caller.getName()).isTrue();
            }
            for (int s = 0; s < plan.size(); s++) {
                for (int k = 0; k < plan.get(s).size(); k++) {
                    Call call = plan.get(s).get(k);
                    if (call.disconnect()) {
                        continue;
                    }
                    String token = s + "-" + k;
                    assertThat(outcomes.get(s).get(k)).as("call %s %s", token, call).isEqualTo(obj("token", token));
                    assertThat(events.get(s).get(k)).as("notifications of call %s", token)
                            .extracting(n -> n.params().get("progress").asInt())
                            .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, call.notes())
                                    .boxed().toList());
                }
                assertThat(strays.get(s)).as("messages session %d should not have seen", s).isEmpty();
                assertThat(clients.get(s).pendingCalls()).isZero();
            }
            clients.forEach(Connection::close);
        } finally {
            fixture.close();
        }
        for (Connection serverSide : fixture.serverConnections) {
            assertThat(serverSide.awaitClosed(PATIENCE)).as("server-side connection ended").isNotNull();
        }
        assertThat(fixture.server.sessionCount()).isZero();
    }

    /** POSTs a request on a raw connection of its own and hangs up at once, before any answer. */
    private static void postAndHangUp(ServerFixture fixture, String sessionId, String request) throws IOException {
        byte[] body = request.getBytes(StandardCharsets.UTF_8);
        int port = fixture.server.port();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + sessionId + "\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }
}
