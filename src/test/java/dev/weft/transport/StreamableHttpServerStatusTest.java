package dev.weft.transport;

import static dev.weft.transport.ServerFixture.initializeBody;
import static dev.weft.transport.ServerFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.internal.SharedHttpClient;
import dev.weft.jsonrpc.Connection;
import dev.weft.testing.Await;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the server answers, status by status and header by header, to raw HTTP requests: sessions, refusals, the
 * DNS-rebinding check, limits, idle reaping and stateless mode. The leak check after each test proves that closing the
 * server leaves no thread.
 */
class StreamableHttpServerStatusTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private ServerFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private ServerFixture start(HttpServerSpec spec) throws IOException {
        fixture = new ServerFixture(spec, ServerFixture.mcpServer());
        return fixture;
    }

    private ServerFixture start() throws IOException {
        return start(HttpServerSpec.loopback());
    }

    private static Map<String, String> session(String id) {
        return Map.of("Mcp-Session-Id", id);
    }

    @Test
    void initializeCreatesASessionAndHandsItsTransportOverOnAVirtualThreadFirst() throws Exception {
        ServerFixture f = start();
        ServerFixture.Raw answer = f.post(initializeBody(), Map.of());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().at("/result/protocolVersion").asText()).isEqualTo(ServerFixture.PROTOCOL);
        String session = answer.header("Mcp-Session-Id");
        assertThat(session).matches("[\\x21-\\x7E]{32,}");
        assertThat(f.server.sessionCount()).isEqualTo(1);
        assertThat(f.consumerThreads).singleElement().satisfies(thread -> {
            assertThat(thread.isVirtual()).isTrue();
            assertThat(thread.getName()).startsWith("weft-http-server-");
        });
        assertThat(f.session(0).sessionId()).isEqualTo(session);
        assertThat(f.post(initializeBody(), Map.of()).header("Mcp-Session-Id")).isNotEqualTo(session);
    }

    @Test
    void aCallWhoseResponseComesFirstIsAnsweredWithJson() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        ServerFixture.Raw answer = f.post(request(7, "echo", "{\"x\":1}"), session(session));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().get("id").asInt()).isEqualTo(7);
        assertThat(answer.json().at("/result/x").asInt()).isEqualTo(1);
    }

    @Test
    void notificationsAndResponsesAreAccepted() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        assertThat(f.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}", session(session)).status())
                .isEqualTo(202);
        assertThat(f.post("{\"jsonrpc\":\"2.0\",\"id\":\"nobody-asked\",\"result\":{}}", session(session)).status())
                .isEqualTo(202);
    }

    @Test
    void aRequestWithoutSessionIdIs400AndWithAnUnknownOne404() throws Exception {
        ServerFixture f = start();
        f.initialize();

        ServerFixture.Raw missing = f.post(request(2, "echo", "{}"), Map.of());
        ServerFixture.Raw unknown = f.post(request(2, "echo", "{}"), session("no-such-session"));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).contains("Mcp-Session-Id");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(unknown.json().get("id").asInt()).isEqualTo(2);
    }

    @Test
    void deleteEndsTheSessionAndItsTransportThenItsIdIs404() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();
        Connection serverSide = f.serverConnections.getFirst();

        assertThat(f.raw("DELETE", null, session(session)).status()).isEqualTo(200);

        assertThat(serverSide.awaitClosed(PATIENCE)).isInstanceOf(EOFException.class)
                .hasMessageContaining("DELETE");
        assertThat(f.post(request(3, "echo", "{}"), session(session)).status()).isEqualTo(404);
        assertThat(f.raw("GET", null, session(session)).status()).isEqualTo(404);
        assertThat(f.raw("DELETE", null, session(session)).status()).isEqualTo(404);
        assertThat(f.server.sessionCount()).isZero();
    }

    @Test
    void aForeignOriginOrHostIs403AndTheServerGoesOn() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        ServerFixture.Raw origin = f.post(request(2, "echo", "{}"),
                Map.of("Mcp-Session-Id", session, "Origin", "http://evil.example"));
        ServerFixture.Raw host = f.post(request(2, "echo", "{}"),
                Map.of("Mcp-Session-Id", session, "Host", "evil.example:80"));
        ServerFixture.Raw local = f.post(request(2, "echo", "{}"),
                Map.of("Mcp-Session-Id", session, "Origin", "http://localhost:5173", "Host", "localhost:1"));

        assertThat(origin.status()).isEqualTo(403);
        assertThat(origin.json().at("/error/message").asText()).contains("Origin");
        assertThat(host.status()).isEqualTo(403);
        assertThat(host.json().at("/error/message").asText()).contains("Host");
        assertThat(local.status()).isEqualTo(200);
    }

    @Test
    void anExplicitOriginListReplacesTheDefault() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withAllowedOrigins(List.of("https://app.example")));
        String session = f.initialize();

        assertThat(f.post(request(2, "echo", "{}"), Map.of("Mcp-Session-Id", session, "Origin",
                "https://app.example")).status()).isEqualTo(200);
        assertThat(f.post(request(2, "echo", "{}"), Map.of("Mcp-Session-Id", session, "Origin",
                "http://localhost:3000")).status()).isEqualTo(403);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withMaxBodyBytes(1000));
        String session = f.initialize();

        ServerFixture.Raw answer = f.post(request(2, "echo", "{\"pad\":\"" + "x".repeat(2000) + "\"}"),
                session(session));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(f.post(request(3, "echo", "{}"), session(session)).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400WithAParseErrorAndABatchIsRefused() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        ServerFixture.Raw malformed = f.post("{\"jsonrpc\":", session(session));
        ServerFixture.Raw batch = f.post("[" + request(2, "echo", "{}") + "," + request(3, "echo", "{}") + "]",
                session(session));
        ServerFixture.Raw shape = f.post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":5}", session(session));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(batch.json().at("/error/message").asText()).contains("batch");
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(shape.json().get("id").asInt()).isEqualTo(4);
    }

    @Test
    void aRequestThatDoesNotAcceptBothKindsOfAnswerIs406() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        assertThat(f.post(request(2, "echo", "{}"), Map.of("Mcp-Session-Id", session, "Accept",
                "application/json")).status()).isEqualTo(406);
        assertThat(f.raw("GET", null, Map.of("Mcp-Session-Id", session, "Accept", "application/json")).status())
                .isEqualTo(406);
    }

    @Test
    void anUnsupportedProtocolVersionIs400() throws Exception {
        ServerFixture f = start();
        String session = f.initialize();

        Map<String, String> headers = new HashMap<>(session(session));
        headers.put("MCP-Protocol-Version", "1999-01-01");
        assertThat(f.post(request(2, "echo", "{}"), headers).status()).isEqualTo(400);
        headers.put("MCP-Protocol-Version", "2025-06-18");
        assertThat(f.post(request(2, "echo", "{}"), headers).status()).isEqualTo(200);
    }

    @Test
    void otherMethodsAndPathsAreRefused() throws Exception {
        ServerFixture f = start();

        assertThat(f.raw("PUT", "{}", Map.of()).status()).isEqualTo(405);
        var other = SharedHttpClient.get().newRequest(f.uri().resolve("/elsewhere")).method("POST").send();
        assertThat(other.getStatus()).isEqualTo(404);
    }

    @Test
    void beyondTheSessionCapInitializeIs503AndOpenSessionsGoOn() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withMaxSessions(2));
        String first = f.initialize();
        f.initialize();

        ServerFixture.Raw refused = f.post(initializeBody(), Map.of());

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().at("/error/message").asText()).contains("too many sessions");
        assertThat(f.post(request(2, "echo", "{}"), session(first)).status()).isEqualTo(200);
        f.raw("DELETE", null, session(first));
        assertThat(f.post(initializeBody(), Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aSessionWithoutRequestsForTheIdleTimeoutEnds() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withSessionIdleTimeout(Duration.ofMillis(200)));
        String session = f.initialize();
        Connection serverSide = f.serverConnections.getFirst();

        Throwable end = serverSide.awaitClosed(PATIENCE);

        assertThat(end).isInstanceOf(IOException.class).isNotInstanceOf(EOFException.class)
                .hasMessageContaining("no request for");
        assertThat(f.post(request(2, "echo", "{}"), session(session)).status()).isEqualTo(404);
        Await.until(() -> f.server.sessionCount() == 0, PATIENCE, "the reaped session to be gone");
    }

    @Test
    void statelessModeGivesEachPostATransportOfItsOwnAndRefusesGetAndDelete() throws Exception {
        ServerFixture f = start(HttpServerSpec.loopback().withStateless(true));

        ServerFixture.Raw init = f.post(initializeBody(), Map.of());
        ServerFixture.Raw echo = f.post(request(2, "echo", "{\"y\":2}"), Map.of());
        ServerFixture.Raw note = f.post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of());

        assertThat(init.status()).isEqualTo(200);
        assertThat(init.header("Mcp-Session-Id")).isNull();
        assertThat(echo.status()).isEqualTo(200);
        assertThat(echo.json().at("/result/y").asInt()).isEqualTo(2);
        assertThat(note.status()).isEqualTo(202);
        assertThat(f.transports).hasSize(3);
        assertThat(f.session(0).sessionId()).isNull();
        for (Connection serverSide : f.serverConnections) {
            assertThat(serverSide.awaitClosed(PATIENCE)).isInstanceOf(EOFException.class);
        }
        assertThat(f.raw("GET", null, Map.of("Accept", "text/event-stream")).status()).isEqualTo(405);
        assertThat(f.raw("DELETE", null, Map.of()).status()).isEqualTo(405);
        Await.until(() -> f.server.sessionCount() == 0, PATIENCE, "the stateless transports to be gone");
    }

    @Test
    void closeEndsEverySessionAndFreesThePort() throws Exception {
        ServerFixture f = start();
        f.initialize();
        f.initialize();
        int port = f.server.port();

        f.server.close();

        for (Connection serverSide : f.serverConnections) {
            assertThat(serverSide.awaitClosed(PATIENCE)).isInstanceOf(EOFException.class);
        }
        assertThat(f.server.sessionCount()).isZero();
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
