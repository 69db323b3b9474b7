package dev.weft.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Properties of TaskScope over random subtask trees: nested scopes whose leaves succeed, fail, or block until
 * cancelled, each after a random delay. A tree is decoded from a list of integers, so QuickTheories shrinks a failing
 * tree by shrinking the list; a failing run prints its seed, and {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class TaskScopePropertyTest {

    /** A subtask tree. */
    sealed interface Node permits Succeed, Fail, Block, Inner {
    }

    record Succeed(int value, int delayMicros) implements Node {
    }

    record Fail(int id, int delayMicros) implements Node {
    }

    /** Blocks until interrupted; only generated where a failing sibling guarantees the interrupt. */
    record Block() implements Node {
    }

    record Inner(List<Node> children) implements Node {
    }

    static final class Injected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int id;

        Injected(int id) {
            super("injected failure " + id, null, false, false);
            this.id = id;
        }
    }

    /** Decodes a tree from integers; blocked leaves without a failing sibling become successes. */
    static Node decode(List<Integer> codes) {
        Iterator<Integer> it = codes.iterator();
        int[] nextFailId = {0};
        Node root = node(it, 0, nextFailId);
        return root instanceof Block ? new Succeed(0, 0) : root; // nothing would cancel it

    }

    private static Node node(Iterator<Integer> it, int depth, int[] nextFailId) {
        int code = it.hasNext() ? it.next() : 2;
        int kind = code % 10;
        int delay = (code / 10) % 5 * 100;
        if (kind <= 2 && depth < 3) {
            int n = 1 + (it.hasNext() ? it.next() : 0) % 4;
            List<Node> children = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                children.add(node(it, depth + 1, nextFailId));
            }
            boolean someChildFails = children.stream().anyMatch(TaskScopePropertyTest::fails);
            if (!someChildFails) {
                children.replaceAll(c -> c instanceof Block ? new Succeed(0, 0) : c);
            }
            return new Inner(List.copyOf(children));
        }
        if (kind <= 5) {
            return new Succeed(code, delay);
        }
        if (kind <= 7) {
            return new Fail(nextFailId[0]++, delay);
        }
        return new Block();
    }

    static boolean fails(Node node) {
        return switch (node) {
            case Fail f -> true;
            case Inner i -> i.children().stream().anyMatch(TaskScopePropertyTest::fails);
            case Succeed s -> false;
            case Block b -> false;
        };
    }

    static long sum(Node node) {
        return switch (node) {
            case Succeed s -> s.value();
            case Inner i -> i.children().stream().mapToLong(TaskScopePropertyTest::sum).sum();
            case Fail f -> throw new IllegalArgumentException("fails");
            case Block b -> 0;
        };
    }

    static Set<Integer> failIds(Node node) {
        return switch (node) {
            case Fail f -> Set.of(f.id());
            case Inner i -> i.children().stream().flatMap(c -> failIds(c).stream()).collect(Collectors.toSet());
            default -> Set.of();
        };
    }

    /** Runs a tree: leaves as themselves, inner nodes as a scope with a subtask per child. */
    static long run(Node node, ThreadFactory factory) throws Exception {
        return switch (node) {
            case Succeed s -> {
                delay(s.delayMicros());
                yield s.value();
            }
            case Fail f -> {
                delay(f.delayMicros());
                throw new Injected(f.id());
            }
            case Block b -> {
                new CountDownLatch(1).await(); // until the scope is cancelled
                throw new AssertionError("a blocked leaf returned");
            }
            case Inner inner -> {
                try (TaskScope scope = TaskScope.open(c -> c.withName("weft-prop").withThreadFactory(factory))) {
                    List<TaskScope.Subtask<Long>> subtasks = new ArrayList<>();
                    for (Node child : inner.children()) {
                        subtasks.add(scope.fork(() -> run(child, factory)));
                    }
                    scope.join();
                    long total = 0;
                    for (TaskScope.Subtask<Long> s : subtasks) {
                        assertThat(s.state()).isEqualTo(TaskScope.Subtask.State.SUCCESS);
                        total += s.get();
                    }
                    yield total;
                }
            }
        };
    }

    private static void delay(int micros) {
        if (micros > 0) {
            LockSupport.parkNanos(micros * 1_000L); // an injected delay, not a wait for a condition
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Records every thread it makes, so that the test can prove none outlives the tree. */
    static final class RecordingFactory implements ThreadFactory {
        final ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
        private final ThreadFactory virtual = Thread.ofVirtual().name("weft-prop-", 0).factory();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = virtual.newThread(r);
            made.add(t);
            return t;
        }

        void assertAllTerminate() throws InterruptedException {
            for (Thread t : made) {
                assertThat(t.join(Duration.ofSeconds(10))).as("thread %s terminated", t).isTrue();
            }
        }
    }

    @Test
    void treeSucceedsWithTheSumOrFailsWithAnInjectedFailureOfItsOwnAndLeavesNoThread() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 999)).ofSizeBetween(1, 40))
                .checkAssert(codes -> {
                    Node tree = new Inner(List.of(decode(codes))); // a scope at the root, always
                    RecordingFactory factory = new RecordingFactory();
                    try {
                        long result = run(tree, factory);
                        assertThat(fails(tree)).as("tree %s succeeded", tree).isFalse();
                        assertThat(result).isEqualTo(sum(tree));
                    } catch (TaskScope.FailedException e) {
                        assertThat(fails(tree)).as("tree %s failed: %s", tree, e).isTrue();
                        assertThat(rootCause(e)).isInstanceOf(Injected.class);
                        assertThat(failIds(tree)).contains(((Injected) rootCause(e)).id);
                    } catch (Exception e) {
                        throw new AssertionError("tree " + tree + " ended with " + e, e);
                    }
                    try {
                        factory.assertAllTerminate();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void cancelFromAnotherThreadAtARandomMomentEndsTheTreeCleanly() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, 999)).ofSizeBetween(1, 30), integers().between(0, 500))
                .checkAssert((codes, cancelAfterMicros) -> {
                    Node tree = decode(codes);
                    RecordingFactory factory = new RecordingFactory();
                    Throwable outcome;
                    try (TaskScope root = TaskScope.open(c -> c.withName("weft-prop-root")
                            .withThreadFactory(factory))) {
                        TaskScope.Subtask<Long> result = root.fork(() -> run(tree, factory));
                        Thread canceller = Thread.ofVirtual().name("weft-prop-canceller").start(() -> {
                            delay(cancelAfterMicros);
                            root.cancel();
                        });
                        try {
                            root.join();
                            outcome = null;
                            assertThat(result.get()).isEqualTo(sum(tree));
                        } catch (CancellationException | TaskScope.FailedException e) {
                            outcome = e;
                        }
                        canceller.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    if (outcome == null) {
                        assertThat(fails(tree)).isFalse();
                    } else if (outcome instanceof TaskScope.FailedException) {
                        assertThat(fails(tree)).isTrue();
                        assertThat(failIds(tree)).contains(((Injected) rootCause(outcome)).id);
                    }
                    try {
                        factory.assertAllTerminate();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }
}
