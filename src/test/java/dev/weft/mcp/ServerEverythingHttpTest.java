package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.RpcException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.testing.NodeHttpServer;
import dev.weft.testing.NpmPeers;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client session against {@code @modelcontextprotocol/server-everything} over Streamable HTTP: answers on SSE
 * streams, the server's own requests on those streams, progress, a cancel the server never closes the stream for, and
 * a server that dies with calls in flight.
 */
@Tag("concurrency")
class ServerEverythingHttpTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    private NodeHttpServer server;
    private final List<McpSession> sessions = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = NodeHttpServer.start(NpmPeers.mcpModules()
                .resolve("@modelcontextprotocol/server-everything/dist/index.js"), List.of("streamableHttp"), Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        for (McpSession session : sessions) {
            session.close();
        }
        server.close();
    }

    private McpSession open(McpClientOptions options) throws IOException {
        McpSession session = McpSession.open(StreamableHttpTransport.open(HttpSpec.of(server.url("/mcp"))), options);
        sessions.add(session);
        return session;
    }

    @Test
    void theWholeSurfaceOverHttp() throws IOException {
        McpSession session = open(McpClientOptions.defaults()
                .withSampling(r -> SamplingResult.text("http-model", "sampled over http"))
                .withElicitation(r -> ElicitationResult.accept(Map.of()))
                .withRoots(() -> List.of(new Root("file:///over/http", "http"))));
        assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
        assertThat(session.describe()).contains("127.0.0.1");
        session.ping();
        assertThat(session.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("Echo: hi");

        List<Progress> progress = new CopyOnWriteArrayList<>();
        CallToolResult slow = session.callTool("trigger-long-running-operation", Map.of("duration", 1, "steps", 3),
                RequestOptions.DEFAULT.withProgress(progress::add));
        assertThat(slow.text()).contains("completed");
        assertThat(progress).extracting(Progress::progress).containsExactly(1.0, 2.0, 3.0);

        dev.weft.testing.Await.until(() -> session.listTools().stream().anyMatch(t -> t.name().equals(
                "trigger-sampling-request")), Duration.ofSeconds(20), "the gated tools");
        assertThat(session.callTool("trigger-sampling-request", Map.of("prompt", "hi", "maxTokens", 5)).text())
                .contains("sampled over http");
        assertThat(session.callTool("trigger-elicitation-request", Map.of()).text()).contains("accept");
        assertThat(session.callTool("get-roots-list", Map.of()).text()).contains("file:///over/http");

        assertThat(session.readResource("demo://resource/static/document/features.md")).isNotEmpty();
        assertThat(session.listPrompts()).isNotEmpty();
        assertThatThrownBy(() -> session.readResource("demo://no/such/thing"))
                .isInstanceOf(PeerErrorException.class);
    }

    @Test
    void aTimedOutCallEndsLocallyThoughTheServerKeepsItsStreamOpen() throws IOException {
        McpSession session = open(McpClientOptions.defaults());
        long start = System.nanoTime();
        assertThatThrownBy(() -> session.callTool("trigger-long-running-operation", Map.of("duration", 10,
                "steps", 10), RequestOptions.DEFAULT.withTimeout(Duration.ofMillis(800))))
                .isInstanceOf(CallTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(session.callTool("echo", Map.of("message", "after")).text()).isEqualTo("Echo: after");
        assertThat(session.pendingRequests()).isZero();
    }

    @Test
    void aServerKilledWithCallsInFlightFailsThemAtOnce() throws Exception {
        McpSession session = open(McpClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(60)));
        int n = 8;
        CountDownLatch inFlight = new CountDownLatch(n);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            callers.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                try {
                    session.callTool("trigger-long-running-operation", Map.of("duration", 30, "steps", 30),
                            RequestOptions.DEFAULT.withProgress(p -> inFlight.countDown()));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        inFlight.await(); // (the latch may count a call twice; every call has been sent by then either way)
        long killed = System.nanoTime();
        server.kill();
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(AT_ONCE);
        assertThat(failures).hasSize(n).allSatisfy(f -> assertThat(f).isInstanceOfAny(
                ExchangeFailedException.class, TransportClosedException.class));
        assertThatThrownBy(() -> session.ping()).isInstanceOf(RpcException.class);
    }
}
