package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.peer.FaultyMcpServer;
import dev.weft.transport.ProcessExitedException;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client session against {@link FaultyMcpServer} in a child JVM over stdio: every way a server can die fails every
 * call in flight at once, and every later call.
 */
@Tag("concurrency")
class McpOverStdioTest {
    /** Far above what any failure here should take; a failure that waits for it means a hang. */
    private static final Duration LONG = Duration.ofSeconds(30);
    /** How soon "at once" must be on a loaded two-core machine; the design target is 10 ms, measured in benchmarks. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    static ProcessSpec server(String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), FaultyMcpServer.class.getName()));
        argv.addAll(List.of(args));
        return ProcessSpec.of(argv.toArray(String[]::new));
    }

    private McpSession open(ProcessSpec spec, McpClientOptions options) throws IOException {
        McpSession session = McpSession.open(StdioTransport.spawn(spec), options);
        toClose.add(session);
        return session;
    }

    private McpSession open(String... args) throws IOException {
        return open(server(args), McpClientOptions.defaults().withRequestTimeout(LONG));
    }

    /** Starts {@code n} calls of {@code hang} and returns when the server has all of them. */
    private static List<Thread> hangingCalls(McpSession session, int n, List<Throwable> failures)
            throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                try {
                    session.callTool("hang", Map.of(), RequestOptions.DEFAULT.withProgress(p -> inFlight.countDown()));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        inFlight.await(); // each call's first progress: the server is working on all of them
        return threads;
    }

