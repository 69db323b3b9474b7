package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.notification;
import static dev.weft.transport.FakeMcpHttpServer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.testing.Props;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each call ends as its server behaviour says, whatever the other calls in flight do: several callers on virtual
 * threads, each call with a random behaviour of the server (a JSON answer, an event stream, an event stream with
 * progress first, a refusal with a random status, a stream that breaks without ids, a stream with ids that breaks and
 * is resumed), and afterwards nothing is left pending. The calls' own timeout is thirty seconds, so a call that hangs
 * fails the example. A failing run prints its seed; {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class StreamableHttpPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final int[] STATUSES = {400, 401, 403, 409, 429, 500, 502, 503};

    /** What the server does with one call. */
    enum Behaviour { JSON, SSE, SSE_WITH_PROGRESS, BREAK_WITHOUT_ID, BREAK_WITH_ID_THEN_RESUME, STATUS }

    private static FakeMcpHttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new FakeMcpHttpServer();
        server.on("work", StreamableHttpPropertyTest::serve);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** The server's side: the call's params say what to do. */
    private static void serve(FakeMcpHttpServer.Exchange ex) throws Exception {
        JsonNode params = ex.params();
        int k = params.get("k").asInt();
        JsonNode result = obj("k", k);
        switch (Behaviour.valueOf(params.get("behaviour").asText())) {
            case JSON -> ex.result(result);
            case SSE -> ex.resultEvent(result);
            case SSE_WITH_PROGRESS -> {
                for (int i = 1; i <= 2; i++) {
                    ex.event(notification("notifications/progress", obj("progressToken", "p" + k, "progress", i)));
                }
                ex.resultEvent(result);
            }
            case BREAK_WITHOUT_ID -> {
                ex.event(notification("notifications/message", obj("k", k)));
                ex.breakConnection();
            }
            case BREAK_WITH_ID_THEN_RESUME -> {
                ex.priming(params.get("retry").asInt());
                ex.event(notification("notifications/progress", obj("progressToken", "p" + k, "progress", 1)));
                ex.onResume(resume -> {
                    resume.event(FakeMcpHttpServer.response(ex.id(), result));
                    resume.end();
                });
                if (k % 2 == 0) {
                    ex.breakConnection();
                } else {
                    ex.end();
                }
            }
            case STATUS -> ex.status(params.get("status").asInt(), "refused " + k);
        }
    }

    @Test
    void everyCallEndsAsItsServerBehaviourSays() {
        Props.qt().withExamples(40).withShrinkCycles(10)
                .forAll(lists().of(integers().between(0, Behaviour.values().length - 1)).ofSizeBetween(1, 8),
                        integers().between(0, STATUSES.length - 1), integers().between(1, 60))
                .checkAssert((behaviours, statusIndex, retryMillis) -> {
                    try {
                        check(behaviours, STATUSES[statusIndex], retryMillis);
                    } catch (InterruptedException | java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(List<Integer> behaviourIndexes, int status, int retryMillis)
            throws InterruptedException, java.io.IOException {
        int n = behaviourIndexes.size();
        Connection connection = Connection.open(StreamableHttpTransport.open(HttpSpec.of(server.endpoint())),
                ConnectionOptions.DEFAULT.withDefaultTimeout(Duration.ofSeconds(30)).withNotificationRouter(
                        note -> note.method().equals("notifications/progress")
                                ? note.params().get("progressToken").asText() : null));
        try {
            connection.call("initialize", obj("protocolVersion", "2025-11-25", "capabilities", obj(),
                    "clientInfo", obj("name", "property", "version", "1")));
            connection.notify("notifications/initialized", null);
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(n);
            AtomicIntegerArray progress = new AtomicIntegerArray(n);
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Behaviour behaviour = Behaviour.values()[behaviourIndexes.get(i)];
                JsonNode params = obj("k", k, "behaviour", behaviour.name(), "status", status, "retry", retryMillis);
                callers.add(Thread.ofVirtual().name("test-caller-" + k).start(() -> {
                    try {
                        outcomes.set(k, connection.call("work", params, CallOptions.DEFAULT
                                .withEvents("p" + k, note -> progress.incrementAndGet(k))));
                    } catch (Throwable e) {
                        outcomes.set(k, e);
                    }
                }));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (Thread caller : callers) {
                long left = Math.max(1, deadline - System.nanoTime());
                assertThat(caller.join(Duration.ofNanos(left))).as("%s ended", caller.getName()).isTrue();
            }
            for (int i = 0; i < n; i++) {
                int k = i;
                Behaviour behaviour = Behaviour.values()[behaviourIndexes.get(k)];
                Object outcome = outcomes.get(k);
                switch (behaviour) {
                    case JSON, SSE, SSE_WITH_PROGRESS, BREAK_WITH_ID_THEN_RESUME ->
                            assertThat(outcome).as("call %d (%s)", k, behaviour).isEqualTo(obj("k", k));
                    case BREAK_WITHOUT_ID -> assertThat(outcome).as("call %d (%s)", k, behaviour)
                            .isInstanceOfSatisfying(ExchangeFailedException.class,
                                    e -> assertThat(e.requestDelivered()).isTrue());
                    case STATUS -> assertThat(outcome).as("call %d (%s)", k, behaviour)
                            .isInstanceOfSatisfying(ExchangeFailedException.class, e -> {
                                assertThat(e.requestDelivered()).isEqualTo(status >= 500);
                                assertThat(e.getCause()).isInstanceOfSatisfying(HttpStatusException.class, s -> {
                                    assertThat(s.status()).isEqualTo(status);
                                    assertThat(s.bodyExcerpt()).isEqualTo("refused " + k);
                                });
                            });
                }
                int expectedProgress = switch (behaviour) {
                    case SSE_WITH_PROGRESS -> 2;
                    case BREAK_WITH_ID_THEN_RESUME -> 1;
                    default -> 0;
                };
                assertThat(progress.get(k)).as("progress of call %d (%s)", k, behaviour).isEqualTo(expectedProgress);
            }
            assertThat(connection.pendingCalls()).isZero();
            assertThat(connection.isOpen()).isTrue();
        } finally {
            connection.close();
        }
    }
}
