package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link Await#until}: returns when the condition holds, fails with a dump at the deadline, stops on interrupt. */
@Tag("concurrency")
class AwaitTest {

    @Test
    void returnsOnceAnotherThreadMakesTheConditionTrue() throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        Thread setter = Thread.ofVirtual().start(() -> {
            try {
                go.await();
                done.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(done).isFalse();
        go.countDown();

        Await.until(done::get, Duration.ofSeconds(10), "the setter to set the flag");

        assertThat(done).isTrue();
        setter.join();
    }

    @Test
    void failsAtTheDeadlineWithTheDescriptionAndADumpOfAllThreads() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread witness = Thread.ofVirtual().name("await-witness").start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(() -> Await.until(() -> false, Duration.ofMillis(20), "the impossible"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Timed out after 20 ms waiting for the impossible")
                    .hasMessageContaining("\"await-witness\" virtual")
                    .hasMessageContaining(getClass().getName());
        } finally {
            release.countDown();
            witness.join();
        }
    }

    @Test
    void stopsWaitingWhenInterruptedAndKeepsTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.until(() -> false, Duration.ofSeconds(30), "something"))
                    .isInstanceOf(AssertionError.class).hasMessage("Interrupted while waiting for something");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aConditionThatAlreadyHoldsReturnsEvenWithAZeroDeadline() {
        Await.until(() -> true, Duration.ZERO, "nothing");
    }
}