    private static Duration joinAll(List<Thread> threads) throws InterruptedException {
        long start = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aRealRoundTripWithProgressAndPagination() throws IOException {
        McpSession session = open("--pages", "3");
        assertThat(session.serverInfo().name()).isEqualTo("faulty");
        assertThat(session.listTools()).extracting(Tool::name).contains("echo", "steps", "crash").hasSize(14);
        List<Progress> progress = new CopyOnWriteArrayList<>();
        CallToolResult stepped = session.callTool("steps", Map.of("steps", 3),
                RequestOptions.DEFAULT.withProgress(progress::add));
        assertThat(stepped.text()).isEqualTo("done after 3 steps");
        assertThat(progress).extracting(Progress::progress).containsExactly(1.0, 2.0, 3.0);
        assertThat(session.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("hi");
    }

    @Test
    void aServerThatExitsMidCallFailsEveryCallAtOnceWithExitCodeAndStderr() throws Exception {
        McpSession session = open();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> calls = hangingCalls(session, 16, failures);
        assertThatThrownBy(() -> session.callTool("crash", Map.of("code", 42)))
                .isInstanceOf(TransportClosedException.class);
        Duration took = joinAll(calls);
        assertThat(took).isLessThan(AT_ONCE);
        assertThat(failures).hasSize(16).allSatisfy(f -> assertThat(f).isInstanceOf(TransportClosedException.class)
                .hasMessageContaining("tools/call"));
        ProcessExitedException exit = (ProcessExitedException) failures.get(0).getCause();
        assertThat(exit.exitCode()).hasValue(42);
        assertThat(exit.stderrTail()).contains("crashing on purpose");
        assertThatThrownBy(() -> session.callTool("echo", Map.of("message", "later")))
                .isInstanceOf(TransportClosedException.class).cause().isSameAs(exit);
    }

    @Test
    void aServerKilledWithSigkillFailsEveryCallAtOnce() throws Exception {
        StdioTransport transport = StdioTransport.spawn(server());
        McpSession session = McpSession.open(transport, McpClientOptions.defaults().withRequestTimeout(LONG));
        toClose.add(session);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> calls = hangingCalls(session, 16, failures);
        ProcessHandle.of(transport.pid().orElseThrow()).orElseThrow().destroyForcibly();
        assertThat(joinAll(calls)).isLessThan(AT_ONCE);
        assertThat(failures).hasSize(16).allSatisfy(f -> assertThat(f).isInstanceOf(TransportClosedException.class)
                .satisfies(e -> assertThat(((TransportClosedException) e).requestSent()).isTrue()));
        assertThat(session.awaitClosed(AT_ONCE)).isInstanceOf(ProcessExitedException.class);
    }

    @Test
    void aServerThatClosesStdoutAndStaysAliveFailsTheCallsAtOnce() throws Exception {
        McpSession session = open();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> calls = hangingCalls(session, 4, failures);
        assertThatThrownBy(() -> session.callTool("close-stdout", Map.of()))
                .isInstanceOf(TransportClosedException.class);
        assertThat(joinAll(calls)).isLessThan(AT_ONCE);
        assertThat(failures).hasSize(4).allSatisfy(f -> assertThat(f).isInstanceOf(TransportClosedException.class));
    }

    @Test
    void aGrandchildHoldingThePipeDoesNotKeepCallsAlive() throws Exception {
        McpSession session = open();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> calls = hangingCalls(session, 4, failures);
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> session.callTool("grandchild", Map.of()));
        assertThat(failure).isInstanceOf(TransportClosedException.class);
        assertThat(joinAll(calls)).isLessThan(AT_ONCE);
        assertThat(failure.getCause()).isInstanceOfSatisfying(ProcessExitedException.class,
                e -> assertThat(e.exitCode()).hasValue(3));
    }

    @Test
    void garbageOnStdoutIsSkippedAndTheSessionGoesOn() throws IOException {
        McpSession session = open();
        assertThat(session.callTool("garbage", Map.of()).text()).isEqualTo("after garbage");
        assertThat(session.callTool("echo", Map.of("message", "still here")).text()).isEqualTo("still here");
    }

    @Test
    void anAnswerOverTheFrameLimitEndsTheSessionWithThatCause() throws IOException {
        ProcessSpec spec = server().withCodec(JsonRpcCodec.withMaxFrameBytes(64 * 1024));
        McpSession session = open(spec, McpClientOptions.defaults().withRequestTimeout(LONG));
        assertThat(session.callTool("huge", Map.of("bytes", 1000)).text()).hasSize(1000);
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> session.callTool("huge", Map.of("bytes", 200_000)));
        assertThat(failure).isInstanceOf(TransportClosedException.class);
        assertThat(failure).rootCause().isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void aSlowInitializeTimesOutAndLeavesNoProcess() {
        McpClientOptions options = McpClientOptions.defaults().withInitializeTimeout(Duration.ofMillis(300));
        assertThatThrownBy(() -> open(server("--hang-initialize"), options))
                .isInstanceOf(CallTimeoutException.class).hasMessageContaining("initialize");
        // the global leak check fails this test if the server process outlived the failed open
    }

    @Test
    void aServerOfferingAnUnknownRevisionIsRefusedAndStopped() {
        assertThatThrownBy(() -> open(server("--version", "2024-11-05"), McpClientOptions.defaults()))
                .isInstanceOf(UnsupportedProtocolVersionException.class).hasMessageContaining("2024-11-05");
    }

    @Test
    void anOlderRevisionIsAccepted() throws IOException {
        McpSession session = open("--version", "2025-03-26");
        assertThat(session.protocolVersion()).isEqualTo("2025-03-26");
        assertThat(session.callTool("echo", Map.of("message", "old")).text()).isEqualTo("old");
    }

    @Test
    void theServersOwnRequestsRunTheHostsHandlers() throws IOException {
        McpClientOptions options = McpClientOptions.defaults()
                .withSampling(r -> SamplingResult.text("m", "sampled " + r.messages().get(0).blocks().get(0)))
                .withElicitation(r -> ElicitationResult.accept(Map.of("nickname", "jd")))
                .withRoots(() -> List.of(new Root("file:///srv", "srv")));
        McpSession session = open(server(), options);
        assertThat(session.callTool("sample", Map.of("prompt", "hello")).text())
                .isEqualTo("sampled " + new Content.Text("hello"));
        assertThat(session.callTool("elicit", Map.of()).text())
                .isEqualTo("{\"action\":\"accept\",\"content\":{\"nickname\":\"jd\",\"name\":\"John Doe\",\"age\":30}}");
        assertThat(session.callTool("roots", Map.of()).text()).contains("file:///srv");
    }

    @Test
    void aCrashIsLoggedAtWarningWithItsStderrAndOurOwnCloseIsNot() throws Exception {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
                dev.weft.transport.StdioTransport.class.getName());
        List<java.util.logging.LogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            McpSession closedByUs = open();
            closedByUs.close();
            assertThat(records).as("our own close is no news").noneMatch(
                    r -> r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue());

            McpSession crashing = open();
            assertThatThrownBy(() -> crashing.callTool("crash", Map.of("code", 42)))
                    .isInstanceOf(TransportClosedException.class);
            dev.weft.testing.Await.until(() -> !records.isEmpty(), LONG, "the crash logged");
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(r.getMessage()).contains("exited with code 42", "crashing on purpose");
            });
        } finally {
            logger.removeHandler(handler);
        }
    }
}
