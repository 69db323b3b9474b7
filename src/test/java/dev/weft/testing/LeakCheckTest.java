package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.misbehaving.Misbehaving;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The leak check on its own, and wired into every test by the extension. */
class LeakCheckTest {

    @Test
    @Tag("concurrency")
    void aLeakedVirtualThreadIsNamedWithItsStackAndBlamedOnce() throws InterruptedException {
        LeakCheck.Baseline baseline = LeakCheck.baseline();
        CountDownLatch release = new CountDownLatch(1);
        Thread leaked = Thread.ofVirtual().name("weft-unit-leak").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(() -> LeakCheck.verify(baseline, Duration.ofMillis(50), "the unit"))
                    .isInstanceOf(LeakError.class)
                    .hasMessageContaining("Leak after the unit")
                    .hasMessageContaining("#" + leaked.threadId() + " \"weft-unit-leak\" virtual")
                    .hasMessageContaining("CountDownLatch.await")
                    .hasMessageContaining(getClass().getName());
            LeakCheck.verify(baseline, Duration.ZERO, "the next unit"); // quarantined: reported once
        } finally {
            release.countDown();
            leaked.join();
        }
    }

    @Test
    void whatWasAliveAtTheBaselineIsNotBlamed() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread older = Thread.ofVirtual().name("weft-unit-older").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            LeakCheck.verify(LeakCheck.baseline(), Duration.ZERO, "a unit that started nothing");
        } finally {
            release.countDown();
            older.join();
        }
    }

    @Test
    void aLeakedProcessIsNamedAndDestroyed() throws IOException {
        LeakCheck.Baseline baseline = LeakCheck.baseline();
        Process process = new ProcessBuilder("sleep", "120").start();
        try {
            assertThatThrownBy(() -> LeakCheck.verify(baseline, Duration.ofMillis(50), "the unit"))
                    .isInstanceOf(LeakError.class)
                    .hasMessageContaining("pid " + process.pid() + ": ")
                    .hasMessageContaining("sleep 120")
                    .hasMessageContaining("destroyed forcibly");
            assertThat(process.isAlive()).isFalse();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void theExtensionFailsTestsThatLeakVirtualThreads() throws InterruptedException {
        FixtureRun run = FixtureRun.run(Misbehaving.LeaksVirtualThread.class);
        try {
            assertThat(run.test("leaksAVirtualThread").failure()).isInstanceOf(LeakError.class)
                    .hasMessageContaining("Misbehaving$LeaksVirtualThread.leaksAVirtualThread()")
                    .hasMessageContaining("still alive 500 ms after it ended")
                    .hasMessageContaining("\"weft-leaky-virtual\" virtual");
        } finally {
            Misbehaving.LeaksVirtualThread.RELEASE.countDown();
            Misbehaving.LeaksVirtualThread.leaked.join();
        }
    }

    @Test
    void theExtensionFailsTestsThatLeakPlatformThreads() throws InterruptedException {
        FixtureRun run = FixtureRun.run(Misbehaving.LeaksPlatformThread.class);
        try {
            assertThat(run.test("leaksAPlatformThread").failure()).isInstanceOf(LeakError.class)
                    .hasMessageContaining("\"weft-leaky-platform\"")
                    .hasMessageNotContaining("\"weft-leaky-platform\" virtual");
        } finally {
            Misbehaving.LeaksPlatformThread.RELEASE.countDown();
            Misbehaving.LeaksPlatformThread.leaked.join();
        }
    }

    @Test
    void theExtensionFailsTestsThatLeakProcessesAndKillsThem() {
        FixtureRun run = FixtureRun.run(Misbehaving.LeaksProcess.class);
        ProcessHandle leaked = Misbehaving.LeaksProcess.leaked;
        try {
            assertThat(run.test("leaksAProcess").failure()).isInstanceOf(LeakError.class)
                    .hasMessageContaining("pid " + leaked.pid() + ": ")
                    .hasMessageContaining("sleep 120");
            assertThat(leaked.isAlive()).isFalse();
        } finally {
            leaked.destroyForcibly();
        }
    }

    @Test
    void classFixturesAreBlamedOnTheClassNotOnItsTests() throws InterruptedException {
        FixtureRun run = FixtureRun.run(Misbehaving.LeaksFromBeforeAll.class);
        try {
            assertThat(run.test("usesTheFixture").failed()).isFalse();
            assertThat(run.container(Misbehaving.LeaksFromBeforeAll.class).failure()).isInstanceOf(LeakError.class)
                    .hasMessageContaining("(class level)")
                    .hasMessageContaining("\"weft-class-fixture\" virtual");
        } finally {
            Misbehaving.LeaksFromBeforeAll.RELEASE.countDown();
            Misbehaving.LeaksFromBeforeAll.leaked.join();
        }
    }

    @Test
    void testsThatCleanUpPassIncludingThreadsThatEndWithinTheDeadline() {
        FixtureRun run = FixtureRun.run(Misbehaving.CleansUp.class);

        assertThat(run.all()).isNotEmpty().allSatisfy(outcome -> assertThat(outcome.failed())
                .as(outcome.id().getDisplayName() + ": " + outcome.result().getThrowable()).isFalse());
        assertThat(run.all()).filteredOn(o -> o.id().isTest()).hasSize(3);
    }

    @Test
    void aNestedClassFixtureIsNotBlamedOnTheNestedTests() {
        FixtureRun run = FixtureRun.run(Misbehaving.NestedFixture.class);

        assertThat(run.all()).filteredOn(o -> o.id().isTest()).hasSize(2);
        assertThat(run.all()).allSatisfy(outcome -> assertThat(outcome.failed())
                .as(outcome.id().getDisplayName() + ": " + outcome.result().getThrowable()).isFalse());
    }

    @Test
    void aVerificationWithNothingToFindIsCheap() {
        LeakCheck.Baseline baseline = LeakCheck.baseline();
        int rounds = 50;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            LeakCheck.verify(baseline, Duration.ZERO, "nothing");
        }
        long perCheckMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / rounds;
        System.err.println("LeakCheck.verify with nothing leaked: " + perCheckMicros + " us per check");
        assertThat(perCheckMicros).as("a generous bound; typical is 1-3 ms").isLessThan(250_000);
    }
}
