package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs Weft's benchmarks and prints their results as Markdown tables. Every figure of Weft's comes with a baseline
 * measured in the same JVM, in the same run, interleaved with it, and the ratio Weft ÷ baseline.
 *
 * <p>Arguments: {@code --quick} (a smoke run: few calls, few repetitions; its figures mean little),
 * {@code --only=memory,stdio,fail-memory,fail-stdio,mcp,server,pool,acp} (a comma-separated subset; all by default),
 * {@code --report} (the charts go to {@code benchmarks/charts} and the results block of {@code benchmarks/README.md}
 * is written again; every set must run) and {@code --render=<results.json>} (no measuring: the charts, and with
 * {@code --report} the README's block, drawn again from the figures of an earlier run).
 * Every figure also goes to {@code benchmarks/target/results-<stamp>.json} ({@link Results}), and the charts are
 * drawn from those figures ({@link Report}); system properties {@code weft.bench.home} (the benchmarks directory) and
 * {@code weft.bench.stamp} (the run's date and time) come from {@code benchmarks/run}.
 * The {@code mcp} set ({@link McpBench}) compares MCP clients, each in a JVM of its own, the {@code server} set
 * ({@link ServerBench}) MCP servers over Streamable HTTP, each in a JVM of its own, the {@code pool} set
 * ({@link PoolBench}) Weft's conversations sharing one pooled server against the SDK's clients with a server each, and
 * the {@code acp} set ({@link AcpBench}) Weft's ACP client against acp-core's, each in a JVM of its own; all four need
 * the class paths that {@code benchmarks/run} builds for them.
 */
public final class Bench {
    /** The design's target: every call pending on a reader fails within 10 ms of the reader's end. */
    private static final long TARGET_NANOS = 10_000_000;
    private static final Set<String> SECTIONS = Set.of("memory", "stdio", "fail-memory", "fail-stdio", "mcp",
            "server", "pool", "acp");

    private Bench() {
    }

    /** How much work each section does. */
    private record Size(int memoryCalls, int stdioCalls, int warmRounds, int rounds, int memoryFailReps,
                        int stdioFailReps) {
        static final Size FULL = new Size(20_000, 5_000, 3, 7, 400, 40);
        static final Size QUICK = new Size(2_000, 500, 1, 2, 20, 4);
    }

    public static void main(String[] args) throws Exception {
        Size size = Size.FULL;
        Set<String> only = SECTIONS;
        boolean report = false;
        Path render = null;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                size = Size.QUICK;
            } else if (arg.equals("--report")) {
                report = true;
            } else if (arg.startsWith("--render=")) {
                render = Path.of(arg.substring("--render=".length()));
            } else if (arg.startsWith("--only=")) {
                only = Set.of(arg.substring("--only=".length()).split(","));
                if (!SECTIONS.containsAll(only)) {
                    throw new IllegalArgumentException("--only takes some of " + SECTIONS + ": " + arg);
                }
            } else {
                throw new IllegalArgumentException("unknown argument " + arg + "; use --quick, --report, "
                        + "--render=<results.json>, --only=" + SECTIONS);
            }
        }
        if (report && only != SECTIONS) {
            throw new IllegalArgumentException("--report is the report of every set: leave out --only");
        }
        Path home = Path.of(Machine.property("weft.bench.home"));
        if (render != null) {
            // Charts and (with --report) the README's block again, from the figures of an earlier run.
            JsonNode results = Results.JSON.readTree(render.toFile());
            ObjectNode rendered = ((ObjectNode) results).putObject("rendered");
            rendered.put("command", ("benchmarks/run " + String.join(" ", args)).trim());
            rendered.put("at", Machine.now());
            rendered.put("commit", System.getProperty("weft.bench.commit", "?"));
            Report.write(results, home, report);
            return;
        }
        long runStart = System.nanoTime();
        System.out.println("## Machine");
        System.out.println();
        Machine.describe().forEach(line -> System.out.println("    " + line));
        System.out.println();
        ObjectNode run = Results.object(Results.root(), "run");
        run.put("command", ("benchmarks/run " + String.join(" ", args)).trim());
        run.put("stamp", Machine.property("weft.bench.stamp"));
        run.put("quick", size == Size.QUICK);
        only.stream().sorted().forEach(Results.array(run, "sets")::add);
        Results.root().set("machine", Machine.json());
        ((ObjectNode) Results.root().get("machine")).put("child_jvm_flags", String.join(" ", McpBench.CLIENT_FLAGS)
                + " (MCP clients, pool and ACP hosts); " + String.join(" ", ServerBench.SERVER_FLAGS)
                + " (MCP servers)");

        OtherActivity activity = new OtherActivity();
        SetTimer timer = new SetTimer(Results.array(run, "set_times"));
        List<RoundTrips.Result> roundTrips = new ArrayList<>();
        if (only.contains("memory")) {
            int calls = size.memoryCalls();
            roundTrips.add(progress(RoundTrips.compare("memory, raw echo loop far end", QueueLoop::direct,
                    WeftWire::memoryEchoLoop, 1, calls, size.warmRounds(), size.rounds())));
            roundTrips.add(progress(RoundTrips.compare("memory, raw echo loop far end", QueueLoop::demux,
                    WeftWire::memoryEchoLoop, 64, calls / 64, size.warmRounds(), size.rounds())));
            roundTrips.add(progress(RoundTrips.compare("memory, Connection far end", QueueLoop::direct,
                    WeftWire::memoryEchoConnection, 1, calls, size.warmRounds(), size.rounds())));
            roundTrips.add(progress(RoundTrips.compare("memory, Connection far end", QueueLoop::demux,
                    WeftWire::memoryEchoConnection, 64, calls / 64, size.warmRounds(), size.rounds())));
        }
        if (only.contains("stdio")) {
            List<String> peer = EchoPeer.argv(false);
            int calls = size.stdioCalls();
            roundTrips.add(progress(RoundTrips.compare("stdio, echo peer process", () -> PipeLoop.direct(peer),
                    () -> WeftWire.stdio(peer), 1, calls, size.warmRounds(), size.rounds())));
            roundTrips.add(progress(RoundTrips.compare("stdio, echo peer process", () -> PipeLoop.demux(peer),
                    () -> WeftWire.stdio(peer), 64, calls / 64, size.warmRounds(), size.rounds())));
        }

        List<FailFast.Result> failures = new ArrayList<>();
        if (only.contains("fail-memory")) {
            int reps = size.memoryFailReps();
            failures.add(progress(FailFast.compare("memory: right().fail(...)", QueueLoop::demux,
                    WeftWire::memoryEchoLoop, 1, reps / 4, reps)));
            failures.add(progress(FailFast.compare("memory: right().fail(...)", QueueLoop::demux,
                    WeftWire::memoryEchoLoop, 1000, reps / 8, reps / 2)));
        }
        if (only.contains("fail-stdio")) {
            List<String> peer = EchoPeer.argv(true);
            int reps = size.stdioFailReps();
            failures.add(progress(FailFast.compare("stdio: SIGKILL the Java peer", () -> PipeLoop.demux(peer),
                    () -> WeftWire.stdio(peer), 1, 3, reps)));
            failures.add(progress(FailFast.compare("stdio: SIGKILL the Java peer", () -> PipeLoop.demux(peer),
                    () -> WeftWire.stdio(peer), 1000, 3, reps)));
            List<String> sink = EchoPeer.shellSink();
            failures.add(progress(FailFast.compare("stdio: SIGKILL a sh/cat peer", () -> PipeLoop.demux(sink),
                    () -> WeftWire.stdio(sink), 1, 10, reps * 5)));
            failures.add(progress(FailFast.compare("stdio: SIGKILL a sh/cat peer", () -> PipeLoop.demux(sink),
                    () -> WeftWire.stdio(sink), 1000, 10, reps * 5)));
        }

        System.out.println();
        if (!roundTrips.isEmpty()) {
            printRoundTrips(roundTrips);
            recordRoundTrips(roundTrips);
        }
        if (!failures.isEmpty()) {
            printFailures(failures);
            recordFailures(failures);
        }
        if (!roundTrips.isEmpty() || !failures.isEmpty()) {
            timer.done("transport: round trips, fail-fast");
        }
        boolean quick = size == Size.QUICK;
        if (only.contains("mcp")) {
            McpBench.run(quick);
            timer.done("MCP client");
        }
        if (only.contains("server")) {
            ServerBench.run(quick);
            timer.done("MCP server");
        }
        if (only.contains("pool")) {
            PoolBench.run(quick);
            timer.done("session pool");
        }
        if (only.contains("acp")) {
            AcpBench.run(quick);
            timer.done("ACP client");
        }
        System.out.println("load at the end: " + Machine.loadAverage() + " (1, 5, 15 min)");
        activity.close();
        Results.root().set("other_activity", activity.json());
        ObjectNode machine = (ObjectNode) Results.root().get("machine");
        machine.put("load_end", Machine.loadAverage());
        machine.put("ended", Machine.now());
        run.put("minutes", Results.round((System.nanoTime() - runStart) / 60e9, 1));
        Path json = home.resolve("target/results-" + Machine.property("weft.bench.stamp") + ".json");
        Results.write(json);
        System.out.println("figures: " + home.getParent().relativize(json));
        Report.write(Results.root(), home, report);
    }

    /** Takes each set's time and the 1-minute load at its start and end, for the report's conditions. */
    private static final class SetTimer {
        private final ArrayNode into;
        private long start = System.nanoTime();
        private String load = Machine.load1();

        SetTimer(ArrayNode into) {
            this.into = into;
        }

        void done(String set) {
            ObjectNode o = into.addObject();
            o.put("set", set);
            o.put("minutes", Results.round((System.nanoTime() - start) / 60e9, 1));
            o.put("load_before", load);
            o.put("load_after", Machine.load1());
            start = System.nanoTime();
            load = Machine.load1();
        }
    }

    private static RoundTrips.Result progress(RoundTrips.Result r) {
        System.out.printf(Locale.ROOT, "done: %s, %d callers: p50 %s µs baseline, %s µs Weft (load %s)%n", r.name(),
                r.callers(), micros(r.baseline().latencies().median()), micros(r.weft().latencies().median()),
                Machine.load1());
        return r;
    }

    private static FailFast.Result progress(FailFast.Result r) {
        System.out.printf(Locale.ROOT, "done: %s, %d pending: median %s ms baseline, %s ms Weft (load %s)%n",
                r.name(), r.pending(), millis(r.baseline().failTimes().median()),
                millis(r.weft().failTimes().median()), Machine.load1());
        return r;
    }

    private static void printRoundTrips(List<RoundTrips.Result> results) {
        System.out.println("## Round trips (latency in µs; ratio = Weft ÷ baseline)");
        System.out.println();
        System.out.println("| wire | callers | calls | baseline p50 | p99 | calls/s | Weft p50 | p99 | calls/s "
                + "| p50 ratio | p99 ratio | calls/s ratio | load 1m |");
        System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (RoundTrips.Result r : results) {
            RoundTrips.Side b = r.baseline();
            RoundTrips.Side w = r.weft();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %,.0f | %s | %s | %,.0f | %.2f | %.2f | %.2f | %s→%s |%n",
                    r.name(), r.callers(), w.latencies().size(),
                    micros(b.latencies().median()), micros(b.latencies().percentile(99)), b.medianCallsPerSecond(),
                    micros(w.latencies().median()), micros(w.latencies().percentile(99)), w.medianCallsPerSecond(),
                    ratio(w.latencies().median(), b.latencies().median()),
                    ratio(w.latencies().percentile(99), b.latencies().percentile(99)),
                    w.medianCallsPerSecond() / b.medianCallsPerSecond(), r.loadBefore(), r.loadAfter());
        }
        System.out.println();
    }

    private static void printFailures(List<FailFast.Result> results) {
        System.out.println("## From the end of the wire to the last pending call failed (ms; ratio = Weft ÷ baseline)");
        System.out.println();
        System.out.println("| end | pending | reps | baseline median | max | Weft median | max | median ratio "
                + "| max ratio | Weft under 10 ms: median, max | reps with a GC, baseline / Weft "
                + "| start to first answer, baseline / Weft (median ms) | load 1m |");
        System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|--:|--:|--:|");
        for (FailFast.Result r : results) {
            Samples b = r.baseline().failTimes();
            Samples w = r.weft().failTimes();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %.2f | %.2f | %s, %s | %d / %d "
                            + "| %s / %s | %s→%s |%n",
                    r.name(), r.pending(), w.size(), millis(b.median()), millis(b.max()), millis(w.median()),
                    millis(w.max()), ratio(w.median(), b.median()), ratio(w.max(), b.max()),
                    underTarget(w.median()), underTarget(w.max()), r.baseline().repsWithGc().get(),
                    r.weft().repsWithGc().get(), millis(r.baseline().startTimes().median()),
                    millis(r.weft().startTimes().median()), r.loadBefore(), r.loadAfter());
        }
        System.out.println();
    }

    private static void recordRoundTrips(List<RoundTrips.Result> results) {
        ArrayNode rows = Results.array(Results.set("transport"), "round_trips");
        for (RoundTrips.Result r : results) {
            ObjectNode row = rows.addObject();
            row.put("wire", r.name());
            row.put("callers", r.callers());
            row.set("baseline", roundTripSide(r.baseline()));
            row.set("weft", roundTripSide(r.weft()));
            row.put("load_before", r.loadBefore());
            row.put("load_after", r.loadAfter());
        }
    }

    private static ObjectNode roundTripSide(RoundTrips.Side side) {
        ObjectNode o = Results.JSON.createObjectNode();
        o.set("latency", Results.latency(side.latencies()));
        o.set("calls_per_s", Results.spread(side.callsPerSecond().stream().mapToDouble(Double::doubleValue)
                .toArray()));
        return o;
    }

    private static void recordFailures(List<FailFast.Result> results) {
        ArrayNode rows = Results.array(Results.set("transport"), "fail_fast");
        for (FailFast.Result r : results) {
            ObjectNode row = rows.addObject();
            row.put("end", r.name());
            row.put("pending", r.pending());
            row.put("target_ms", TARGET_NANOS / 1e6);
            row.set("baseline", failSide(r.baseline()));
            row.set("weft", failSide(r.weft()));
            row.put("weft_median_met", r.weft().failTimes().median() < TARGET_NANOS);
            row.put("weft_max_met", r.weft().failTimes().max() < TARGET_NANOS);
            row.put("load_before", r.loadBefore());
            row.put("load_after", r.loadAfter());
        }
    }

    private static ObjectNode failSide(FailFast.Side side) {
        ObjectNode o = Results.JSON.createObjectNode();
        o.set("fail_ms", Results.spread(Results.millisEach(side.failTimes())));
        o.set("start_to_first_answer_ms", Results.spread(Results.millisEach(side.startTimes())));
        o.put("reps_with_gc", side.repsWithGc().get());
        return o;
    }

    private static String underTarget(long nanos) {
        return nanos < TARGET_NANOS ? "yes" : "**no**";
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static double ratio(long weft, long baseline) {
        return (double) weft / baseline;
    }
}
