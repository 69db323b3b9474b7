package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.mcp.McpSession;
import dev.weft.testing.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guards the first seed, oracle/wayflow #114: a cold {@code get_or_create_session()} that raced into duplicate
 * sessions for one transport, and blocked the loop that had to serve it.
 *
 * <p>Each example starts N cold callers on each of K keys at random moments; some keys' creation fails. Every key's
 * factory holds its attempt open until every other caller of that key is parked waiting for it, and until every key's
 * factory has started. So the example fails, or its watchdog fires, against each naive design: check-then-create
 * without a per-key lock makes several sessions for one key (attempts above 1, callers with different objects); one
 * lock for all keys serializes their creation (the factories never all start); a waiter that retries by itself after
 * a failed attempt makes another attempt, and a waiter that sees the failure of nobody's attempt hangs or succeeds.
 * Afterwards the pool must hold exactly the sessions that were made, and nothing for the keys that failed. A failing
 * example prints its seed; {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class SessionPoolPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void coldCallersGetOneSessionPerKeyMadeInParallelAndEveryWaiterSharesAFailure() {
        qt().withExamples(60).withShrinkCycles(10)
                .forAll(integers().between(1, 4), integers().between(1, 10), lists().of(booleans().all()).ofSize(4),
                        integers().between(0, 2_000))
                .checkAssert((keys, callers, failing, jitterMicros) -> {
                    try (MemoryServers servers = new MemoryServers()) {
                        check(servers, keys, callers, failing, jitterMicros);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /** Whether {@code caller} is parked waiting for another caller's attempt (on its key's lock). */
    private static boolean waitsForAnAttempt(Thread caller) {
        if (caller.getState() != Thread.State.WAITING) {
            return false;
        }
        boolean joining = false;
        for (StackTraceElement frame : caller.getStackTrace()) {
            if (frame.getMethodName().equals("runFactory")) {
                return false; // the caller making the session
            }
            joining |= frame.getClassName().equals(SessionPool.class.getName())
                    && frame.getMethodName().equals("makeOrJoin");
        }
        return joining;
    }

    /** What one caller got: a session or an exception. */
    private record Outcome(TransportKey key, Object value) {}

    private static void check(MemoryServers servers, int keys, int callers, List<Boolean> failing, int jitterMicros)
            throws InterruptedException {
        List<TransportKey> keyList = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            keyList.add(TransportKey.stdio("server-" + k));
        }
        Map<TransportKey, List<Thread>> callersOf = new ConcurrentHashMap<>();
        Map<TransportKey, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<TransportKey, Exception> failures = new ConcurrentHashMap<>();
        CountDownLatch factoriesStarted = new CountDownLatch(keys);
        CountDownLatch go = new CountDownLatch(1);
        SessionFactory factory = (key, options) -> {
            attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            factoriesStarted.countDown();
            // Creation of different keys overlaps: this attempt cannot end before every key's has begun.
            if (!factoriesStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("creations of different keys did not overlap");
            }
            // Every other cold caller of this key arrives while this attempt runs, and waits for it.
            Thread self = Thread.currentThread();
            Await.until(() -> callersOf.get(key).stream().filter(SessionPoolPropertyTest::waitsForAnAttempt)
                    .count() >= callers - 1, PATIENCE, "the other callers of " + key + " to wait");
            if (failing.get(keyList.indexOf(key))) {
                IOException failure = new IOException("cannot start " + key + " (" + self.getName() + ")");
                failures.put(key, failure);
                throw failure;
            }
            return servers.open(options);
        };
        SessionPool pool = SessionPool.open(SessionPoolOptions.defaults().withFactory(factory));
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        Random random = new Random(keys * 1_000_003L + callers * 31L + jitterMicros);
        List<Thread> all = new ArrayList<>();
        try {
            for (TransportKey key : keyList) {
                List<Thread> mine = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    long jitter = jitterMicros == 0 ? 0 : random.nextInt(jitterMicros) * 1_000L;
                    mine.add(Thread.ofVirtual().name("caller-" + key + "-" + c).unstarted(() -> {
                        try {
                            go.await();
                            LockSupport.parkNanos(jitter); // a random arrival
                            outcomes.add(new Outcome(key, pool.session(key)));
                        } catch (Throwable t) {
                            outcomes.add(new Outcome(key, t));
                        }
                    }));
                }
                callersOf.put(key, mine);
                all.addAll(mine);
            }
            all.forEach(Thread::start);
            go.countDown();
            for (Thread t : all) {
                assertThat(t.join(PATIENCE.multipliedBy(2))).as("caller %s finished; done: %s", t.getName(), outcomes).isTrue();
            }

            int made = 0;
            for (TransportKey key : keyList) {
                List<Object> got = outcomes.stream().filter(o -> o.key().equals(key)).map(Outcome::value).toList();
                assertThat(got).hasSize(callers);
                assertThat(attempts.get(key)).as("attempts for %s", key).hasValue(1);
                if (failing.get(keyList.indexOf(key))) {
                    assertThat(got).allSatisfy(v -> assertThat(v).isInstanceOf(SessionCreationException.class)
                            .extracting(e -> ((Throwable) e).getCause()).isSameAs(failures.get(key)));
                    assertThat(pool.sessionIfPresent(key)).isEmpty();
                } else {
                    made++;
                    Object first = got.getFirst();
                    assertThat(first).isInstanceOf(McpSession.class);
                    assertThat(got).allSatisfy(v -> assertThat(v).isSameAs(first));
                    assertThat(pool.sessionIfPresent(key)).containsSame((McpSession) first);
                }
            }
            assertThat(pool.size()).isEqualTo(made);
        } finally {
            pool.close();
        }
        assertThat(pool.size()).isZero();
        assertThat(outcomes).filteredOn(o -> o.value() instanceof McpSession)
                .allSatisfy(o -> assertThat(((McpSession) o.value()).isOpen()).isFalse());
    }
}
