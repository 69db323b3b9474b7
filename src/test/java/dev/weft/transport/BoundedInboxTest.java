package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.testing.HardTimeout;
import dev.weft.testing.Props;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The inbox with a direct route: whatever the route declines and whenever the receiver falls behind, the route and the
 * receiver together see each reader's items exactly once and in the order that reader offered them, and the route sees
 * nothing after the end.
 */
@Tag("concurrency")
@HardTimeout(seconds = 120)
class BoundedInboxTest {
    private static final IOException END = new EOFException("test end");

    /** An item: which reader offered it, its place in that reader's sequence, and whether the route declines it. */
    private record Item(int reader, int seq, boolean declined) {
    }

    @Test
    void routeAndReceiverTogetherSeeEveryItemOnceInOfferOrder() {
        Props.qt().withExamples(60).withShrinkCycles(20)
                .forAll(integers().between(1, 3), lists().of(integers().between(0, 9)).ofSizeBetween(1, 200),
                        integers().between(1, 4), integers().between(0, 2))
                .checkAssert((readers, plan, capacityItems, receiverDelay) -> {
                    try {
                        check(readers, plan, capacityItems, receiverDelay);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    /**
     * Each of {@code readers} threads offers the items of {@code plan} (a value under 3 makes the route decline that
     * item, one of 9 makes the reader pause); a receiver takes what is queued, pausing after some items when
     * {@code receiverDelay} says so. Items are one byte each; the inbox holds {@code capacityItems} of them.
     */
    private static void check(int readers, List<Integer> plan, int capacityItems, int receiverDelay)
            throws InterruptedException {
        BoundedInbox<Item> inbox = new BoundedInbox<>(capacityItems, e -> new EOFException(e.getMessage()));
        List<Item> seen = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        inbox.routeDirectly(item -> {
            if (inbox.end() != null) {
                violations.add("routed after the end: " + item);
            }
            if (item.declined()) {
                return false;
            }
            seen.add(item);
            return true;
        });
        AtomicInteger received = new AtomicInteger();
        CountDownLatch receiverDone = new CountDownLatch(1);
        Thread receiver = Thread.ofVirtual().name("weft-test-receiver").start(() -> {
            try {
                while (true) {
                    Item item = inbox.take();
                    if (receiverDelay > 0 && received.incrementAndGet() % (receiverDelay * 3) == 0) {
                        // slow to hand this item on (as when forking a handler): the readers go on meanwhile
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50L * receiverDelay));
                    }
                    seen.add(item);
                }
            } catch (IOException e) {
                if (e.getCause() != END) {
                    violations.add("receiver ended with " + e);
                }
            } finally {
                receiverDone.countDown();
            }
        });
        List<Thread> offering = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int reader = r;
            offering.add(Thread.ofVirtual().name("weft-test-reader-" + r).start(() -> {
                for (int seq = 0; seq < plan.size(); seq++) {
                    int step = plan.get(seq);
                    if (step == 9) {
                        Thread.yield();
                    }
                    try {
                        if (!inbox.offer(new Item(reader, seq, step < 3), 1)) {
                            violations.add("offer refused before the end");
                        }
                    } catch (InterruptedException e) {
                        violations.add("reader interrupted");
                        return;
                    }
                }
            }));
        }
        for (Thread t : offering) {
            t.join();
        }
        // Everything offered is routed or queued; ending without discarding lets the receiver take the rest first.
        inbox.end(END, false);
        assertThat(receiverDone.await(30, TimeUnit.SECONDS)).as("receiver drained and saw the end").isTrue();
        receiver.join();

        assertThat(violations).isEmpty();
        assertThat(seen).hasSize(readers * plan.size());
        for (int r = 0; r < readers; r++) {
            int reader = r;
            List<Integer> order = seen.stream().filter(i -> i.reader() == reader).map(Item::seq).toList();
            assertThat(order).as("reader %d's items, in the order seen", r)
                    .isEqualTo(java.util.stream.IntStream.range(0, plan.size()).boxed().toList());
        }
    }

    @Test
    void aRouteThatThrowsLeavesTheItemToTheReceiver() throws Exception {
        BoundedInbox<String> inbox = new BoundedInbox<>(16, e -> new EOFException(e.getMessage()));
        inbox.routeDirectly(item -> {
            throw new IllegalStateException("route broke on " + item);
        });
        assertThat(inbox.offer("a", 1)).isTrue();
        assertThat(inbox.take()).isEqualTo("a");
    }

    @Test
    void nothingIsRoutedOrQueuedAfterTheEnd() throws Exception {
        BoundedInbox<String> inbox = new BoundedInbox<>(16, e -> new EOFException(e.getMessage()));
        List<String> routed = new ArrayList<>();
        inbox.routeDirectly(routed::add);
        assertThat(inbox.offer("before", 1)).isTrue();
        inbox.end(END, false);
        assertThat(inbox.offer("after", 1)).isFalse();
        assertThat(routed).containsExactly("before");
        assertThatThrownBy(inbox::take).isInstanceOf(EOFException.class).hasCause(END);
    }
}
