package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scope.TaskScope.Subtask;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The semantics TaskScope mirrors from the JDK's structured task scope, plus cancel hooks. */
@Tag("concurrency")
class TaskScopeTest {

    @Test
    void joinReturnsWhenAllSucceedAndResultsAreVisible() throws Exception {
        try (TaskScope scope = TaskScope.open()) {
            Subtask<String> a = scope.fork(() -> "a");
            Subtask<Integer> b = scope.fork(() -> 2);
            scope.join();
            assertThat(a.state()).isEqualTo(Subtask.State.SUCCESS);
            assertThat(a.get()).isEqualTo("a");
            assertThat(b.get()).isEqualTo(2);
        }
    }

    @Test
    void firstFailureInterruptsEverySiblingAndJoinThrowsItAsCause() throws Exception {
        CountDownLatch siblingsWaiting = new CountDownLatch(3);
        AtomicInteger interrupted = new AtomicInteger();
        IOException boom = new IOException("boom");
        try (TaskScope scope = TaskScope.open()) {
            for (int i = 0; i < 3; i++) {
                scope.fork(() -> {
                    siblingsWaiting.countDown();
                    try {
                        new CountDownLatch(1).await(); // until interrupted
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                    }
                    return null;
                });
            }
            scope.fork(() -> {
                siblingsWaiting.await();
                throw boom;
            });
            assertThatThrownBy(scope::join).isInstanceOf(TaskScope.FailedException.class).hasCause(boom);
            assertThat(scope.isCancelled()).isTrue();
        }
        assertThat(interrupted).hasValue(3); // close waited for all three
    }

