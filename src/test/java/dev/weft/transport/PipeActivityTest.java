package dev.weft.transport;

import dev.weft.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipeActivityTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void aDoneReaderIsSettled() throws Exception {
        PipeActivity activity = new PipeActivity();
        activity.done();
        activity.reading(); // ignored: done is final

        assertThat(activity.awaitSettled(System.nanoTime(), HOUR, HOUR)).isTrue();
    }

    @Test
    void aReaderBlockedForTheQuietPeriodIsSettled() throws Exception {
        PipeActivity activity = new PipeActivity();
        activity.reading();

        assertThat(activity.awaitSettled(System.nanoTime(), MS, HOUR)).isTrue();
    }

    @Test
    void aBusyReaderRunsOutOfBudget() throws Exception {
        PipeActivity activity = new PipeActivity();
        activity.busy();

        assertThat(activity.awaitSettled(System.nanoTime(), MS, MS)).isFalse();
    }

    @Test
    @Tag("concurrency")
    void waitingForTheReceiverDoesNotSpendTheBudget() throws Exception {
        PipeActivity activity = new PipeActivity();
        activity.waitingForRoom();
        CompletableFuture<Boolean> settled = new CompletableFuture<>();
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                settled.complete(activity.awaitSettled(System.nanoTime(), MS, MS));
            } catch (Throwable e) {
                settled.completeExceptionally(e);
            }
        });

        // untimed wait: the watcher waits for the receiver, not for a budget to run out
        Await.until(() -> watcher.getState() == Thread.State.WAITING, Peers.PATIENCE, "the watcher waits");
        assertThat(settled).isNotDone();
        activity.done();

        assertThat(settled.get(10, TimeUnit.SECONDS)).isTrue();
    }
}
