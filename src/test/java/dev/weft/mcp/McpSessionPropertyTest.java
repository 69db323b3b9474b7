package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.peer.FaultyMcpServer;
import dev.weft.testing.Await;
import dev.weft.transport.Faults;
import dev.weft.transport.MemoryTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random mixes of concurrent requests on one session, against {@link FaultyMcpServer} over a memory pair whose frames
 * are randomly delayed: each request ends with exactly the outcome its tool calls for (progress complete and in order
 * before the result, tool errors as results, JSON-RPC errors as {@link PeerErrorException}, hangs as timeouts that
 * the server sees cancelled), then the session dies in a random way with calls in flight, and those calls and every
 * later one fail with {@link TransportClosedException}. A failing run prints its seed; {@code -DQT_SEED=<seed>}
 * replays it.
 */
@Tag("concurrency")
class McpSessionPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** One request of the mix. */
    enum Op { ECHO, SLOW, FAIL, ERROR, HANG, SAMPLE }

    /** How the session ends with calls in flight. */
    enum Death { WIRE_BREAKS, SERVER_CLOSES, HOST_CLOSES }

    @Test
    void everyRequestEndsWithTheOutcomeItsToolCallsFor() {
        qt().withExamples(40).withShrinkCycles(20)
                .forAll(lists().of(integers().between(0, Op.values().length - 1)).ofSizeBetween(1, 24),
                        integers().between(0, Death.values().length - 1), integers().between(0, 400))
                .checkAssert((ops, death, maxDelayMicros) -> {
                    try {
                        check(ops.stream().map(i -> Op.values()[i]).toList(), Death.values()[death], maxDelayMicros);
                    } catch (InterruptedException | IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(List<Op> ops, Death death, int maxDelayMicros) throws InterruptedException, IOException {
        Random jitter = new Random(ops.hashCode() * 31L + maxDelayMicros);
        Faults delayed = Faults.NONE.withDelay(i -> maxDelayMicros == 0 ? 0 : jitter.nextInt(maxDelayMicros) * 1_000L);
        MemoryTransport.Pair pair = MemoryTransport.pair(delayed, delayed, JsonRpcCodec.standard());
        FaultyMcpServer server = FaultyMcpServer.serve(pair.right(), FaultyMcpServer.Options.defaults());
        McpSession session = McpSession.open(pair.left(), McpClientOptions.defaults()
                .withRequestTimeout(Duration.ofMinutes(10))
                .withSampling(r -> SamplingResult.text("m", "sampled")));
        try {
            int n = ops.size();
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(n);
            List<List<Double>> progress = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                List<Double> seen = new CopyOnWriteArrayList<>();
                progress.add(seen);
                callers.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                    try {
                        outcomes.set(k, run(session, ops.get(k), k, seen));
                    } catch (Throwable t) {
                        outcomes.set(k, t);
                    }
                }));
            }
            for (Thread t : callers) {
                assertThat(t.join(PATIENCE)).as("caller %s ended", t.getName()).isTrue();
            }
            int hangs = 0;
            for (int k = 0; k < n; k++) {
                Object outcome = outcomes.get(k);
                String echoed = "m" + k;
                switch (ops.get(k)) {
                    case ECHO -> assertThat(outcome).isInstanceOfSatisfying(CallToolResult.class,
                            r -> assertThat(r.text()).isEqualTo(echoed));
                    case SLOW -> {
                        assertThat(outcome).isInstanceOfSatisfying(CallToolResult.class,
                                r -> assertThat(r.text()).isEqualTo("done after 3 steps"));
                        assertThat(progress.get(k)).as("progress of call %d, all before its result", k)
                                .containsExactly(1.0, 2.0, 3.0, -1.0);
                    }
                    case FAIL -> assertThat(outcome).isInstanceOfSatisfying(CallToolResult.class,
                            r -> assertThat(r.isError()).isTrue());
                    case ERROR -> assertThat(outcome).isInstanceOfSatisfying(PeerErrorException.class,
                            e -> assertThat(e.error().code()).isEqualTo(-32000));
                    case HANG -> {
                        hangs++;
                        assertThat(outcome).isInstanceOf(CallTimeoutException.class);
                    }
                    case SAMPLE -> assertThat(outcome).isInstanceOfSatisfying(CallToolResult.class,
                            r -> assertThat(r.text()).isEqualTo("sampled"));
                }
            }
            int expectedCancels = hangs;
            Await.until(() -> server.cancels.size() == expectedCancels, PATIENCE,
                    "the server saw every timed-out call cancelled");
            assertThat(session.pendingRequests()).isZero();

            // Now calls in flight, then the end.
            List<Object> inFlight = new CopyOnWriteArrayList<>();
            List<Thread> hanging = new ArrayList<>();
            int pendingBefore = server.cancels.size();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                hanging.add(Thread.ofVirtual().name("weft-test-hanging-" + i).start(() -> {
                    try {
                        inFlight.add(session.callTool("hang", Map.of(),
                                RequestOptions.DEFAULT.withProgress(p -> started.countDown())));
                    } catch (Throwable t) {
                        inFlight.add(t);
                    }
                }));
            }
            started.await(); // each call's first progress: the server works on all three
            switch (death) {
                case WIRE_BREAKS -> pair.left().fail(new IOException("wire broke"));
                case SERVER_CLOSES -> server.connection().close();
                case HOST_CLOSES -> session.close();
            }
            for (Thread t : hanging) {
                assertThat(t.join(PATIENCE)).as("in-flight caller %s ended", t.getName()).isTrue();
            }
            assertThat(inFlight).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(TransportClosedException.class));
            Object later;
            try {
                later = session.callTool("echo", Map.of("message", "later"));
            } catch (TransportClosedException e) {
                later = e;
            }
            assertThat(later).isInstanceOf(TransportClosedException.class);
            assertThat(session.pendingRequests()).isZero();
            Await.until(() -> server.cancels.size() == pendingBefore + 3, PATIENCE,
                    "the server's handlers of the in-flight calls were interrupted by the end");
        } finally {
            session.close();
            server.connection().close();
        }
    }

    private static Object run(McpSession session, Op op, int k, List<Double> seen) {
        return switch (op) {
            case ECHO -> session.callTool("echo", Map.of("message", "m" + k));
            case SLOW -> {
                CallToolResult r = session.callTool("steps", Map.of("steps", 3),
                        RequestOptions.DEFAULT.withProgress(p -> seen.add(p.progress())));
                seen.add(-1.0); // marks the result: progress must all come before it
                yield r;
            }
            case FAIL -> session.callTool("fail", Map.of());
            case ERROR -> session.callTool("error", Map.of());
            case HANG -> session.callTool("hang", Map.of(), RequestOptions.DEFAULT.withTimeout(Duration.ofMillis(50)));
            case SAMPLE -> session.callTool("sample", Map.of("prompt", "p" + k));
        };
    }
}
