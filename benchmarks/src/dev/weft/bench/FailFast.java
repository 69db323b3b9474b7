package dev.weft.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Benchmark 3: from the end of the wire under the reader to the moment the last pending call has failed.
 *
 * <p>One repetition: open a fresh wire and make one {@code echo} call (the time to that first answer is the start cost,
 * reported apart); start {@code pending} virtual threads that each call {@code hang}, which is never answered; wait
 * until the wire counts them all as pending and every caller is parked waiting for its answer; then take the time,
 * {@link Wire#cut() cut} the wire, and join the callers. Each caller takes the time as soon as its call throws. The
 * figure is the latest of those times minus the time taken just before the cut. Every caller must have failed with the
 * wire's {@link Wire#endedType() end exception}. Repetitions during which the JVM collected garbage between the cut
 * and the last join are counted, not dropped. Repetitions alternate between baseline and Weft; the first
 * {@code warm} of each are discarded.
 */
final class FailFast {
    /** How long the callers may take to become pending before the repetition is abandoned as broken. */
    private static final long SETTLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** One side of a row: the end-to-failure times, the start costs, and how many repetitions had a GC in the timed part. */
    record Side(Samples failTimes, Samples startTimes, AtomicInteger repsWithGc) {
        Side() {
            this(new Samples(), new Samples(), new AtomicInteger());
        }
    }

    record Result(String name, int pending, Side baseline, Side weft, String loadBefore, String loadAfter) {
    }

    private FailFast() {
    }

    static Result compare(String name, Supplier<Wire> baselineWire, Supplier<Wire> weftWire, int pending, int warm,
                          int reps) throws InterruptedException {
        String loadBefore = Machine.load1();
        Side baseline = new Side();
        Side weft = new Side();
        for (int rep = 0; rep < warm + reps; rep++) {
            boolean measured = rep >= warm;
            if (rep % 2 == 0) {
                once(baselineWire, pending, measured ? baseline : null);
                once(weftWire, pending, measured ? weft : null);
            } else {
                once(weftWire, pending, measured ? weft : null);
                once(baselineWire, pending, measured ? baseline : null);
            }
        }
        return new Result(name, pending, baseline, weft, loadBefore, Machine.load1());
    }

    private static void once(Supplier<Wire> factory, int pending, Side into) throws InterruptedException {
        long opening = System.nanoTime();
        try (Wire wire = factory.get()) {
            try {
                wire.call(Wire.ECHO, Wire.PARAMS);
            } catch (Exception e) {
                throw new IllegalStateException("first call failed on " + wire, e);
            }
            long started = System.nanoTime() - opening;

            long[] failedAt = new long[pending];
            Throwable[] outcomes = new Throwable[pending];
            List<Thread> callers = new ArrayList<>(pending);
            for (int i = 0; i < pending; i++) {
                int me = i;
                callers.add(Thread.ofVirtual().name("bench-pending-" + i).start(() -> {
                    try {
                        wire.call(Wire.HANG, Wire.PARAMS);
                        outcomes[me] = new AssertionError("a hang call was answered");
                    } catch (Exception e) {
                        failedAt[me] = System.nanoTime();
                        outcomes[me] = e;
                    }
                }));
            }
            awaitParked(wire, callers);

            long gcsBefore = collections();
            long cutAt = System.nanoTime();
            wire.cut();
            for (Thread caller : callers) {
                caller.join();
            }
            boolean collected = collections() != gcsBefore;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < pending; i++) {
                if (!wire.endedType().isInstance(outcomes[i])) {
                    throw new IllegalStateException("caller " + i + " on " + wire + " ended with " + outcomes[i],
                            outcomes[i]);
                }
                last = Math.max(last, failedAt[i]);
            }
            if (into != null) {
                into.failTimes().add(last - cutAt);
                into.startTimes().add(started);
                if (collected) {
                    into.repsWithGc().incrementAndGet();
                }
            }
        }
    }

    /** How many collections all of this JVM's collectors have run so far. */
    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** Waits until every call is pending on the wire and every caller is parked in a timed wait for its answer. */
    private static void awaitParked(Wire wire, List<Thread> callers) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT_NANOS;
        while (wire.pending() < callers.size()
                || !callers.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(wire.pending() + " of " + callers.size() + " calls pending on "
                        + wire + " after " + TimeUnit.NANOSECONDS.toSeconds(SETTLE_LIMIT_NANOS) + " s");
            }
            Thread.sleep(1); // polling a condition with a deadline, outside the timed part
        }
    }
}
