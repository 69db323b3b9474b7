package dev.weft.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.testing.Await;
import dev.weft.testing.HardTimeout;
import dev.weft.testing.Props;
import dev.weft.transport.MemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared context of a server is built once and never held (the seed: a server whose start-up lock was held for a
 * connection's lifetime froze after two sessions). Many connections arrive at random moments; builds take random time
 * and fail at random; some connections then serve for as long as the test lasts. Whatever happens: builds never
 * overlap, nothing is built after a success, every connection gets the one value or the failure of a build it waited
 * for, and no connection waits for another one's serving.
 */
@Tag("concurrency")
@HardTimeout(seconds = 180)
class SharedContextPropertyTest {
    private static final long PATIENCE_SECONDS = 20;

    /**
     * @param plan per connection: bits 0-1 its arrival delay, bit 2 whether it then serves until the end; per build
     *             (the same list, by build number): bits 3-4 its duration, bit 5 whether it fails
     */
    @Test
    void builtOnceNeverHeldFailuresReachTheirWaiters() {
        Props.qt().withExamples(40).withShrinkCycles(20)
                .forAll(lists().of(integers().between(0, 63)).ofSizeBetween(1, 40))
                .checkAssert(plan -> {
                    try {
                        check(plan);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(List<Integer> plan) throws InterruptedException {
        AtomicInteger builds = new AtomicInteger();
        AtomicInteger building = new AtomicInteger();
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Throwable> buildFailures = new CopyOnWriteArrayList<>();
        AtomicReference<Object> built = new AtomicReference<>();
        SharedContext<Object> context = SharedContext.of("test", () -> {
            int n = builds.getAndIncrement();
            if (building.incrementAndGet() != 1) {
                violations.add("builds overlap");
            }
            if (built.get() != null) {
                violations.add("build " + n + " after a success");
            }
            try {
                int step = plan.get(n % plan.size());
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200L * ((step >> 3) & 3)));
                if ((step & 32) != 0) {
                    RuntimeException failure = new IllegalStateException("build " + n + " failed");
                    buildFailures.add(failure);
                    throw failure;
                }
                Object value = new Object();
                built.set(value);
                return value;
            } finally {
                building.decrementAndGet();
            }
        });
        CountDownLatch endOfServing = new CountDownLatch(1);
        AtomicInteger got = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> connections = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            int step = plan.get(i);
            connections.add(Thread.ofVirtual().name("weft-test-connection-" + i).start(() -> {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(150L * (step & 3)));
                Object value;
                try {
                    value = context.get();
                } catch (SharedContextException e) {
                    if (!buildFailures.contains(e.getCause())) {
                        violations.add("a failure no build threw: " + e.getCause());
                    }
                    failed.incrementAndGet();
                    return;
                } catch (InterruptedException e) {
                    violations.add("interrupted");
                    return;
                }
                got.incrementAndGet();
                if (value != built.get()) {
                    violations.add("a value other than the one built");
                }
                if ((step & 4) != 0) {
                    try {
                        endOfServing.await(); // serves as long as the test lasts, holding nothing
                    } catch (InterruptedException e) {
                        violations.add("interrupted while serving");
                    }
                }
            }));
        }
        // Every connection gets its answer while the serving ones still serve: none waits for another's lifetime.
        Await.until(() -> got.get() + failed.get() == plan.size(), Duration.ofSeconds(PATIENCE_SECONDS),
                "every connection answered while others serve");
        endOfServing.countDown();
        for (Thread t : connections) {
            assertThat(t.join(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
        }
        assertThat(violations).isEmpty();
        assertThat(failed.get()).as("failures, at most one per failed build's waiters").isLessThanOrEqualTo(
                buildFailures.size() * plan.size());
        assertThat(builds.get()).as("builds: the failed ones, then at most one success")
                .isEqualTo(buildFailures.size() + (built.get() != null ? 1 : 0));
        if (context.ifBuilt().isPresent()) {
            assertThat(context.ifBuilt().get()).isSameAs(built.get());
        }
    }

    /**
     * The same through the server: sessions initialize at once while the first build is slow; one session holds a
     * tool call for the whole test; every other session still initializes and calls.
     */
    @Test
    void sessionsInitializeWhileAnotherServesAndWaitOnlyForTheBuild() throws Exception {
        CountDownLatch buildMayFinish = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger builds = new AtomicInteger();
        SharedContext<String> context = SharedContext.of("slow", () -> {
            builds.incrementAndGet();
            buildMayFinish.await();
            return "ready";
        });
        McpServer server = McpServer.builder("s", "1").sharedContext(context)
                .tool(McpServerTest.tool("hold", null), (args, ctx) -> {
                    holding.countDown();
                    release.await();
                    return CallToolResult.text("released");
                })
                .tool(McpServerTest.tool("use", null), (args, ctx) -> CallToolResult.text(context.get()))
                .build();
        List<McpSession> clients = new CopyOnWriteArrayList<>();
        List<Thread> openers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                openers.add(Thread.ofVirtual().start(() -> {
                    MemoryTransport.Pair pair = MemoryTransport.pair();
                    server.serve(pair.right());
                    clients.add(McpSession.open(pair.left(), McpClientOptions.defaults()));
                }));
            }
            assertThat(clients).isEmpty(); // all wait for the one build
            buildMayFinish.countDown();
            for (Thread t : openers) {
                assertThat(t.join(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
            }
            assertThat(clients).hasSize(8);
            Thread holder = Thread.ofVirtual().start(() -> clients.getFirst().callTool("hold", Map.of()));
            assertThat(holding.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
            MemoryTransport.Pair late = MemoryTransport.pair();
            server.serve(late.right());
            McpSession latecomer = McpSession.open(late.left(), McpClientOptions.defaults());
            clients.add(latecomer);
            assertThat(latecomer.callTool("use", Map.of()).text()).isEqualTo("ready");
            for (McpSession client : clients.subList(1, 8)) {
                assertThat(client.callTool("use", Map.of()).text()).isEqualTo("ready");
            }
            release.countDown();
            assertThat(holder.join(Duration.ofSeconds(PATIENCE_SECONDS))).isTrue();
            assertThat(builds.get()).isEqualTo(1);
        } finally {
            release.countDown();
            buildMayFinish.countDown();
            clients.forEach(McpSession::close);
            server.close();
        }
    }
}
