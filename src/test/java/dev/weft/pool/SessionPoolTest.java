package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.McpSession;
import dev.weft.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pool's contract, one property per test, over real sessions with in-memory servers. */
@Tag("concurrency")
class SessionPoolTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final TransportKey A = TransportKey.stdio("server-a");
    private static final TransportKey B = TransportKey.stdio("server-b");

    private final MemoryServers servers = new MemoryServers();
    private final Map<TransportKey, AtomicInteger> made = new ConcurrentHashMap<>();
    private final List<SessionPool> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(SessionPool::close);
        servers.close();
    }

    private SessionPool pool(SessionPoolOptions options) {
        SessionPool pool = SessionPool.open(options);
        pools.add(pool);
        return pool;
    }

    /** Counts what it makes per key. */
    private SessionFactory counting() {
        return (key, options) -> {
            made.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return servers.open(options);
        };
    }

    private SessionPoolOptions options() {
        return SessionPoolOptions.defaults().withFactory(counting());
    }

    @Test
    void callersOfOneKeyShareOneSessionAndEachKeyHasItsOwn() {
        SessionPool pool = pool(options());

        McpSession a = pool.session(A);

        assertThat(pool.session(A)).isSameAs(a);
        assertThat(pool.session(B)).isNotSameAs(a);
        assertThat(a.callTool("echo", Map.of("message", "hi")).text()).isEqualTo("hi");
        assertThat(made.get(A)).hasValue(1);
        assertThat(pool.size()).isEqualTo(2);
    }

    @Test
    void aDeadSessionLeavesThePoolAndTheNextCallerGetsAFreshOne() {
        SessionPool pool = pool(options());
        McpSession first = pool.session(A);

        first.close(); // as if its process had died: its reader ends

        Await.until(() -> pool.size() == 0, PATIENCE, "the dead session to leave the pool");
        assertThat(pool.sessionIfPresent(A)).isEmpty();
        McpSession second = pool.session(A);
        assertThat(second).isNotSameAs(first);
        assertThat(second.isOpen()).isTrue();
        assertThat(made.get(A)).hasValue(2);
    }

    @Test
    void aFailedCreationReachesTheCallerLeavesNothingAndTheNextCallTriesAgain() {
        AtomicInteger attempts = new AtomicInteger();
        SessionPool pool = pool(SessionPoolOptions.defaults().withFactory((key, options) -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("no such program");
            }
            return servers.open(options);
        }));

        assertThatThrownBy(() -> pool.session(A)).isInstanceOf(SessionCreationException.class)
                .hasMessageContaining("server-a").cause().isInstanceOf(IOException.class)
                .hasMessage("no such program");
        assertThat(pool.size()).isZero();
        assertThat(pool.sessionIfPresent(A)).isEmpty();

        assertThat(pool.session(A).isOpen()).isTrue();
    }

    @Test
    void aCreationThatOutlastsItsTimeoutIsInterruptedAndFails() {
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        SessionPool pool = pool(SessionPoolOptions.defaults().withCreationTimeout(Duration.ofMillis(100))
                .withFactory((key, options) -> {
                    try {
                        new CountDownLatch(1).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        interrupted.set(false);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return servers.open(options);
                }));

        assertThatThrownBy(() -> pool.session(A)).isInstanceOf(SessionCreationException.class)
                .cause().isInstanceOf(TimeoutException.class);
        assertThat(interrupted.get()).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void aSessionUnusedForTheIdleTimeoutIsClosedButNotOneWithARequestInFlight() throws Exception {
        SessionPool pool = pool(options().withIdleTimeout(Duration.ofMillis(50)));
        McpSession idle = pool.session(A);
        McpSession busy = pool.session(B);
        AtomicReference<Throwable> held = new AtomicReference<>();
        Thread holder = Thread.ofVirtual().start(() -> {
            try {
                busy.callTool("hold", Map.of());
            } catch (Throwable t) {
                held.set(t);
            }
        });
        Await.until(() -> busy.pendingRequests() == 1, PATIENCE, "the hold call to be in flight");

        Await.until(() -> !idle.isOpen(), PATIENCE, "the idle session to be closed");

        assertThat(pool.sessionIfPresent(B)).containsSame(busy);
        holder.interrupt();
        assertThat(holder.join(PATIENCE)).isTrue();
    }

    @Test
    void atTheLimitTheLeastRecentlyUsedIdleSessionMakesRoomAndWhenAllAreBusyTheCallFails() throws Exception {
        SessionPool pool = pool(options().withMaxSessions(2));
        McpSession a = pool.session(A);
        McpSession b = pool.session(B);
        pool.session(A); // A is now the more recently used

        McpSession c = pool.session(TransportKey.stdio("server-c"));

        Await.until(() -> !b.isOpen(), PATIENCE, "the least recently used session to be closed");
        assertThat(a.isOpen()).isTrue();
        assertThat(c.isOpen()).isTrue();
        assertThat(pool.size()).isEqualTo(2);

        List<Thread> holders = new ArrayList<>();
        for (McpSession s : List.of(a, c)) {
            holders.add(Thread.ofVirtual().start(() -> {
                try {
                    s.callTool("hold", Map.of());
                } catch (RuntimeException e) {
                    // interrupted at the end of the test
                }
            }));
        }
        Await.until(() -> a.pendingRequests() == 1 && c.pendingRequests() == 1, PATIENCE, "both sessions busy");
        assertThatThrownBy(() -> pool.session(B)).isInstanceOf(SessionPoolFullException.class)
                .hasMessageContaining("maximum of 2");
        holders.forEach(Thread::interrupt);
        for (Thread t : holders) {
            assertThat(t.join(PATIENCE)).isTrue();
        }
    }

    @Test
    void closeClosesEverySessionAbandonsCreationsAndRefusesNewCalls() throws Exception {
        CountDownLatch making = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        SessionPool pool = pool(options().withFactory((key, options) -> {
            if (key.equals(B)) {
                making.countDown();
                try {
                    new CountDownLatch(1).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    interrupted.set(false);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                }
            }
            return servers.open(options);
        }));
        McpSession a = pool.session(A);
        AtomicReference<Throwable> bFailure = new AtomicReference<>();
        Thread bCaller = Thread.ofVirtual().start(() -> {
            try {
                pool.session(B);
            } catch (Throwable t) {
                bFailure.set(t);
            }
        });
        assertThat(making.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        pool.close();

        assertThat(a.isOpen()).isFalse();
        assertThat(bCaller.join(PATIENCE)).isTrue();
        assertThat(interrupted.get()).isTrue();
        assertThat(bFailure.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(pool.size()).isZero();
        assertThatThrownBy(() -> pool.session(A)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.callTool("echo", Map.of("message", "late")))
                .isInstanceOf(TransportClosedException.class);
    }

    @Test
    void anInterruptedWaiterGivesUpAloneAndTheCreationGoesOn() throws Exception {
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        SessionPool pool = pool(options().withFactory((key, options) -> {
            making.countDown();
            finish.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return servers.open(options);
        }));
        AtomicReference<McpSession> first = new AtomicReference<>();
        Thread maker = Thread.ofVirtual().start(() -> first.set(pool.session(A)));
        assertThat(making.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        AtomicReference<Throwable> waiterFailure = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                pool.session(A);
            } catch (Throwable t) {
                waiterFailure.set(t);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        Await.until(() -> waiter.getState() == Thread.State.WAITING, PATIENCE, "the waiter to wait");

        waiter.interrupt();

        assertThat(waiter.join(PATIENCE)).isTrue();
        assertThat(waiterFailure.get()).isInstanceOf(SessionCreationException.class)
                .cause().isInstanceOf(InterruptedException.class);
        assertThat(flagKept.get()).isTrue();
        finish.countDown();
        assertThat(maker.join(PATIENCE)).isTrue();
        assertThat(first.get().isOpen()).isTrue();
        assertThat(pool.session(A)).isSameAs(first.get());
    }
}
