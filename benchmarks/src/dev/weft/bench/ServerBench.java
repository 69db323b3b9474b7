package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The MCP server benchmark's driver: Weft's MCP server and the official MCP Java SDK's, each in a JVM of its own with a
 * class path of its own (built by {@code benchmarks/run}), serving the same two tools over Streamable HTTP on
 * 127.0.0.1, driven by the same load generator ({@link McpHttpLoad}) from this JVM. Every server JVM runs
 * {@code dev.weft.bench.server.ServerChild} through its side's main with the same JDK and the same flags; one server
 * runs at a time, and the two take turns (Weft first, then SDK first, alternating).
 *
 * <p>System properties (set by {@code benchmarks/run}): {@code weft.bench.server.weft} and {@code weft.bench.server.sdk}
 * (class paths), {@code weft.bench.server.dir} (for the servers' logs).
 */
final class ServerBench {
    /** Flags of every server JVM, both sides alike. */
    static final List<String> SERVER_FLAGS = List.of("-Xms1g", "-Xmx1g");
    private static final String TAG = "@bench ";
    private static final String MESSAGE = "the quick brown fox jumps over the lazy dog";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final long ROUND_CAP_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int OPENERS = 16;
    private static final double PER_CORE_TARGET = 1.5;
    private static final double FLAT_P99 = 1.25;
    private static final int[] CALLERS = {1, 16, 64};

    /** How much work each section does. */
    record Size(int passes, int warmSeconds, int cycles, int roundCalls, int latCallers, int latCallsPerCaller,
                int idleSessions, int slowCalls, int slowMs, int windowMs, int windowCallers, int slowCapSeconds) {
        static final Size FULL = new Size(2, 30, 5, 16_384, 4, 2_500, 1_000, 200, 10_000, 5_000, 16, 150);
        static final Size QUICK = new Size(1, 2, 1, 1_024, 4, 250, 100, 20, 2_000, 1_000, 4, 30);
    }

    /** A server under test: its name in the tables, its class path, its main class. */
    private record Side(String name, String classPath, String mainClass) {
    }

    private final Size size;
    private final List<Side> sides;
    private final Path dir;
    private final long clockTicks;
    private int launches;

    private ServerBench(Size size) {
        this.size = size;
        this.sides = List.of(
                new Side("Weft", Machine.property("weft.bench.server.weft"), "dev.weft.bench.server.WeftServer"),
                new Side("SDK", Machine.property("weft.bench.server.sdk"), "dev.weft.bench.server.SdkServer"));
        this.dir = Path.of(Machine.property("weft.bench.server.dir"));
        this.clockTicks = Machine.clockTicks();
    }

    static void run(boolean quick) throws Exception {
        new ServerBench(quick ? Size.QUICK : Size.FULL).runAll();
    }

    private void runAll() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        System.out.println("## MCP server: Weft vs the official MCP Java SDK");
        System.out.println();
        System.out.println("    server JVMs:  " + Machine.java() + " " + String.join(" ", SERVER_FLAGS) + " (each side alike)");
        for (Side side : sides) {
            System.out.println("    " + String.format(Locale.ROOT, "%-13s", side.name() + ":") + "-cp "
                    + side.classPath().replace(System.getProperty("user.dir") + "/", ""));
        }
        System.out.println("    load:         this JVM, Jetty HttpClient (HTTP/1.1) and Jackson, virtual-thread callers");
        System.out.println();
        List<String> passes = new ArrayList<>();
        for (int pass = 0; pass < size.passes(); pass++) {
            boolean last = pass == size.passes() - 1;
            for (Side side : turn(pass)) {
                String loadBefore = Machine.load1();
                long start = System.nanoTime();
                try (ServerProcess server = new ServerProcess(side, "pass-" + (pass + 1));
                     McpHttpLoad load = new McpHttpLoad(server.uri())) {
                    warmUp(side, server, load);
                    throughput(side, server, load);
                    idle(side, server, load);
                    if (last) {
                        slow(side, server, load);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                passes.add(String.format(Locale.ROOT, "| %d | %s | %.0f | %s→%s |", pass + 1, side.name(),
                        seconds, loadBefore, Machine.load1()));
                ObjectNode jvm = Results.array(Results.set("server"), "jvms").addObject();
                jvm.put("pass", pass + 1);
                jvm.put("side", side.name());
                jvm.put("seconds", Results.round(seconds, 1));
                jvm.put("load_before", loadBefore);
                jvm.put("load_after", Machine.load1());
            }
        }
        System.out.println();
        System.out.println("### Server JVMs, in the order they ran");
        System.out.println();
        System.out.println("One JVM per server and pass: warm-up, then 1, then 2 and 3" + (size.passes() > 1
                ? ", and in the last pass 4" : " and 4") + ", one after the other.");
        System.out.println();
        System.out.println("| pass | server | seconds | 1-min load, start→end |");
        System.out.println("|--:|---|--:|---|");
        passes.forEach(System.out::println);
        System.out.println();
        System.out.println(throughputTable());
        System.out.println(idleTables());
        System.out.println(slowTable());
        printTargets();
        record();
    }

    /** Every figure of the set, to {@link Results}. */
    private void record() {
        ObjectNode json = Results.set("server");
        json.put("passes", size.passes());
        json.put("warm_up_s", size.warmSeconds());
        json.put("cycles", size.cycles());
        json.put("calls_per_round", size.roundCalls());
        ArrayNode rows = Results.array(json, "throughput");
        for (int callers : CALLERS) {
            for (Side side : sides) {
                Tput x = tput.get(new Key(side.name(), callers));
                ObjectNode row = rows.addObject();
                row.put("callers", callers);
                row.put("side", side.name());
                row.set("calls_per_s", Results.spread(x.measured.stream().mapToDouble(Round::callsPerSecond).toArray()));
                row.set("calls_per_cpu_s", Results.spread(x.measured.stream().mapToDouble(Round::callsPerCpuSecond)
                        .toArray()));
                row.put("server_cores_median", Results.round(x.median(ServerBench::serverCores), 3));
                row.put("generator_cores_median", Results.round(x.median(ServerBench::driverCores), 3));
                row.put("failed", x.failed());
                row.put("unfinished", x.unfinished());
            }
        }
        int n = size.idleSessions();
        ObjectNode lat = Results.object(json, "idle_latency");
        lat.put("callers", size.latCallers());
        lat.put("calls_per_caller", size.latCallsPerCaller());
        lat.put("idle_sessions", n);
        ArrayNode latRows = Results.array(lat, "rows");
        for (Side side : sides) {
            for (int count : new int[] {0, n}) {
                List<Round> rounds = latency.get(side.name() + "/" + count);
                ObjectNode row = latRows.addObject();
                row.put("side", side.name());
                row.put("idle", count);
                row.set("latency", Results.latency(pooled(rounds)));
                row.put("failed", rounds.stream().mapToLong(r -> r.failed() + r.unfinished()).sum());
            }
        }
        ArrayNode memory = Results.array(json, "memory");
        for (Side side : sides) {
            List<Idle> runs = idle.get(side.name());
            for (int j = 0; j < runs.size(); j++) {
                Idle i = runs.get(j);
                ObjectNode row = memory.addObject();
                row.put("side", side.name());
                row.put("jvm", j + 1);
                row.put("idle_sessions", n);
                row.put("heap_empty_mb", Results.round(i.empty.heapUsed() / 1048576.0, 2));
                row.put("heap_full_mb", Results.round(i.full.heapUsed() / 1048576.0, 2));
                row.put("heap_per_session_kb", Results.round((i.full.heapUsed() - i.empty.heapUsed()) / 1024.0 / n, 3));
                row.put("rss_empty_mb", Results.round(i.empty.rssKb() / 1024.0, 2));
                row.put("rss_full_mb", Results.round(i.full.rssKb() / 1024.0, 2));
                row.put("rss_per_session_kb", Results.round((double) (i.full.rssKb() - i.empty.rssKb()) / n, 3));
                row.put("threads_empty", i.empty.threads());
                row.put("threads_full", i.full.threads());
                row.put("open_s", Results.round(i.openSeconds, 3));
                row.put("failed_opening", sum(i.openFailures));
                row.put("failed_deleting", sum(i.deleteFailures));
                row.put("failed_held", sum(i.idleEchoFailures));
            }
        }
        ObjectNode slowJson = Results.object(json, "slow");
        slowJson.put("slow_calls", size.slowCalls());
        slowJson.put("slow_ms", size.slowMs());
        slowJson.put("window_ms", size.windowMs());
        slowJson.put("window_callers", size.windowCallers());
        for (Side side : sides) {
            Slow x = slow.get(side.name());
            ObjectNode o = slowJson.putObject(side.name());
            o.put("quiet_calls_per_s", Results.round(x.quiet.callsPerSecond(), 1));
            o.put("busy_calls_per_s", Results.round(x.busy.callsPerSecond(), 1));
            o.set("quiet_latency", Results.latency(x.quiet.latencies()));
            o.set("busy_latency", Results.latency(x.busy.latencies()));
            o.put("quiet_failed", x.quiet.failed());
            o.put("busy_failed", x.busy.failed());
            o.put("window_opened_after_s", Results.round(x.windowOpenedAfter, 2));
            o.put("slow_running_at_window_start", field(x.statsAtStart, "running"));
            o.put("slow_running_most", field(x.statsAtEnd, "peak"));
            o.put("slow_answered", x.slowOk);
            o.put("slow_median_s", Results.round(x.slowTimes.median() / 1e9, 3));
            o.put("slow_max_s", Results.round(x.slowTimes.max() / 1e9, 3));
            o.put("platform_threads_at_window_end", x.peakThreads);
        }
        ArrayNode targets = Results.array(json, "targets");
        for (int callers : CALLERS) {
            Tput w = tput.get(new Key("Weft", callers));
            Tput s = tput.get(new Key("SDK", callers));
            double ratio = w.median(Round::callsPerCpuSecond) / s.median(Round::callsPerCpuSecond);
            ObjectNode t = targets.addObject();
            t.put("id", "per_cpu_" + callers);
            t.put("target", String.format(Locale.ROOT, "calls per server CPU-second ≥ %.1f × the SDK's, %d "
                    + (callers == 1 ? "caller" : "callers"), PER_CORE_TARGET, callers));
            t.put("ratio", Results.round(ratio, 3));
            t.put("weft_met", ratio >= PER_CORE_TARGET);
        }
        Samples wz = pooled(latency.get("Weft/0"));
        Samples wf = pooled(latency.get("Weft/" + n));
        Samples sz = pooled(latency.get("SDK/0"));
        Samples sf = pooled(latency.get("SDK/" + n));
        ObjectNode t = targets.addObject();
        t.put("id", "p99_flat");
        t.put("target", String.format(Locale.ROOT, "echo p99 with %,d idle sessions ≤ %.2f × the p99 with 0", n,
                FLAT_P99));
        t.put("weft_ratio", Results.round(ratio(wf.percentile(99), wz.percentile(99)), 3));
        t.put("sdk_ratio", Results.round(ratio(sf.percentile(99), sz.percentile(99)), 3));
        t.put("weft_met", ratio(wf.percentile(99), wz.percentile(99)) <= FLAT_P99);
        t.put("sdk_met", ratio(sf.percentile(99), sz.percentile(99)) <= FLAT_P99);
    }

    /**
     * Echo calls from 16 callers, round after round, until {@code warmSeconds} have passed: the JIT of both JVMs (the
     * server's and this one) settles in that time on this machine; the SDK's takes longest.
     */
    private void warmUp(Side side, ServerProcess server, McpHttpLoad load) throws InterruptedException {
        List<McpHttpLoad.Session> sessions = openOrFail(load, 16, side.name() + " warm-up");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(size.warmSeconds());
        List<String> rates = new ArrayList<>();
        do {
            Round round = round(server, load, sessions, size.roundCalls() / 16, false);
            warm.computeIfAbsent(side.name(), k -> new ArrayList<>()).add(round);
            rates.add(String.format(Locale.ROOT, "%,.0f", round.callsPerSecond()));
        } while (System.nanoTime() - end < 0);
        deleteAll(load, sessions, new TreeMap<>());
        System.out.printf(Locale.ROOT, "warm-up: %s, 16 callers, %d rounds: %s calls/s (load %s)%n", side.name(),
                rates.size(), String.join(", ", rates), Machine.load1());
    }

    private final Map<String, List<Round>> warm = new HashMap<>();

    // ---------------------------------------------------------------- rounds of echo calls

    /** What one round of echo calls did. */
    private record Round(long ok, long failed, long unfinished, Map<String, Long> kinds, long wallNanos,
                         double serverCpuSeconds, double driverCpuSeconds, Samples latencies) {
        double callsPerSecond() {
            return ok / (wallNanos / 1e9);
        }

        double callsPerCpuSecond() {
            return ok / serverCpuSeconds;
        }
    }

    /**
     * Each session's own virtual thread makes {@code perCaller} echo calls on it back to back; all start together. A
     * failed call is counted by kind and its caller goes on; after {@link #ROUND_CAP_NANOS} callers make no new
     * calls, and the calls not made are unfinished. The server's and this JVM's CPU time are read from
     * {@code /proc} just before the start and just after the last caller ends.
     */
    private Round round(ServerProcess server, McpHttpLoad load, List<McpHttpLoad.Session> sessions, int perCaller,
                        boolean keepLatencies) throws InterruptedException {
        int callers = sessions.size();
        CountDownLatch go = new CountDownLatch(1);
        long[] ok = new long[callers];
        long[] failed = new long[callers];
        long[][] latencies = keepLatencies ? new long[callers][perCaller] : null;
        long[] deadline = new long[1]; // written before go opens
        List<Map<String, Long>> kinds = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int me = c;
            McpHttpLoad.Session session = sessions.get(c);
            Map<String, Long> mine = new HashMap<>();
            kinds.add(mine);
            threads.add(Thread.ofVirtual().name("load-caller-", c).start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perCaller && System.nanoTime() - deadline[0] < 0; i++) {
                        long start = System.nanoTime();
                        try {
                            load.echo(session, MESSAGE, CALL_TIMEOUT);
                            if (latencies != null) {
                                latencies[me][(int) ok[me]] = System.nanoTime() - start;
                            }
                            ok[me]++;
                        } catch (McpHttpLoad.CallFailed e) {
                            failed[me]++;
                            mine.merge(e.kind(), 1L, Long::sum);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long cpu0 = server.cpuTicks();
        long self0 = selfTicks();
        long start = System.nanoTime();
        deadline[0] = start + ROUND_CAP_NANOS;
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - start;
        long cpu1 = server.cpuTicks();
        long self1 = selfTicks();
        long okAll = 0;
        long failedAll = 0;
        Samples samples = new Samples();
        Map<String, Long> merged = new TreeMap<>();
        for (int c = 0; c < callers; c++) {
            okAll += ok[c];
            failedAll += failed[c];
            if (latencies != null) {
                for (int i = 0; i < ok[c]; i++) {
                    samples.add(latencies[c][i]);
                }
            }
            kinds.get(c).forEach((k, v) -> merged.merge(k, v, Long::sum));
        }
        return new Round(okAll, failedAll, (long) callers * perCaller - okAll - failedAll, merged, wall,
                (double) (cpu1 - cpu0) / clockTicks, (double) (self1 - self0) / clockTicks, samples);
    }

    /** Opens {@code n} sessions, {@value #OPENERS} at a time; failures are counted by kind in {@code failures}. */
    private static List<McpHttpLoad.Session> openAll(McpHttpLoad load, int n, Map<String, Long> failures)
            throws InterruptedException {
        List<McpHttpLoad.Session> sessions = Collections.synchronizedList(new ArrayList<>());
        forEachParallel(n, i -> sessions.add(load.open(CALL_TIMEOUT)), failures);
        return new ArrayList<>(sessions);
    }

    private static void deleteAll(McpHttpLoad load, List<McpHttpLoad.Session> sessions, Map<String, Long> failures)
            throws InterruptedException {
        forEachParallel(sessions.size(), i -> load.delete(sessions.get(i), CALL_TIMEOUT), failures);
    }

    private interface Task {
        void run(int i) throws McpHttpLoad.CallFailed, InterruptedException;
    }

    /** Runs {@code task(0..n-1)} on {@value #OPENERS} virtual threads; failures are counted by kind. */
    private static void forEachParallel(int n, Task task, Map<String, Long> failures) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < Math.min(OPENERS, n); t++) {
            threads.add(Thread.ofVirtual().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < n) {
                    try {
                        task.run(i);
                    } catch (McpHttpLoad.CallFailed e) {
                        synchronized (failures) {
                            failures.merge(e.kind(), 1L, Long::sum);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Opens sessions that must open: the benchmark cannot go on without them. */
    private static List<McpHttpLoad.Session> openOrFail(McpHttpLoad load, int n, String what)
            throws InterruptedException {
        Map<String, Long> failures = new TreeMap<>();
        List<McpHttpLoad.Session> sessions = openAll(load, n, failures);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(what + ": opening " + n + " sessions failed: " + failures);
        }
        return sessions;
    }

    // ---------------------------------------------------------------- 1. throughput

    private record Key(String side, int callers) {
    }

    /** The rounds of one side and caller count. */
    private static final class Tput {
        final List<Round> measured = new ArrayList<>();

        double median(Function<Round, Double> figure) {
            List<Double> values = measured.stream().map(figure).sorted().toList();
            return values.get(values.size() / 2);
        }

        /** The median, with the lowest and highest round: {@code 12,345 (11,000–13,000)}. */
        String spread(Function<Round, Double> figure) {
            List<Double> values = measured.stream().map(figure).sorted().toList();
            return String.format(Locale.ROOT, "%,.0f (%,.0f–%,.0f)", values.get(values.size() / 2), values.get(0),
                    values.get(values.size() - 1));
        }

        long failed() {
            return measured.stream().mapToLong(Round::failed).sum();
        }

        long unfinished() {
            return measured.stream().mapToLong(Round::unfinished).sum();
        }
    }

    private final Map<Key, Tput> tput = new HashMap<>();

    /**
     * {@code cycles} cycles; in each, one round per caller count (1, 16, 64; the order rotates from cycle to cycle),
     * on sessions opened once for the section. A round: {@code roundCalls} echo calls between the callers.
     */
    private void throughput(Side side, ServerProcess server, McpHttpLoad load) throws InterruptedException {
        Map<Integer, List<McpHttpLoad.Session>> sessions = new HashMap<>();
        for (int callers : CALLERS) {
            sessions.put(callers, openOrFail(load, callers, side.name() + " throughput"));
        }
        StringBuilder rates = new StringBuilder();
        for (int cycle = 0; cycle < size.cycles(); cycle++) {
            for (int k = 0; k < CALLERS.length; k++) {
                int callers = CALLERS[(k + cycle) % CALLERS.length];
                Round round = round(server, load, sessions.get(callers), size.roundCalls() / callers, false);
                tput.computeIfAbsent(new Key(side.name(), callers), x -> new Tput()).measured.add(round);
                rates.append(String.format(Locale.ROOT, " %d:%,.0f/%,.0f", callers, round.callsPerSecond(),
                        round.callsPerCpuSecond()));
            }
        }
        for (List<McpHttpLoad.Session> list : sessions.values()) {
            deleteAll(load, list, new TreeMap<>());
        }
        System.out.printf(Locale.ROOT, "throughput: %s, callers:calls/s/per CPU-s by round:%s (load %s)%n",
                side.name(), rates, Machine.load1());
    }

    private String throughputTable() {
        StringBuilder t = new StringBuilder();
        t.append("### 1. Echo calls per second, and per CPU-second of the server\n\n");
        t.append("In each server JVM, after the warm-up, ").append(size.cycles()).append(" cycles of one round per "
                        + "caller count N (1, 16, 64; the order rotates). Each of the N callers (virtual threads of "
                        + "the load generator) has a session of its own; a round's ")
                .append(String.format(Locale.ROOT, "%,d", size.roundCalls())).append(" `tools/call echo` are "
                        + "shared between them, each caller making its share back to back. ")
                .append(size.cycles() * size.passes()).append(" rounds per server and N (").append(size.passes())
                .append(size.passes() == 1 ? " JVM" : " JVMs").append("). *calls/s*: answered calls ÷ the round's "
                        + "wall time; *per CPU-s*: answered calls ÷ the server process's CPU seconds in the round "
                        + "(utime + stime from /proc/<pid>/stat); both the median round, with the lowest and highest "
                        + "round in brackets. *Cores*: CPU seconds ÷ wall seconds, of the server and of the load "
                        + "generator's JVM (median round).\n\n");
        t.append("| callers | Weft calls/s | SDK calls/s | Weft ÷ SDK | Weft per CPU-s | SDK per CPU-s | Weft ÷ SDK "
                + "| server cores: Weft / SDK | generator cores: Weft / SDK | failed: Weft / SDK "
                + "| unfinished: Weft / SDK |\n");
        t.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder kinds = new StringBuilder();
        for (int callers : CALLERS) {
            Tput w = tput.get(new Key("Weft", callers));
            Tput s = tput.get(new Key("SDK", callers));
            t.append(String.format(Locale.ROOT, "| %d | %s | %s | %.2f | %s | %s | %.2f | %.2f / %.2f "
                            + "| %.2f / %.2f | %d / %d | %d / %d |%n", callers,
                    w.spread(Round::callsPerSecond), s.spread(Round::callsPerSecond),
                    w.median(Round::callsPerSecond) / s.median(Round::callsPerSecond),
                    w.spread(Round::callsPerCpuSecond), s.spread(Round::callsPerCpuSecond),
                    w.median(Round::callsPerCpuSecond) / s.median(Round::callsPerCpuSecond),
                    w.median(ServerBench::serverCores), s.median(ServerBench::serverCores),
                    w.median(ServerBench::driverCores), s.median(ServerBench::driverCores),
                    w.failed(), s.failed(), w.unfinished(), s.unfinished()));
            for (Side side : sides) {
                Tput x = tput.get(new Key(side.name(), callers));
                appendKinds(kinds, side.name() + ", " + callers + " callers", x.measured);
            }
        }
        for (Side side : sides) {
            appendKinds(kinds, side.name() + ", warm-up rounds (16 callers)", warm.get(side.name()));
        }
        t.append('\n');
        if (!kinds.isEmpty()) {
            t.append("Failures by kind:\n\n").append(kinds).append('\n');
        }
        return t.toString();
    }

    private static double serverCores(Round r) {
        return r.serverCpuSeconds() / (r.wallNanos() / 1e9);
    }

    private static double driverCores(Round r) {
        return r.driverCpuSeconds() / (r.wallNanos() / 1e9);
    }

    private static void appendKinds(StringBuilder out, String what, List<Round> rounds) {
        Map<String, Long> merged = new TreeMap<>();
        long unfinished = 0;
        for (Round r : rounds) {
            r.kinds().forEach((k, v) -> merged.merge(k, v, Long::sum));
            unfinished += r.unfinished();
        }
        if (!merged.isEmpty() || unfinished > 0) {
            out.append("- ").append(what).append(": ").append(describeKinds(merged));
            if (unfinished > 0) {
                out.append("; ").append(unfinished).append(" unfinished (round cut short)");
            }
            out.append('\n');
        }
    }

    private static String describeKinds(Map<String, Long> kinds) {
        return kinds.isEmpty() ? "none" : kinds.entrySet().stream()
                .map(e -> "`" + e.getKey() + "` × " + String.format(Locale.ROOT, "%,d", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    // ---------------------------------------------------------------- 2, 3, 4. idle sessions

    /** Heap used after a full collection, RSS, platform threads. */
    private record Memory(long heapUsed, long rssKb, int threads) {
    }

    /** What one JVM of the idle-session section measured. */
    private static final class Idle {
        Memory empty;
        Memory full;
        double openSeconds;
        final Map<String, Long> openFailures = new TreeMap<>();
        final Map<String, Long> deleteFailures = new TreeMap<>();
        final Map<String, Long> idleEchoFailures = new TreeMap<>();
        int idleEchoes;
    }

    private final Map<String, List<Idle>> idle = new HashMap<>();
    /** Latency rounds pooled per side and idle count (0 or the full count). */
    private final Map<String, List<Round>> latency = new HashMap<>();

    /**
     * Latency rounds with 0, n, 0 and n idle sessions open (deleted between), the memory before the first n and with
     * them; at the end one echo call on each held session.
     */
    private void idle(Side side, ServerProcess server, McpHttpLoad load) throws Exception {
        Idle result = new Idle();
        idle.computeIfAbsent(side.name(), x -> new ArrayList<>()).add(result);
        List<Round> zero = latency.computeIfAbsent(side.name() + "/0", x -> new ArrayList<>());
        List<Round> full = latency.computeIfAbsent(side.name() + "/" + size.idleSessions(), x -> new ArrayList<>());
        result.empty = server.memory();
        zero.add(latencyRound(server, load));
        long start = System.nanoTime();
        List<McpHttpLoad.Session> held = openAll(load, size.idleSessions(), result.openFailures);
        result.openSeconds = (System.nanoTime() - start) / 1e9;
        result.full = server.memory();
        full.add(latencyRound(server, load));
        deleteAll(load, held, result.deleteFailures);
        zero.add(latencyRound(server, load));
        List<McpHttpLoad.Session> again = openAll(load, size.idleSessions(), result.openFailures);
        full.add(latencyRound(server, load));
        // every held session still answers
        forEachParallel(again.size(), i -> load.echo(again.get(i), MESSAGE, CALL_TIMEOUT), result.idleEchoFailures);
        deleteAll(load, again, result.deleteFailures);
        int n = size.idleSessions();
        System.out.printf(Locale.ROOT, "idle sessions: %s, p99 %s / %s / %s / %s µs with 0 / %d / 0 / %d idle; heap "
                        + "%s → %s MB, RSS %s → %s MB (load %s)%n", side.name(),
                micros(zero.get(zero.size() - 2).latencies().percentile(99)),
                micros(full.get(full.size() - 2).latencies().percentile(99)),
                micros(zero.get(zero.size() - 1).latencies().percentile(99)),
                micros(full.get(full.size() - 1).latencies().percentile(99)), n, n, mb(result.empty.heapUsed()),
                mb(result.full.heapUsed()), mb(result.empty.rssKb() * 1024), mb(result.full.rssKb() * 1024),
                Machine.load1());
    }

    private String idleTables() {
        StringBuilder t = new StringBuilder();
        int n = size.idleSessions();
        t.append("### 2. Echo latency with 0 and ").append(String.format(Locale.ROOT, "%,d", n))
                .append(" idle sessions (µs)\n\n");
        t.append(size.latCallers()).append(" callers, each on a session of its own opened for the round, make ")
                .append(String.format(Locale.ROOT, "%,d", size.latCallsPerCaller()))
                .append(" echo calls each back to back; every call timed by its caller. In each server JVM, after "
                        + "1: rounds with 0, ").append(n).append(", 0 and ").append(n)
                .append(" idle sessions open (initialized, no stream open, opened ").append(OPENERS)
                .append(" at a time, deleted between); ").append(size.passes()).append(size.passes() == 1 ? " JVM"
                        : " JVMs").append(" per server, rounds pooled.\n\n");
        t.append("| server | idle sessions | calls | p50 | p90 | p99 | p99.9 | max | failed | p99 ÷ p99 with 0 idle |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder kinds = new StringBuilder();
        for (Side side : sides) {
            Samples zero = pooled(latency.get(side.name() + "/0"));
            for (int count : new int[] {0, n}) {
                List<Round> rounds = latency.get(side.name() + "/" + count);
                Samples s = pooled(rounds);
                long failed = rounds.stream().mapToLong(r -> r.failed() + r.unfinished()).sum();
                t.append(String.format(Locale.ROOT, "| %s | %,d | %d | %s | %s | %s | %s | %s | %d | %.2f |%n",
                        side.name(), count, s.size(), micros(s.median()), micros(s.percentile(90)),
                        micros(s.percentile(99)), micros(s.percentile(99.9)), micros(s.max()), failed,
                        ratio(s.percentile(99), zero.percentile(99))));
                appendKinds(kinds, side.name() + ", " + count + " idle sessions", rounds);
            }
        }
        t.append('\n');
        if (!kinds.isEmpty()) {
            t.append("Failures by kind:\n\n").append(kinds).append('\n');
        }

        t.append("### 3. Memory with 0 and ").append(String.format(Locale.ROOT, "%,d", n))
                .append(" idle sessions\n\n");
        t.append("Read in the same JVMs as 2, before its first round (0 sessions open: those of 1 were deleted) and "
                        + "after the first ")
                .append(String.format(Locale.ROOT, "%,d", n)).append(" idle sessions were opened. *Heap*: used "
                        + "after two `System.gc()` (full collections), asked of the server over its side channel. "
                        + "*RSS*: `VmRSS` from /proc. One figure per JVM (JVM 1 / JVM 2). *Held to the end*: one "
                        + "echo call on each idle session of the second batch, after its latency round.\n\n");
        t.append("| server | heap, 0 sessions (MB) | heap, ").append(n).append(" (MB) | heap per session (kB) "
                + "| RSS, 0 sessions (MB) | RSS, ").append(n).append(" (MB) | RSS per session (kB) "
                + "| platform threads, 0 / ").append(n).append(" | opening ").append(n)
                .append(" sessions (s) | failed: opening / deleting / held to the end |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder memKinds = new StringBuilder();
        for (Side side : sides) {
            List<Idle> runs = idle.get(side.name());
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", side.name(),
                    join(runs, i -> mb(i.empty.heapUsed())), join(runs, i -> mb(i.full.heapUsed())),
                    join(runs, i -> kb((i.full.heapUsed() - i.empty.heapUsed()) / 1024.0 / n)),
                    join(runs, i -> mb(i.empty.rssKb() * 1024)), join(runs, i -> mb(i.full.rssKb() * 1024)),
                    join(runs, i -> kb((double) (i.full.rssKb() - i.empty.rssKb()) / n)),
                    join(runs, i -> i.empty.threads() + " / " + i.full.threads()),
                    join(runs, i -> String.format(Locale.ROOT, "%.2f", i.openSeconds)),
                    join(runs, i -> sum(i.openFailures) + " / " + sum(i.deleteFailures) + " / "
                            + sum(i.idleEchoFailures))));
            for (int j = 0; j < runs.size(); j++) {
                Idle i = runs.get(j);
                if (!i.openFailures.isEmpty()) {
                    memKinds.append("- ").append(side.name()).append(", JVM ").append(j + 1).append(", opening: ")
                            .append(describeKinds(i.openFailures)).append('\n');
                }
                if (!i.deleteFailures.isEmpty()) {
                    memKinds.append("- ").append(side.name()).append(", JVM ").append(j + 1).append(", deleting: ")
                            .append(describeKinds(i.deleteFailures)).append('\n');
                }
                if (!i.idleEchoFailures.isEmpty()) {
                    memKinds.append("- ").append(side.name()).append(", JVM ").append(j + 1)
                            .append(", echo on held sessions: ").append(describeKinds(i.idleEchoFailures))
                            .append('\n');
                }
            }
        }
        t.append('\n');
        if (!memKinds.isEmpty()) {
            t.append("Failures by kind:\n\n").append(memKinds).append('\n');
        }
        return t.toString();
    }

    /** Opens the callers' sessions, runs one round keeping latencies, deletes the sessions. */
    private Round latencyRound(ServerProcess server, McpHttpLoad load) throws InterruptedException {
        List<McpHttpLoad.Session> sessions = openOrFail(load, size.latCallers(), "latency");
        Round round = round(server, load, sessions, size.latCallsPerCaller(), true);
        deleteAll(load, sessions, new TreeMap<>());
        return round;
    }

    private static Samples pooled(List<Round> rounds) {
        Samples all = new Samples();
        for (Round r : rounds) {
            for (int i = 0; i < r.latencies().size(); i++) {
                all.add(r.latencies().get(i));
            }
        }
        return all;
    }

    // ---------------------------------------------------------------- 5. slow calls in flight

    /** Echo calls from several sessions back to back for a fixed window. */
    private record Window(long answeredInWindow, double windowSeconds, Samples latencies, long failed,
                          Map<String, Long> kinds) {
        double callsPerSecond() {
            return answeredInWindow / windowSeconds;
        }
    }

    /** What the slow section measured for one server. */
    private static final class Slow {
        Window quiet;
        Window busy;
        String statsAtStart;
        String statsAtEnd;
        String statsAfter;
        int slowOk;
        final Map<String, Long> slowKinds = new TreeMap<>();
        final Samples slowTimes = new Samples();
        int peakThreads;
        double windowOpenedAfter;
    }

    private final Map<String, Slow> slow = new HashMap<>();

    /**
     * A quiet echo window, then the slow calls, and once they run an echo window again; then waits for the slow
     * calls.
     */
    private void slow(Side side, ServerProcess server, McpHttpLoad load) throws Exception {
        Slow result = new Slow();
        slow.put(side.name(), result);
        List<McpHttpLoad.Session> echoSessions = openOrFail(load, size.windowCallers(), "slow: echo");
        List<McpHttpLoad.Session> slowSessions = openOrFail(load, size.slowCalls(), "slow: slow");
        result.quiet = window(load, echoSessions);
        // the slow calls
        long[] times = new long[size.slowCalls()];
        String[] outcomes = new String[size.slowCalls()];
        List<Thread> slowThreads = new ArrayList<>();
        Duration slowTimeout = Duration.ofSeconds(size.slowCapSeconds());
        long slowStart = System.nanoTime();
        for (int i = 0; i < size.slowCalls(); i++) {
            int me = i;
            slowThreads.add(Thread.ofVirtual().name("load-slow-", i).start(() -> {
                long start = System.nanoTime();
                try {
                    load.slow(slowSessions.get(me), size.slowMs(), slowTimeout);
                    outcomes[me] = "ok";
                } catch (McpHttpLoad.CallFailed e) {
                    outcomes[me] = e.kind();
                } catch (InterruptedException e) {
                    outcomes[me] = "interrupted";
                }
                times[me] = System.nanoTime() - start;
            }));
        }
        // Until every slow call runs in its handler, or for at most 3 s (the SDK runs 20 at a time).
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        do {
            Thread.sleep(100);
            result.statsAtStart = server.ask("stats");
        } while (Integer.parseInt(field(result.statsAtStart, "running")) < size.slowCalls()
                && System.nanoTime() - settle < 0);
        result.windowOpenedAfter = (System.nanoTime() - slowStart) / 1e9;
        result.busy = window(load, echoSessions);
        result.statsAtEnd = server.ask("stats");
        result.peakThreads = threadsOf(result.statsAtEnd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(size.slowCapSeconds() + 10);
        for (Thread t : slowThreads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (Thread t : slowThreads) {
            t.interrupt(); // only those still waiting after the cap
        }
        for (Thread t : slowThreads) {
            t.join();
        }
        result.statsAfter = server.ask("stats");
        for (int i = 0; i < size.slowCalls(); i++) {
            if ("ok".equals(outcomes[i])) {
                result.slowOk++;
            } else {
                result.slowKinds.merge(String.valueOf(outcomes[i]), 1L, Long::sum);
            }
            result.slowTimes.add(times[i]);
        }
        Map<String, Long> ignored = new TreeMap<>();
        deleteAll(load, slowSessions, ignored);
        deleteAll(load, echoSessions, ignored);
        System.out.printf(Locale.ROOT, "slow calls: %s, echo %,.0f → %,.0f calls/s, %d of %d slow calls answered "
                        + "(load %s)%n", side.name(), result.quiet.callsPerSecond(), result.busy.callsPerSecond(),
                result.slowOk, size.slowCalls(), Machine.load1());
    }

    private String slowTable() {
        StringBuilder t = new StringBuilder();
        t.append("### 4. Serving while ").append(size.slowCalls()).append(" slow calls are in flight\n\n");
        t.append("In the last pass's JVMs, after 3: ").append(size.windowCallers())
                .append(" callers on sessions of their own make echo calls back to back for ")
                .append(size.windowMs() / 1000.0).append(" s (*no slow calls*). Then ").append(size.slowCalls())
                .append(" `tools/call slow {ms: ").append(size.slowMs()).append("}` start at once, each on a session "
                        + "of its own; once the server counts all of them running in the handler (at most 3 s "
                        + "later), the same callers make echo calls for another ")
                .append(size.windowMs() / 1000.0).append(" s (*slow calls in flight*). *calls/s*: echo calls "
                        + "answered within the window ÷ its length; latencies of every echo call started in the "
                        + "window (each waits up to ").append(CALL_TIMEOUT.toSeconds()).append(" s). Slow calls "
                        + "wait up to ").append(size.slowCapSeconds()).append(" s. *Slow handlers running*: "
                        + "counted in the tool's handler, asked of the server when the window opens / the most "
                        + "at once by its end.\n\n");
        t.append("| server | echo calls/s: no slow calls | with slow calls in flight | ratio "
                + "| echo p50 / p99 ms: no slow calls | with slow calls | echo failed: no slow / with slow "
                + "| window opened (s after the slow calls) | slow handlers running at window start / most at once "
                + "| slow calls answered correctly "
                + "| slow call time median / max (s) | platform threads at window end |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder kinds = new StringBuilder();
        for (Side side : sides) {
            Slow x = slow.get(side.name());
            t.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %s | %s | %d / %d | %.1f | %s / %s "
                            + "| %d of %d | %.2f / %.2f | %d |%n", side.name(), x.quiet.callsPerSecond(),
                    x.busy.callsPerSecond(), x.busy.callsPerSecond() / x.quiet.callsPerSecond(),
                    latencies(x.quiet), latencies(x.busy), x.quiet.failed(), x.busy.failed(), x.windowOpenedAfter,
                    field(x.statsAtStart, "running"), field(x.statsAtEnd, "peak"), x.slowOk, size.slowCalls(),
                    x.slowTimes.median() / 1e9, x.slowTimes.max() / 1e9, x.peakThreads));
            if (!x.quiet.kinds().isEmpty()) {
                kinds.append("- ").append(side.name()).append(", echo, no slow calls: ")
                        .append(describeKinds(x.quiet.kinds())).append('\n');
            }
            if (!x.busy.kinds().isEmpty()) {
                kinds.append("- ").append(side.name()).append(", echo, slow calls in flight: ")
                        .append(describeKinds(x.busy.kinds())).append('\n');
            }
            if (!x.slowKinds.isEmpty()) {
                kinds.append("- ").append(side.name()).append(", slow calls: ").append(describeKinds(x.slowKinds))
                        .append('\n');
            }
        }
        t.append('\n');
        if (!kinds.isEmpty()) {
            t.append("Failures by kind:\n\n").append(kinds).append('\n');
        }
        t.append("Server's counters (`stats`): window start / window end / after the slow calls:\n\n");
        for (Side side : sides) {
            Slow x = slow.get(side.name());
            t.append("- ").append(side.name()).append(": `").append(x.statsAtStart).append("` / `")
                    .append(x.statsAtEnd).append("` / `").append(x.statsAfter).append("`\n");
        }
        t.append('\n');
        return t.toString();
    }

    private Window window(McpHttpLoad load, List<McpHttpLoad.Session> sessions) throws InterruptedException {
        long windowNanos = TimeUnit.MILLISECONDS.toNanos(size.windowMs());
        int callers = sessions.size();
        long[] inWindow = new long[callers];
        long[] failed = new long[callers];
        List<List<Long>> latencies = new ArrayList<>();
        List<Map<String, Long>> kinds = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + windowNanos;
        for (int c = 0; c < callers; c++) {
            int me = c;
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            Map<String, Long> myKinds = new HashMap<>();
            kinds.add(myKinds);
            McpHttpLoad.Session session = sessions.get(c);
            threads.add(Thread.ofVirtual().name("load-window-", c).start(() -> {
                long t0;
                while ((t0 = System.nanoTime()) - end < 0) {
                    try {
                        load.echo(session, MESSAGE, CALL_TIMEOUT);
                        long t1 = System.nanoTime();
                        mine.add(t1 - t0);
                        if (t1 - end <= 0) {
                            inWindow[me]++;
                        }
                    } catch (McpHttpLoad.CallFailed e) {
                        failed[me]++;
                        myKinds.merge(e.kind(), 1L, Long::sum);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Samples samples = new Samples();
        latencies.forEach(l -> l.forEach(samples::add));
        Map<String, Long> merged = new TreeMap<>();
        kinds.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Long::sum)));
        long answered = 0;
        long failedAll = 0;
        for (int c = 0; c < callers; c++) {
            answered += inWindow[c];
            failedAll += failed[c];
        }
        return new Window(answered, windowNanos / 1e9, samples, failedAll, merged);
    }

    private static String latencies(Window w) {
        if (w.latencies().size() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f / %.2f", w.latencies().median() / 1e6,
                w.latencies().percentile(99) / 1e6);
    }

    private static String field(String stats, String name) {
        for (String part : stats.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return "?";
    }

    private static int threadsOf(String stats) {
        String value = field(stats, "threads");
        return value.equals("?") ? -1 : Integer.parseInt(value);
    }

    // ---------------------------------------------------------------- targets

    private void printTargets() {
        System.out.println("### Targets");
        System.out.println();
        System.out.println("| target | Weft | SDK | met |");
        System.out.println("|---|--:|--:|:-:|");
        for (int callers : CALLERS) {
            Tput w = tput.get(new Key("Weft", callers));
            Tput s = tput.get(new Key("SDK", callers));
            double ratio = w.median(Round::callsPerCpuSecond) / s.median(Round::callsPerCpuSecond);
            System.out.printf(Locale.ROOT, "| calls per server CPU-second ≥ %.1f × the SDK's, %d callers "
                            + "| %,.0f (%.2f×) | %,.0f | %s |%n", PER_CORE_TARGET, callers,
                    w.median(Round::callsPerCpuSecond), ratio, s.median(Round::callsPerCpuSecond),
                    met(ratio >= PER_CORE_TARGET));
        }
        int n = size.idleSessions();
        Samples wz = pooled(latency.get("Weft/0"));
        Samples wf = pooled(latency.get("Weft/" + n));
        Samples sz = pooled(latency.get("SDK/0"));
        Samples sf = pooled(latency.get("SDK/" + n));
        double wr = ratio(wf.percentile(99), wz.percentile(99));
        double sr = ratio(sf.percentile(99), sz.percentile(99));
        System.out.printf(Locale.ROOT, "| echo p99 flat with %,d idle sessions (≤ %.2f × the p99 with 0; µs) "
                        + "| %s → %s (%.2f×) | %s → %s (%.2f×) | %s (SDK: %s) |%n", n, FLAT_P99,
                micros(wz.percentile(99)), micros(wf.percentile(99)), wr, micros(sz.percentile(99)),
                micros(sf.percentile(99)), sr, met(wr <= FLAT_P99), met(sr <= FLAT_P99));
        System.out.println();
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    // ---------------------------------------------------------------- server processes

    /** A server JVM: its port, its pid, its side channel, its log. */
    private final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final Writer stdin;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        private final Thread reader;
        private final String label;
        final int port;
        final long pid;

        ServerProcess(Side side, String mode) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Machine.java());
            command.addAll(SERVER_FLAGS);
            command.addAll(List.of("-cp", side.classPath(), side.mainClass()));
            this.label = side.name() + " " + mode;
            Path log = dir.resolve("logs/" + (++launches) + "-" + side.name() + "-" + mode + ".log");
            Files.writeString(log, "--- " + String.join(" ", command) + "\n");
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND), true);
            reader = Thread.ofPlatform().daemon().name("server-stdout").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)); out) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        out.println(line);
                        if (line.startsWith(TAG)) {
                            replies.add(line.substring(TAG.length()));
                        }
                    }
                } catch (IOException e) {
                    out.println("--- reading the server's output failed: " + e);
                }
            });
            String ready = replies.poll(60, TimeUnit.SECONDS);
            if (ready == null || !ready.startsWith("ready ")) {
                process.destroyForcibly();
                throw new IllegalStateException(label + ": no ready line (got " + ready + "); see " + log);
            }
            port = Integer.parseInt(field(ready, "port"));
            pid = Long.parseLong(field(ready, "pid"));
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        /** Sends a side-channel command; its answer line. */
        String ask(String command) throws IOException, InterruptedException {
            stdin.write(command + "\n");
            stdin.flush();
            String reply = replies.poll(120, TimeUnit.SECONDS);
            if (reply == null) {
                throw new IllegalStateException(label + ": no answer to " + command);
            }
            return reply;
        }

        Memory memory() throws IOException, InterruptedException {
            String heap = ask("heap");
            return new Memory(Long.parseLong(field(heap, "used")), rssKb(pid), Integer.parseInt(field(heap, "threads")));
        }

        long cpuTicks() {
            return ticks(pid);
        }

        @Override
        public void close() {
            try {
                stdin.write("exit\n");
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
                reader.join(5_000);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(label + ": interrupted while it stopped", e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(label + " exited with " + process.exitValue());
            }
        }
    }

    /** utime + stime of a process, in clock ticks, from {@code /proc/<pid>/stat}. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long selfTicks() {
        return ticks(ProcessHandle.current().pid());
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    // ---------------------------------------------------------------- helpers

    /** The sides in turn {@code k}: Weft first in even turns, SDK first in odd ones. */
    private List<Side> turn(int k) {
        List<Side> order = new ArrayList<>(sides);
        if (k % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    private static <T> String join(List<T> runs, Function<T, String> figure) {
        return runs.stream().map(figure).collect(Collectors.joining(" / "));
    }

    private static long sum(Map<String, Long> kinds) {
        return kinds.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String kb(double kb) {
        return String.format(Locale.ROOT, "%.2f", kb);
    }

    private static double ratio(long a, long b) {
        return (double) a / b;
    }
}
