package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Benchmarks 1 and 2: round-trip latency and throughput of echo calls, Weft against a baseline, in one JVM.
 *
 * <p>Both wires are opened once and kept. Then rounds alternate between them (baseline first in even rounds, Weft
 * first in odd ones, so that a slow spell of the machine does not favour one side); the first {@code warmRounds} rounds
 * of each are discarded. In a round, {@code callers} virtual threads start together and each makes
 * {@code callsPerCaller} calls back to back, timing each one with {@link System#nanoTime()} and checking its result.
 * Latencies of all measured rounds are pooled for the percentiles; throughput is calls per second of wall time per
 * round, of which the median round is reported.
 */
final class RoundTrips {
    /** One side of a row: pooled latencies and per-round throughput. */
    record Side(Samples latencies, List<Double> callsPerSecond) {
        double medianCallsPerSecond() {
            List<Double> sorted = callsPerSecond.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    record Result(String name, int callers, Side baseline, Side weft, String loadBefore, String loadAfter) {
    }

    private RoundTrips() {
    }

    static Result compare(String name, Supplier<Wire> baselineWire, Supplier<Wire> weftWire, int callers,
                          int callsPerCaller, int warmRounds, int rounds) throws InterruptedException {
        String loadBefore = Machine.load1();
        Side baseline = new Side(new Samples(), new ArrayList<>());
        Side weft = new Side(new Samples(), new ArrayList<>());
        try (Wire b = baselineWire.get(); Wire w = weftWire.get()) {
            for (int round = 0; round < warmRounds + rounds; round++) {
                boolean measured = round >= warmRounds;
                if (round % 2 == 0) {
                    round(b, callers, callsPerCaller, measured ? baseline : null);
                    round(w, callers, callsPerCaller, measured ? weft : null);
                } else {
                    round(w, callers, callsPerCaller, measured ? weft : null);
                    round(b, callers, callsPerCaller, measured ? baseline : null);
                }
            }
        }
        return new Result(name, callers, baseline, weft, loadBefore, Machine.load1());
    }

    /** One round on {@code wire}; its figures go to {@code into} unless that is {@code null} (warm-up). */
    private static void round(Wire wire, int callers, int callsPerCaller, Side into) throws InterruptedException {
        long[][] latencies = new long[callers][callsPerCaller];
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(callers);
        for (int c = 0; c < callers; c++) {
            long[] mine = latencies[c];
            threads.add(Thread.ofVirtual().name("bench-caller-" + c).start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < mine.length; i++) {
                        long start = System.nanoTime();
                        JsonNode result = wire.call(Wire.ECHO, Wire.PARAMS);
                        mine[i] = System.nanoTime() - start;
                        if (!Wire.PARAMS.equals(result)) {
                            throw new AssertionError("wrong echo: " + result);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long wall = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IllegalStateException("a call failed on " + wire, failure.get());
        }
        if (into != null) {
            for (long[] mine : latencies) {
                into.latencies().addAll(mine);
            }
            into.callsPerSecond().add((double) callers * callsPerCaller * 1e9 / wall);
        }
    }
}