    @Test
    void subtaskThatFailedIsFailedAndSiblingsCompletingAfterCancelAreUnavailable() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open()) {
            Subtask<Object> failing = scope.fork(() -> {
                throw new IllegalStateException("x");
            });
            Subtask<String> late = scope.fork(() -> {
                try {
                    failed.await();
                } catch (InterruptedException e) {
                    return "finished after cancel";
                }
                return "never";
            });
            assertThatThrownBy(scope::join).isInstanceOf(TaskScope.FailedException.class);
            failed.countDown();
            scope.close();
            assertThat(failing.state()).isEqualTo(Subtask.State.FAILED);
            assertThat(failing.exception()).isInstanceOf(IllegalStateException.class);
            assertThat(late.state()).isEqualTo(Subtask.State.UNAVAILABLE);
            assertThatThrownBy(late::get).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void timeoutCancelsTheScopeAndJoinThrowsTimeoutException() throws Exception {
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        try (TaskScope scope = TaskScope.open(c -> c.withTimeout(Duration.ofMillis(50)))) {
            scope.fork(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    sawInterrupt.set(true);
                }
                return null;
            });
            assertThatThrownBy(scope::join).isInstanceOf(TaskScope.TimeoutException.class);
            assertThat(scope.isCancelled()).isTrue();
        }
        assertThat(sawInterrupt).isTrue();
    }

    @Test
    void timeoutCancelsEvenWhenTheOwnerIsNotJoining() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open(c -> c.withTimeout(Duration.ofMillis(20)))) {
            scope.fork(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            });
            interrupted.await(); // the deadline alone cancels the scope
            assertThat(scope.isCancelled()).isTrue();
            assertThatThrownBy(scope::join).isInstanceOf(TaskScope.TimeoutException.class);
        }
    }

    @Test
    void closeCancelsAndWaitsForEveryForkEvenWhenInterruptedThenRestoresTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        TaskScope scope = TaskScope.open();
        scope.fork(() -> {
            worker.set(Thread.currentThread());
            started.countDown();
            while (true) {
                try {
                    release.await(); // ignores interrupts until released
                    return null;
                } catch (InterruptedException e) {
                    // keep waiting: close must still wait for this thread
                }
            }
        });
        started.await();
        Thread owner = Thread.currentThread();
        Thread releaser = Thread.ofVirtual().start(() -> {
            owner.interrupt(); // interrupt the owner while it is in close
            release.countDown();
        });
        scope.close();
        assertThat(worker.get().isAlive()).isFalse();
        assertThat(Thread.interrupted()).isTrue(); // restored, and cleared here
        releaser.join();
    }

    @Test
    void forkAfterCancelReturnsANeverRunSubtask() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (TaskScope scope = TaskScope.open()) {
            scope.cancel();
            Subtask<Object> s = scope.fork(() -> {
                ran.set(true);
                return null;
            });
            assertThatThrownBy(scope::join).isInstanceOf(CancellationException.class);
            assertThat(s.state()).isEqualTo(Subtask.State.UNAVAILABLE);
        }
        assertThat(ran).isFalse();
    }

    @Test
    void forkAfterJoinOrCloseIsIllegalState() throws Exception {
        TaskScope scope = TaskScope.open();
        scope.join();
        assertThatThrownBy(() -> scope.fork(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
        scope.close();
        assertThatThrownBy(() -> scope.fork(() -> 1)).isInstanceOf(IllegalStateException.class);
        scope.close(); // idempotent
    }

    @Test
    void forkJoinAndCloseFromAnotherThreadAreWrongThread() throws Exception {
        try (TaskScope scope = TaskScope.open()) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            Thread other = Thread.ofVirtual().start(() -> {
                for (Runnable r : List.<Runnable>of(() -> scope.fork(() -> 1), () -> {
                    try {
                        scope.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }, scope::close)) {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }
                scope.cancel(); // any thread may cancel
            });
            other.join();
            assertThat(errors).hasSize(3).allMatch(t -> t instanceof WrongThreadException);
            assertThat(scope.isCancelled()).isTrue();
        }
    }

    @Test
    void getBeforeJoinIsIllegalStateForTheOwner() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open()) {
            Subtask<Integer> s = scope.fork(() -> {
                done.countDown();
                return 1;
            });
            done.await();
            assertThatThrownBy(s::get).isInstanceOf(IllegalStateException.class);
            scope.join();
            assertThat(s.get()).isEqualTo(1);
        }
    }

    @Test
    void interruptedJoinCancelsTheScope() throws Exception {
        AtomicBoolean subtaskInterrupted = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open()) {
            scope.fork(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    subtaskInterrupted.set(true);
                }
                return null;
            });
            started.await();
            Thread.currentThread().interrupt();
            assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
            assertThat(scope.isCancelled()).isTrue();
        }
        assertThat(subtaskInterrupted).isTrue();
    }

    @Test
    void threadsAreNamedAfterTheScopeAndComeFromAnInjectedFactory() throws Exception {
        List<Thread> made = new ArrayList<>();
        ThreadFactory virtual = Thread.ofVirtual().name("weft-test-injected-", 0).factory();
        ThreadFactory recording = r -> {
            Thread t = virtual.newThread(r);
            made.add(t); // owner-only: fork is called by the owner
            return t;
        };
        AtomicReference<String> defaultName = new AtomicReference<>();
        try (TaskScope scope = TaskScope.open(c -> c.withName("weft-named"))) {
            scope.fork(() -> defaultName.getAndSet(Thread.currentThread().getName()));
            scope.join();
        }
        assertThat(defaultName.get()).isEqualTo("weft-named-0");
        try (TaskScope scope = TaskScope.open(c -> c.withThreadFactory(recording))) {
            scope.fork(() -> 1);
            scope.fork(() -> 2);
            scope.join();
        }
        assertThat(made).extracting(Thread::getName).containsExactly("weft-test-injected-0", "weft-test-injected-1");
    }

    @Test
    void cancelHookUnblocksWorkThatInterruptDoesNotWake() throws Exception {
        // A subtask blocked in a read that ignores interrupts, like a pipe read: only the hook can end it.
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch resource = new CountDownLatch(1);
        AtomicInteger hookRuns = new AtomicInteger();
        TaskScope scope = TaskScope.open();
        scope.onCancel(() -> {
            hookRuns.incrementAndGet();
            resource.countDown();
        });
        Subtask<String> reader = scope.fork(() -> {
            blocked.countDown();
            boolean done = false;
            while (!done) {
                try {
                    resource.await();
                    done = true;
                } catch (InterruptedException ignored) {
                    // deaf to interrupts
                }
            }
            return "unblocked";
        });
        blocked.await();
        scope.close(); // would hang without the hook
        assertThat(hookRuns).hasValue(1);
        assertThat(reader.state()).isEqualTo(Subtask.State.UNAVAILABLE);
    }

    @Test
    void hookRegisteredAfterCancelRunsAtOnceAndWithdrawnHookNeverRuns() throws Exception {
        AtomicInteger withdrawnRuns = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (TaskScope scope = TaskScope.open()) {
            TaskScope.Registration withdrawn = scope.onCancel(withdrawnRuns::incrementAndGet);
            withdrawn.close();
            scope.cancel();
            scope.cancel();
            scope.onCancel(() -> ranOn.set(Thread.currentThread()));
            assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        }
        assertThat(withdrawnRuns).hasValue(0);
    }

    @Test
    void failingHookDoesNotStopTheOthers() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (TaskScope scope = TaskScope.open()) {
            scope.onCancel(() -> {
                throw new IOException("hook failed");
            });
            scope.onCancel(runs::incrementAndGet);
            scope.onCancel(runs::incrementAndGet);
        }
        assertThat(runs).hasValue(2);
    }

    @Test
    void aLongLivedScopeForgetsItsTerminatedThreads() throws Exception {
        try (TaskScope scope = TaskScope.open()) {
            for (int i = 0; i < 1_000; i++) {
                AtomicReference<Thread> ran = new AtomicReference<>();
                CountDownLatch done = new CountDownLatch(1);
                scope.fork(() -> {
                    ran.set(Thread.currentThread());
                    done.countDown();
                });
                done.await();
                ran.get().join(); // every earlier thread has terminated before the next fork
            }
            assertThat(((TaskScopeImpl) scope).trackedThreads()).isLessThanOrEqualTo(65);
            scope.join();
        }
    }

    @Test
    void runnableForkYieldsNullResult() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (TaskScope scope = TaskScope.open()) {
            Subtask<Void> s = scope.fork(() -> ran.set(true));
            scope.join();
            assertThat(s.get()).isNull();
        }
        assertThat(ran).isTrue();
    }
}
