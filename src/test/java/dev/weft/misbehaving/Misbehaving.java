package dev.weft.misbehaving;

import dev.weft.testing.HardTimeout;
import dev.weft.testing.Props;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.quicktheories.generators.SourceDSL;

/**
 * Test classes that break the discipline on purpose: they hang, ignore interrupts, leak threads and processes, pin
 * carriers. The self-tests in {@code dev.weft.testing} run them through a nested JUnit launcher and check that the
 * {@code WeftTestExtension} fails each one the right way (and passes the well-behaved ones).
 *
 * <p>Surefire never runs them directly: they are nested classes (its default excludes skip {@code *$*}) of a class
 * whose name matches none of its includes. They live outside {@code dev.weft.testing} because frames there are exempt
 * from the pinning check. Static latches let a self-test release what a fixture left behind; each fixture runs at
 * most once per JVM.
 */
public final class Misbehaving {
    private Misbehaving() {}

    /** Blocks until {@code latch} opens, swallowing interrupts: what a wedged thread looks like. */
    static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // swallowed on purpose
            }
        }
    }

    /** Hangs interruptibly; keeps a virtual thread alive so the timeout's dump must show it. */
    @HardTimeout(seconds = 1)
    public static class Hangs {
        @Test
        void hangs() throws InterruptedException {
            CountDownLatch never = new CountDownLatch(1);
            Thread witness = Thread.ofVirtual().name("hang-witness").start(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    // the test is over
                }
            });
            try {
                never.await();
            } finally {
                witness.interrupt();
                witness.join();
            }
        }
    }

    /** Ignores the hard timeout's interrupt until released. */
    public static class IgnoresInterrupt {
        public static final CountDownLatch RELEASE = new CountDownLatch(1);
        public static final CountDownLatch ENDED = new CountDownLatch(1);

        @Test
        @HardTimeout(seconds = 1)
        void ignoresInterrupts() {
            try {
                awaitIgnoringInterrupts(RELEASE);
            } finally {
                ENDED.countDown();
            }
        }
    }

    /** Hangs in {@code @BeforeEach}: lifecycle methods are bounded too, on the same thread as the test. */
    @HardTimeout(seconds = 1)
    public static class HangsInBeforeEach {
        @BeforeEach
        void setUp() throws InterruptedException {
            new CountDownLatch(1).await();
        }

        @Test
        void neverRuns() {}
    }

    /** A dynamic test hangs: it is bounded by its factory's class annotation and named in the dump file. */
    @HardTimeout(seconds = 1)
    public static class HangsInDynamicTest {
        @TestFactory
        Stream<DynamicTest> factory() {
            return Stream.of(DynamicTest.dynamicTest("hangs forever", () -> new CountDownLatch(1).await()));
        }
    }

    /** A property whose first example hangs: the timeout failure must carry the seed. */
    @HardTimeout(seconds = 1)
    public static class HangsInProperty {
        @Test
        void propertyHangs() {
            Props.qt().withExamples(5).forAll(SourceDSL.integers().all()).check(i -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return true;
            });
        }
    }

    /** Leaves a virtual weft thread parked. */
    public static class LeaksVirtualThread {
        public static final CountDownLatch RELEASE = new CountDownLatch(1);
        public static volatile Thread leaked;

        @Test
        void leaksAVirtualThread() {
            leaked = Thread.ofVirtual().name("weft-leaky-virtual").start(() -> awaitIgnoringInterrupts(RELEASE));
        }
    }

    /** Leaves a platform weft thread parked. */
    public static class LeaksPlatformThread {
        public static final CountDownLatch RELEASE = new CountDownLatch(1);
        public static volatile Thread leaked;

        @Test
        void leaksAPlatformThread() {
            leaked = Thread.ofPlatform().daemon().name("weft-leaky-platform")
                    .start(() -> awaitIgnoringInterrupts(RELEASE));
        }
    }

    /** Leaves a child process running. */
    public static class LeaksProcess {
        public static volatile ProcessHandle leaked;

        @Test
        void leaksAProcess() throws IOException {
            leaked = new ProcessBuilder("sleep", "120").start().toHandle();
        }
    }

    /** Starts weft threads in {@code @BeforeAll} and never stops them: the class fails, its test does not. */
    public static class LeaksFromBeforeAll {
        public static final CountDownLatch RELEASE = new CountDownLatch(1);
        public static volatile Thread leaked;

        @BeforeAll
        static void startFixtureThread() {
            leaked = Thread.ofVirtual().name("weft-class-fixture").start(() -> awaitIgnoringInterrupts(RELEASE));
        }

        @Test
        void usesTheFixture() {}
    }

    /** Starts and stops threads and a process properly, some of them in class-level methods: must pass. */
    public static class CleansUp {
        private static Thread fixture;
        private static final CountDownLatch STOP_FIXTURE = new CountDownLatch(1);

        @BeforeAll
        static void startFixture() {
            fixture = Thread.ofVirtual().name("weft-fixture").start(() -> awaitIgnoringInterrupts(STOP_FIXTURE));
        }

        @AfterAll
        static void stopFixture() throws InterruptedException {
            STOP_FIXTURE.countDown();
            fixture.join();
        }

        @Test
        void joinsItsThreads() throws InterruptedException {
            Thread virtual = Thread.ofVirtual().name("weft-tidy-virtual").start(() -> {});
            Thread platform = Thread.ofPlatform().name("weft-tidy-platform").start(() -> {});
            virtual.join();
            platform.join();
        }

        @Test
        void waitsForItsProcess() throws IOException, InterruptedException {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
        }

        @Test
        void leavesAThreadThatEndsWithinTheDeadline() {
            Thread.ofVirtual().name("weft-ends-soon").start(() -> {
                try {
                    new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS); // ends by itself, 50 ms from now
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** A {@code @Nested} class with its own class fixture thread, after a test of the outer class: must pass. */
    public static class NestedFixture {
        @Test
        void outerTestRunsFirst() {}

        @Nested
        class Inner {
            private static final CountDownLatch STOP = new CountDownLatch(1);
            private static Thread fixture;

            @BeforeAll
            static void startFixture() {
                fixture = Thread.ofVirtual().name("weft-nested-fixture").start(() -> awaitIgnoringInterrupts(STOP));
            }

            @AfterAll
            static void stopFixture() throws InterruptedException {
                STOP.countDown();
                fixture.join();
            }

            @Test
            void innerTestUsesTheFixture() {}
        }
    }

    /** A virtual thread blocks in a class initializer, which pins its carrier on every JDK. */
    public static class PinsACarrier {
        @Test
        void pinsInAClassInitializer() throws InterruptedException {
            Thread.ofVirtual().name("weft-pinned").start(SlowClassInitializers.ForFixture::touch).join();
        }
    }

    /**
     * A virtual thread waits, inside {@code synchronized}, for a sibling virtual thread. Where monitors pin and there
     * is one carrier (the one-carrier execution) the sibling never runs: a hang, which the hard timeout reports.
     * Elsewhere the waiter unmounts (JEP 491) or another carrier runs the sibling, and the test passes.
     */
    public static class WaitsForASiblingWhileHoldingAMonitor {
        private static final Object LOCK = new Object();

        @Test
        @HardTimeout(seconds = 1)
        void waitsForSibling() throws InterruptedException {
            CountDownLatch siblingRan = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().name("weft-monitor-holder").unstarted(() -> {
                synchronized (LOCK) {
                    try {
                        siblingRan.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // released by the test's cleanup
                    }
                }
            });
            Thread sibling = Thread.ofVirtual().name("weft-sibling").unstarted(siblingRan::countDown);
            holder.start();
            try {
                dev.weft.testing.Await.until(() -> holder.getState() == Thread.State.WAITING,
                        Duration.ofSeconds(10), "the holder to wait inside the monitor");
                sibling.start();
                holder.join();
                sibling.join();
            } finally {
                holder.interrupt(); // frees the carrier if the holder pinned it
                holder.join();
                if (sibling.getState() != Thread.State.NEW) {
                    sibling.join();
                }
            }
        }
    }

    /** Blocks in class initializers, the one kind of pinning every JDK from 21 to 25 still has. */
    public static final class SlowClassInitializers {
        private SlowClassInitializers() {}

        static void blockBriefly() {
            try {
                // Blocking here is the point: a virtual thread that parks in <clinit> cannot unmount.
                new CountDownLatch(1).await(Duration.ofMillis(25).toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Initialized by {@link PinsACarrier}. */
        public static final class ForFixture {
            static {
                blockBriefly();
            }

            private ForFixture() {}

            public static void touch() {}
        }

        /** Initialized by the recorder's self-test. */
        public static final class ForRecorder {
            static {
                blockBriefly();
            }

            private ForRecorder() {}

            public static void touch() {}
        }
    }

    /** Blocks while holding a monitor: pins on JDK 21-23, and on JDK 24+ only under legacy locking. */
    public static final class HoldsAMonitor {
        private static final Object LOCK = new Object();

        private HoldsAMonitor() {}

        public static void blockWhileHoldingTheMonitor() {
            synchronized (LOCK) {
                SlowClassInitializers.blockBriefly();
            }
        }
    }
}
