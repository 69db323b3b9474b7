package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.jsonrpc.RpcException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.peer.FaultyMcpServer;
import dev.weft.pool.SessionFactory;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guards the fourth seed, google/adk-python #4904: when the transport crashed (an HTTP 403, a dead process), the tool
 * call in flight hung until its read timeout, because nothing tied the call to the task reading the transport.
 *
 * <p>Each example puts M calls in flight on a pooled session (each acknowledged by the server), waits a random moment,
 * and kills the transport in a random way: over stdio the server exits, is killed with SIGKILL, or closes its
 * standard output; over Streamable HTTP the server forgets the session (the resumed streams get 404), answers the
 * resumption of every broken stream with 403 or 500, or breaks every stream and every resumption of it. The calls' own timeout is a minute, so against
 * the naive design (the call waits on its own response channel alone) every call waits that minute and the example
 * fails. Here every call fails within {@link #PROMPT} with the transport's cause, and the pool's next call runs on a
 * fresh session when the transport ended; when only the calls' exchanges failed (403, 500) the session lives on and
 * answers. Few examples per run: each starts a server. A failing example prints its seed; {@code -DQT_SEED=<seed>}
 * replays it.
 */
@Tag("concurrency")
class TransportDeathPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How soon after the death every call must have failed: far below the calls' one-minute timeout. */
    private static final Duration PROMPT = Duration.ofSeconds(3);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(1);

    enum Death {
        STDIO_EXIT(true), STDIO_SIGKILL(true), STDIO_STDOUT_CLOSED(true),
        HTTP_SESSION_GONE_404(true), HTTP_RESUME_403(false), HTTP_RESUME_500(false), HTTP_SSE_BROKEN(false);

        /**
         * Whether the session's transport ends (else only the calls' exchanges fail: over HTTP a refused connection or
         * an error status ends an exchange, not the session, which a server that restarts may still know).
         */
        final boolean endsTransport;

        Death(boolean endsTransport) {
            this.endsTransport = endsTransport;
        }

        boolean stdio() {
            return name().startsWith("STDIO");
        }
    }

    @Test
    void everyCallInFlightFailsAtOnceWithTheCauseAndThePoolMovesOn() {
        qt().withExamples(14).withShrinkCycles(3)
                .forAll(integers().between(0, Death.values().length - 1), integers().between(1, 8),
                        integers().between(0, 20))
                .checkAssert((death, calls, delayMillis) -> {
                    try {
                        check(Death.values()[death], calls, delayMillis);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(Death death, int calls, int delayMillis) throws Exception {
        McpClientOptions client = McpClientOptions.defaults().withRequestTimeout(CALL_TIMEOUT);
        TransportKey key;
        FakeMcpHttpServer http = null;
        CountDownLatch die = new CountDownLatch(1);
        Semaphore arrived = new Semaphore(0);
        SessionFactory factory;
        List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>(); // the stdio servers started
        if (death.stdio()) {
            List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), FaultyMcpServer.class.getName()));
            key = TransportKey.stdio(argv);
            factory = (stdioKey, options) -> {
                StdioTransport transport = StdioTransport.spawn(((TransportKey.Stdio) stdioKey).processSpec());
                pids.add(transport.pid().orElseThrow());
                return McpSession.open(transport, options);
            };
        } else {
            http = new FakeMcpHttpServer();
            FakeMcpHttpServer server = http;
            server.on("tools/call", exchange -> {
                if (!exchange.params().path("name").asText().equals("hang")) {
                    exchange.result(FakeMcpHttpServer.JSON.readTree("{\"content\":[{\"type\":\"text\",\"text\":"
                            + "\"alive\"}]}"));
                    return;
                }
                exchange.sse();
                exchange.priming(10);
                arrived.release();
                die.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                switch (death) {
                    case HTTP_SESSION_GONE_404 -> exchange.breakConnection(); // the session expired first
                    case HTTP_RESUME_403, HTTP_RESUME_500 -> {
                        int status = death == Death.HTTP_RESUME_403 ? 403 : 500;
                        exchange.onResume(resume -> resume.status(status, "{\"error\":\"no\"}"));
                        exchange.breakConnection();
                    }
                    case HTTP_SSE_BROKEN -> {
                        exchange.onResume(FakeMcpHttpServer.Exchange::breakConnection); // and every resumption breaks as well
                        exchange.breakConnection();
                    }
                    default -> throw new IllegalStateException("death " + death);
                }
            });
            key = TransportKey.http(http.endpoint());
            factory = SessionFactory.standard();
        }
        try (SessionPool pool = SessionPool.open(SessionPoolOptions.defaults().withFactory(factory)
                .withClientOptions(client))) {
            McpSession session = pool.session(key);
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(calls);
            long[] failedAt = new long[calls];
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int me = i;
                callers.add(Thread.ofVirtual().name("caller-" + i).start(() -> {
                    try {
                        outcomes.set(me, session.callTool("hang", Map.of(), RequestOptions.DEFAULT
                                .withProgress(progress -> arrived.release())));
                    } catch (RuntimeException e) {
                        failedAt[me] = System.nanoTime();
                        outcomes.set(me, e);
                    }
                }));
            }
            assertThat(arrived.tryAcquire(calls, PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("all %d calls in flight at the server", calls).isTrue();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMillis)); // a random moment, calls in flight

            long diedAt = System.nanoTime();
            switch (death) {
                case STDIO_EXIT -> Thread.ofVirtual().start(() -> {
                    try {
                        session.callTool("crash", Map.of("code", 3));
                    } catch (RuntimeException expected) {
                        // it dies with the others
                    }
                });
                case STDIO_SIGKILL -> ProcessHandle.of(pids.getLast()).orElseThrow().destroyForcibly();
                case STDIO_STDOUT_CLOSED -> Thread.ofVirtual().start(() -> {
                    try {
                        session.callTool("close-stdout", Map.of());
                    } catch (RuntimeException expected) {
                        // it dies with the others
                    }
                });
                case HTTP_SESSION_GONE_404 -> {
                    http.expireSession(); // once, before the streams break: the fresh session's id stays valid
                    die.countDown();
                }
                default -> die.countDown();
            }
            for (Thread caller : callers) {
                assertThat(caller.join(PATIENCE)).as("%s returned", caller.getName()).isTrue();
            }
            for (int i = 0; i < calls; i++) {
                Object outcome = outcomes.get(i);
                assertThat(outcome).as("call %d", i).isInstanceOf(RpcException.class);
                assertThat(Duration.ofNanos(failedAt[i] - diedAt)).as("call %d failed promptly", i)
                        .isLessThan(PROMPT);
                checkCause(death, (RpcException) outcome);
            }

            if (death.endsTransport) {
                assertThat(session.isOpen()).isFalse();
                McpSession fresh = pool.session(key);
                assertThat(fresh).isNotSameAs(session);
                assertThat(fresh.callTool("echo", Map.of("message", "again")).isError()).isFalse();
            } else {
                assertThat(pool.session(key)).isSameAs(session);
                assertThat(session.callTool("echo", Map.of("message", "still")).isError()).isFalse();
            }
        } finally {
            die.countDown();
            if (http != null) {
                http.close();
            }
        }
    }

    private static void checkCause(Death death, RpcException failure) {
        switch (death) {
            case STDIO_EXIT, STDIO_SIGKILL -> assertThat(failure).isInstanceOf(TransportClosedException.class)
                    .hasRootCauseInstanceOf(ProcessExitedException.class);
            case STDIO_STDOUT_CLOSED -> assertThat(failure).isInstanceOf(TransportClosedException.class)
                    .cause().isInstanceOfAny(EOFException.class, ProcessExitedException.class);
            case HTTP_SESSION_GONE_404 -> assertThat(failure).isInstanceOfAny(TransportClosedException.class,
                    ExchangeFailedException.class).hasRootCauseInstanceOf(SessionExpiredException.class);
            case HTTP_RESUME_403, HTTP_RESUME_500 -> assertThat(failure).isInstanceOf(ExchangeFailedException.class)
                    .hasStackTraceContaining(death == Death.HTTP_RESUME_403 ? "403" : "500");
            case HTTP_SSE_BROKEN -> assertThat(failure).isInstanceOf(ExchangeFailedException.class);
        }
    }
}
