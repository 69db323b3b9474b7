package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.misbehaving.Misbehaving;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The hard timeout: resolution of its value, the dump it writes, and that a wedged test cannot wedge the run. */
class HardTimeoutTest {
    private Thread beforeEachThread;

    @BeforeEach
    void rememberThread() {
        beforeEachThread = Thread.currentThread();
    }

    @Test
    @Tag("concurrency")
    void extensionIsRegisteredAndRunsLifecycleAndTestOnOneRunnerThread() {
        assertThat(Thread.currentThread().getName()).startsWith("test-runner-");
        assertThat(Thread.currentThread()).isSameAs(beforeEachThread);
        assertThat(Thread.currentThread().isVirtual()).isFalse();
    }

    @Test
    void timeoutPrefersTheInvokedMethodThenTheTestThenTheClassThenTheConfiguration() {
        Optional<HardTimeout> three = Optional.of(timeout(3));
        Optional<HardTimeout> five = Optional.of(timeout(5));
        Optional<HardTimeout> seven = Optional.of(timeout(7));
        Optional<String> nine = Optional.of("9");
        assertThat(WeftTestExtension.timeout(three, five, seven, nine)).isEqualTo(Duration.ofSeconds(3));
        assertThat(WeftTestExtension.timeout(Optional.empty(), five, seven, nine)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WeftTestExtension.timeout(Optional.empty(), Optional.empty(), seven, nine))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(WeftTestExtension.timeout(Optional.empty(), Optional.empty(), Optional.empty(), nine))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(WeftTestExtension.timeout(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))
                .isEqualTo(Duration.ofSeconds(WeftTestExtension.DEFAULT_TIMEOUT_SECONDS));
    }

    @Test
    void timeoutRejectsNonsense() {
        assertThatThrownBy(() -> WeftTestExtension.timeout(Optional.of(timeout(0)), Optional.empty(),
                Optional.empty(), Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> WeftTestExtension.timeout(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("soon"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WeftTestExtension.TIMEOUT_SECONDS);
    }

    @Test
    void aHangingTestFailsWithADumpOfAllThreadsIncludingVirtualOnes() throws Exception {
        Path dump = ThreadDumps.buildDirectory().resolve("thread-dumps")
                .resolve(Misbehaving.Hangs.class.getName() + ".hangs.txt");
        Files.deleteIfExists(dump);

        FixtureRun.Outcome outcome = FixtureRun.run(Misbehaving.Hangs.class).test("hangs");

        assertThat(outcome.failure()).isInstanceOf(HardTimeoutError.class)
                .hasMessageContaining("did not complete within 1 s")
                .hasMessageContaining(dump.toString())
                .hasMessageContaining("ended after being interrupted");
        assertThat(outcome.failure().getStackTrace()).as("the test thread's stack when the timeout fired")
                .anyMatch(frame -> frame.getMethodName().equals("hangs"));
        String text = Files.readString(dump);
        assertThat(text).contains("\"hang-witness\" virtual").contains("Misbehaving$Hangs.hangs");
    }

    @Test
    void aTestThatIgnoresTheInterruptIsAbandonedAndTheRunGoesOn() throws InterruptedException {
        long start = System.nanoTime();
        FixtureRun run = FixtureRun.run(Misbehaving.IgnoresInterrupt.class);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            assertThat(run.test("ignoresInterrupts").failure()).isInstanceOf(HardTimeoutError.class)
                    .hasMessageContaining("ignored the interrupt for 500 ms and was abandoned");
            assertThat(run.container(Misbehaving.IgnoresInterrupt.class).failed()).isFalse();
            assertThat(Misbehaving.IgnoresInterrupt.ENDED.getCount()).as("still wedged").isEqualTo(1);
            assertThat(tookMillis).as("1 s timeout + 0.5 s grace, not forever").isLessThan(30_000);
        } finally {
            Misbehaving.IgnoresInterrupt.RELEASE.countDown();
        }
        assertThat(Misbehaving.IgnoresInterrupt.ENDED.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void lifecycleMethodsAreBoundedToo() throws Exception {
        Path dump = ThreadDumps.buildDirectory().resolve("thread-dumps")
                .resolve(Misbehaving.HangsInBeforeEach.class.getName() + ".neverRuns.beforeEach-setUp.txt");
        Files.deleteIfExists(dump);

        Throwable failure = FixtureRun.run(Misbehaving.HangsInBeforeEach.class).test("neverRuns").failure();

        assertThat(failure).isInstanceOf(HardTimeoutError.class).hasMessageContaining("[beforeEach-setUp]")
                .hasMessageContaining(dump.toString());
        assertThat(dump).exists();
    }

    @Test
    void dynamicTestsAreBoundedByTheirFactorysTimeout() throws Exception {
        Path dump = ThreadDumps.buildDirectory().resolve("thread-dumps")
                .resolve(Misbehaving.HangsInDynamicTest.class.getName() + ".factory.hangs_forever.txt");
        Files.deleteIfExists(dump);

        FixtureRun.Outcome outcome = FixtureRun.run(Misbehaving.HangsInDynamicTest.class).all().stream()
                .filter(o -> o.id().getDisplayName().equals("hangs forever")).findFirst().orElseThrow();

        assertThat(outcome.failure()).isInstanceOf(HardTimeoutError.class)
                .hasMessageStartingWith(Misbehaving.HangsInDynamicTest.class.getName()
                        + ".factory() [hangs forever] did not complete within 1 s")
                .hasMessageContaining(dump.toString());
        assertThat(dump).exists();
    }

    @Test
    void aHangingPropertyReportsItsSeedAndTheReplayCommand() {
        Throwable failure = FixtureRun.run(Misbehaving.HangsInProperty.class).test("propertyHangs").failure();

        assertThat(failure).isInstanceOf(HardTimeoutError.class)
                .hasMessageContaining("QuickTheories seeds used by this test")
                .hasMessageContaining("mvn verify -Dtest='" + Misbehaving.HangsInProperty.class.getName()
                        + "#propertyHangs' -Dsurefire.failIfNoSpecifiedTests=false -DQT_SEED=");
    }

    private static HardTimeout timeout(long seconds) {
        return new HardTimeout() {
            @Override
            public long seconds() {
                return seconds;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return HardTimeout.class;
            }
        };
    }
}
