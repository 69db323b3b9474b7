package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The MCP client benchmark's driver: Weft's MCP client, the official MCP Java SDK's client and the raw floor, each in
 * a JVM of its own with a class path of its own (built by {@code benchmarks/run}), against the same peer server
 * ({@code McpPeer}). Every child JVM runs one mode of {@code dev.weft.bench.mcp.Child} with the same JDK and the same
 * flags, and prints its results as lines this class parses; the three sides take turns (forward order, then backward,
 * alternating), and each child is started only when the one before it has exited.
 *
 * <p>System properties (set by {@code benchmarks/run}): {@code weft.bench.mcp.floor}, {@code weft.bench.mcp.weft},
 * {@code weft.bench.mcp.sdk} and {@code weft.bench.mcp.peer} (class paths), {@code weft.bench.mcp.dir} (a scratch
 * directory for the peer's class-data archive and the children's logs).
 */
final class McpBench {
    /** Flags of every client JVM, all three sides alike (besides where to put thread dumps of a stalled round). */
    static final List<String> CLIENT_FLAGS = List.of("-Xms1g", "-Xmx1g");
    private static final long KILL_TARGET_NANOS = 10_000_000;
    private static final long COLD_TARGET_NANOS = 150_000_000;
    private static final long CHILD_LIMIT_MINUTES = 20;

    /** How much work each section does. */
    record Size(int sessionJvms, int furtherSessions, int seqJvms, int seqWarm, int seqCalls, int tputWarm,
                int tputRounds, int tputLatencyRounds, int tputCallsPerRound, int killReps, int killCapSeconds) {
        static final Size FULL = new Size(3, 20, 2, 20_000, 20_000, 2, 5, 2, 10_240, 5, 25);
        static final Size QUICK = new Size(1, 3, 1, 2_000, 2_000, 1, 1, 1, 1_024, 1, 25);
    }

    /** A client under test: its name in the tables, its class path, its main class. */
    private record Side(String name, String classPath, String mainClass) {
    }

    /** What a child printed: its result lines, and when the driver launched it (µs since the epoch). */
    private record Output(List<String> lines, long launchedMicros) {
        List<Map<String, String>> records(String what) {
            List<Map<String, String>> records = new ArrayList<>();
            for (String line : lines) {
                if (line.startsWith(what + " ")) {
                    records.add(Machine.fields(line.substring(what.length() + 1)));
                }
            }
            return records;
        }

        long[] samples(String name) {
            String prefix = "samples " + name;
            for (String line : lines) {
                if (line.equals(prefix) || line.startsWith(prefix + " ")) {
                    return Arrays.stream(line.substring(prefix.length()).trim().split(" ")).filter(v -> !v.isEmpty())
                            .mapToLong(Long::parseLong).toArray();
                }
            }
            throw new IllegalStateException("no samples " + name + " in " + lines);
        }
    }

    private final Size size;
    private final List<Side> sides;
    private final List<String> peer;
    /** The server of the HTTP kill section: {@code McpHttpPeer}, on the same JDK as the stdio peer. */
    private final List<String> httpPeer;
    private final Path dir;
    private final List<String> notes = new ArrayList<>();
    private int launches;

    private McpBench(Size size) {
        this.size = size;
        this.sides = List.of(
                new Side("floor", Machine.property("weft.bench.mcp.floor"), "dev.weft.bench.mcp.FloorSide"),
                new Side("Weft", Machine.property("weft.bench.mcp.weft"), "dev.weft.bench.mcp.WeftSide"),
                new Side("SDK", Machine.property("weft.bench.mcp.sdk"), "dev.weft.bench.mcp.SdkSide"));
        this.dir = Path.of(Machine.property("weft.bench.mcp.dir"));
        this.peer = List.of(Machine.java(), "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + dir.resolve("peer.jsa"), "-cp", Machine.property("weft.bench.mcp.peer"),
                "dev.weft.bench.mcp.McpPeer");
        this.httpPeer = List.of(Machine.java(), "-XX:+UseSerialGC", "-cp", Machine.property("weft.bench.mcp.peer"),
                "dev.weft.bench.mcp.McpHttpPeer");
    }

    static void run(boolean quick) throws IOException, InterruptedException {
        new McpBench(quick ? Size.QUICK : Size.FULL).runAll();
    }

    private void runAll() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        warmPeerArchive();
        System.out.println("## MCP client: Weft vs the official MCP Java SDK vs the floor");
        System.out.println();
        System.out.println("    client JVMs:  " + Machine.java() + " " + String.join(" ", CLIENT_FLAGS) + " (each side alike)");
        System.out.println("    peer:         " + String.join(" ", peer.subList(0, peer.size() - 3))
                + " ... dev.weft.bench.mcp.McpPeer");
        for (Side side : sides) {
            System.out.println("    " + String.format(Locale.ROOT, "%-13s", side.name() + ":") + "-cp "
                    + side.classPath().replace(System.getProperty("user.dir") + "/", ""));
        }
        System.out.println();

        List<String> tables = new ArrayList<>();
        tables.add(section(this::sessions));
        tables.add(section(this::sequential));
        tables.add(section(this::throughput));
        tables.add(section(this::kill));
        tables.add(section(this::killHttp));
        System.out.println();
        tables.forEach(System.out::println);
        printTargets();
        notes.forEach(Results.array(Results.set("mcp"), "notes")::add);
        if (!notes.isEmpty()) {
            System.out.println("Notes from the children:");
            System.out.println();
            notes.forEach(note -> System.out.println("- " + note));
            System.out.println();
        }
    }

    /** Runs a section; its table, with the 1-minute load before → after in place of {@code {load}}. */
    private static String section(Section body) throws IOException, InterruptedException {
        String before = Machine.load1();
        String table = body.run();
        return table.replace("{load}", "1-min load " + before + "→" + Machine.load1());
    }

    private interface Section {
        String run() throws IOException, InterruptedException;
    }

    /** Starts the peer twice with no input: the first run writes its class-data archive, the second checks it. */
    private void warmPeerArchive() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder(peer).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/peer-archive.log").toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("the peer did not start and stop cleanly; see "
                        + dir.resolve("logs/peer-archive.log"));
            }
        }
    }

    // ---------------------------------------------------------------- 1. sessions

    private final Map<String, Samples> firstSession = new HashMap<>();

    private String sessions() throws IOException, InterruptedException {
        Map<String, Samples> launchToSession = perSide();
        Map<String, Samples> launchToMain = perSide();
        Map<String, Samples> further = perSide();
        Map<String, Samples> closes = perSide();
        sides.forEach(s -> firstSession.put(s.name(), new Samples()));
        for (int k = 0; k < size.sessionJvms(); k++) {
            for (Side side : turn(k)) {
                Output out = launch(side, "sessions", size.furtherSessions());
                Map<String, String> first = out.records("first").get(0);
                firstSession.get(side.name()).add(Long.parseLong(first.get("main_to_session_ns")));
                launchToSession.get(side.name())
                        .add((Long.parseLong(first.get("session_epoch_us")) - out.launchedMicros()) * 1_000);
                launchToMain.get(side.name())
                        .add((Long.parseLong(first.get("entered_epoch_us")) - out.launchedMicros()) * 1_000);
                further.get(side.name()).addAll(out.samples("session_ns"));
                closes.get(side.name()).addAll(out.samples("close_ns"));
            }
        }
        progress("sessions", s -> millis(firstSession.get(s).median()) + " ms first, "
                + millis(further.get(s).median()) + " ms further");
        ObjectNode json = Results.object(Results.set("mcp"), "sessions");
        json.put("jvms_per_client", size.sessionJvms());
        json.put("further_per_jvm", size.furtherSessions());
        for (Side side : sides) {
            String n = side.name();
            ObjectNode o = json.putObject(n);
            o.set("first_ms", Results.spread(Results.millisEach(firstSession.get(n))));
            o.put("launch_to_session_ms_median", Results.millis(launchToSession.get(n).median()));
            o.put("launch_to_main_ms_median", Results.millis(launchToMain.get(n).median()));
            o.put("further_ms_median", Results.millis(further.get(n).median()));
            o.put("further_ms_p90", Results.millis(further.get(n).percentile(90)));
            o.put("close_ms_median", Results.millis(closes.get(n).median()));
        }
        long floorFirst = firstSession.get("floor").median();
        StringBuilder t = new StringBuilder();
        t.append("### 1. Sessions (ms; {load})\n\n");
        t.append("First session: main → initialized, median of ").append(size.sessionJvms())
                .append(" fresh JVMs per client, the peer's spawn included. Further sessions: ")
                .append(size.furtherSessions()).append(" per JVM after the first, pooled (")
                .append(size.sessionJvms() * size.furtherSessions())
                .append("), each timed from the call that spawns its peer to the initialized session.\n\n");
        t.append("| client | first: main → initialized | − floor | JVM launch → initialized | JVM launch → main "
                + "| further: median | further: p90 | further: median ÷ floor | close → peer gone, median |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (Side side : sides) {
            String n = side.name();
            Samples f = firstSession.get(n);
            t.append(String.format(Locale.ROOT, "| %s | %s (%s–%s) | %s | %s | %s | %s | %s | %.2f | %s |%n", n,
                    millis(f.median()), millis(f.min()), millis(f.max()),
                    n.equals("floor") ? "" : signedMillis(f.median() - floorFirst),
                    millis(launchToSession.get(n).median()), millis(launchToMain.get(n).median()),
                    millis(further.get(n).median()), millis(further.get(n).percentile(90)),
                    ratio(further.get(n).median(), further.get("floor").median()), millis(closes.get(n).median())));
        }
        return t.toString();
    }

    // ---------------------------------------------------------------- 2. sequential

    private final Map<String, Samples> sequentialLatency = new HashMap<>();

    private String sequential() throws IOException, InterruptedException {
        // The floor's demultiplexing form too, for reference: it pays one thread hand-off per answer, as a client
        // with a reader thread does.
        Side demux = new Side("floor, demux reader", sides.get(0).classPath(), sides.get(0).mainClass());
        List<Side> all = new ArrayList<>(sides);
        all.add(1, demux);
        all.forEach(s -> sequentialLatency.put(s.name(), new Samples()));
        for (int r = 0; r < size.seqJvms(); r++) {
            List<Side> order = new ArrayList<>(all);
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Side side : order) {
                Output out = launch(side, side == demux ? "seq-demux" : "seq", size.seqWarm(), size.seqCalls(),
                        side == demux ? 2 : 1);
                sequentialLatency.get(side.name()).addAll(out.samples("seq_ns"));
            }
        }
        progress("sequential", s -> micros(sequentialLatency.get(s).median()) + " µs p50");
        ObjectNode json = Results.object(Results.set("mcp"), "sequential");
        json.put("jvms_per_client", size.seqJvms());
        json.put("warm_calls", size.seqWarm());
        json.put("timed_calls", size.seqCalls());
        for (Side side : all) {
            json.set(side.name(), Results.latency(sequentialLatency.get(side.name())));
        }
        Samples floor = sequentialLatency.get("floor");
        StringBuilder t = new StringBuilder();
        t.append("### 2. Sequential `tools/call echo` (µs; {load})\n\n");
        t.append("One session, one platform thread (the child's main), calls back to back: ")
                .append(String.format(Locale.ROOT, "%,d", size.seqWarm())).append(" warm-up calls, then ")
                .append(String.format(Locale.ROOT, "%,d", size.seqCalls())).append(" timed, in each of ")
                .append(size.seqJvms()).append(" JVMs per client, pooled. The floor is its direct loop (the caller "
                        + "reads its own pipe); *floor, demux reader* is the floor's many-caller form (a reader thread "
                        + "completes the caller's future), shown for reference; ratios are to the direct loop.\n\n");
        t.append("| client | calls | p50 | p90 | p99 | p50 ÷ floor | p99 ÷ floor |\n");
        t.append("|---|--:|--:|--:|--:|--:|--:|\n");
        for (Side side : all) {
            Samples s = sequentialLatency.get(side.name());
            t.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f | %.2f |%n", side.name(), s.size(),
                    micros(s.median()), micros(s.percentile(90)), micros(s.percentile(99)),
                    ratio(s.median(), floor.median()), ratio(s.percentile(99), floor.percentile(99))));
        }
        return t.toString();
    }

    // ---------------------------------------------------------------- 3. throughput

    /** One row of the throughput table: a side, a thread kind, a caller count. */
    private record Key(String side, String threads, int callers) {
    }

    /** Measured rounds of one row. */
    private static final class Rounds {
        final List<Double> callsPerSecond = new ArrayList<>();
        final Map<String, Long> errors = new TreeMap<>();
        final Map<Integer, Long> failedPerRound = new HashMap<>();
        /** The time of each answered call in the latency rounds, after the measured ones. */
        final Samples latencies = new Samples();
        /** Calls failed or not made in the latency rounds. */
        long latencyFailed;
        long failed;
        long unfinished;
        int rounds;

        double medianCallsPerSecond() {
            List<Double> sorted = callsPerSecond.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        /** Failed calls in all measured rounds, and the most in one round. */
        String errors() {
            long most = failedPerRound.values().stream().mapToLong(Long::longValue).max().orElse(0);
            return failed == 0 ? "0" : String.format(Locale.ROOT, "%,d (%,d)", failed, most);
        }
    }

    private final Map<Key, Rounds> throughputRounds = new HashMap<>();
    /** The warm-up rounds, left out of the figures; what failed in them is reported all the same. */
    private final Map<Key, Rounds> warmRounds = new HashMap<>();
    private static final int[] CALLERS = {1, 16, 64, 256};
    private static final String[] THREADS = {"platform", "virtual"};

    private String throughput() throws IOException, InterruptedException {
        int turn = 0;
        for (int callers : CALLERS) {
            for (Side side : turn(turn++)) {
                Output out = launch(side, "tput-" + callers, callers, size.tputCallsPerRound() / callers,
                        size.tputWarm(), size.tputRounds(), size.tputLatencyRounds());
                for (Map<String, String> r : out.records("round")) {
                    Rounds rounds = (Boolean.parseBoolean(r.get("measured")) ? throughputRounds : warmRounds)
                            .computeIfAbsent(new Key(side.name(), r.get("threads"), callers), k -> new Rounds());
                    rounds.callsPerSecond.add(Long.parseLong(r.get("ok")) * 1e9 / Long.parseLong(r.get("wall_ns")));
                    rounds.unfinished += Long.parseLong(r.get("unfinished"));
                    rounds.rounds++;
                }
                for (Map<String, String> e : out.records("error")) {
                    Rounds rounds = (Boolean.parseBoolean(e.get("measured")) ? throughputRounds : warmRounds)
                            .get(new Key(side.name(), e.get("threads"), callers));
                    long count = Long.parseLong(e.get("count"));
                    rounds.failed += count;
                    rounds.failedPerRound.merge(Integer.parseInt(e.get("round")), count, Long::sum);
                    rounds.errors.merge(e.get("kind"), count, Long::sum);
                }
                for (Map<String, String> r : out.records("latround")) {
                    Rounds rounds = throughputRounds.get(new Key(side.name(), r.get("threads"), callers));
                    rounds.latencyFailed += Long.parseLong(r.get("failed")) + Long.parseLong(r.get("unfinished"));
                }
                for (String threads : THREADS) {
                    throughputRounds.get(new Key(side.name(), threads, callers)).latencies
                            .addAll(out.samples("tput_" + threads + "_ns"));
                }
            }
            int c = callers;
            progress("calls/s, " + callers + " callers", s -> String.format(Locale.ROOT, "%,.0f virtual",
                    throughputRounds.get(new Key(s, "virtual", c)).medianCallsPerSecond()));
        }
        StringBuilder t = new StringBuilder();
        t.append("### 3. Calls per second on one session ({load})\n\n");
        t.append("Echo calls. A round: N callers start together and each makes ")
                .append(String.format(Locale.ROOT, "%,d", size.tputCallsPerRound())).append(" ÷ N calls back to back; ")
                .append(size.tputWarm()).append(" warm-up and ").append(size.tputRounds())
                .append(" measured rounds per thread kind, platform and virtual rounds alternating in one JVM per "
                        + "client and caller count. calls/s: answered calls ÷ the round's wall time, median round. "
                        + "A failed call is counted, and its caller goes on; a round still running 90 s after its "
                        + "start is cut short (threads dumped, then interrupted), and the calls it did not make are "
                        + "*unfinished*. The floor is its direct loop for 1 caller, its demultiplexing reader for "
                        + "more. Then ").append(size.tputLatencyRounds()).append(" more rounds per thread kind in "
                        + "which each caller also times each call, for the latency percentiles only (not in this "
                        + "table).\n\n");
        t.append("| callers | threads | floor calls/s | Weft calls/s | SDK calls/s | Weft ÷ floor | SDK ÷ floor "
                + "| failed calls (most in a round): floor / Weft / SDK | unfinished calls: floor / Weft / SDK |\n");
        t.append("|--:|---|--:|--:|--:|--:|--:|--:|--:|\n");
        StringBuilder kinds = new StringBuilder();
        for (int callers : CALLERS) {
            for (String threads : THREADS) {
                Rounds f = throughputRounds.get(new Key("floor", threads, callers));
                Rounds w = throughputRounds.get(new Key("Weft", threads, callers));
                Rounds s = throughputRounds.get(new Key("SDK", threads, callers));
                t.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %,.0f | %.2f | %.2f "
                                + "| %s / %s / %s | %d / %d / %d |%n", callers, threads,
                        f.medianCallsPerSecond(), w.medianCallsPerSecond(), s.medianCallsPerSecond(),
                        w.medianCallsPerSecond() / f.medianCallsPerSecond(),
                        s.medianCallsPerSecond() / f.medianCallsPerSecond(),
                        f.errors(), w.errors(), s.errors(),
                        f.unfinished, w.unfinished, s.unfinished));
                for (Side side : sides) {
                    Rounds r = throughputRounds.get(new Key(side.name(), threads, callers));
                    r.errors.forEach((kind, n) -> kinds.append(String.format(Locale.ROOT,
                            "- %s, %d %s callers: %,d in %d rounds: `%s`%n", side.name(), callers, threads, n,
                            r.rounds, kind)));
                }
            }
        }
        t.append('\n');
        if (!kinds.isEmpty()) {
            t.append("Errors by kind (measured rounds):\n\n").append(kinds).append('\n');
        }
        StringBuilder warm = new StringBuilder();
        for (int callers : CALLERS) {
            for (String threads : THREADS) {
                for (Side side : sides) {
                    Rounds r = warmRounds.get(new Key(side.name(), threads, callers));
                    if (r != null && r.failed + r.unfinished > 0) {
                        warm.append(String.format(Locale.ROOT, "- %s, %d %s callers: %,d failed, %,d unfinished in "
                                        + "%d warm-up rounds: %s%n", side.name(), callers, threads, r.failed,
                                r.unfinished, r.rounds, r.errors.entrySet().stream()
                                        .map(e -> "`" + e.getKey() + "` × " + e.getValue())
                                        .collect(Collectors.joining("; "))));
                    }
                }
            }
        }
        if (!warm.isEmpty()) {
            t.append("Failures in warm-up rounds (not in the table):\n\n").append(warm).append('\n');
        }
        recordThroughput();
        return t.toString();
    }

    private void recordThroughput() {
        ObjectNode json = Results.object(Results.set("mcp"), "throughput");
        json.put("calls_per_round", size.tputCallsPerRound());
        json.put("warm_rounds", size.tputWarm());
        json.put("measured_rounds", size.tputRounds());
        json.put("latency_rounds", size.tputLatencyRounds());
        ArrayNode rows = Results.array(json, "rows");
        for (int callers : CALLERS) {
            for (String threads : THREADS) {
                for (Side side : sides) {
                    Key key = new Key(side.name(), threads, callers);
                    Rounds r = throughputRounds.get(key);
                    ObjectNode row = rows.addObject();
                    row.put("callers", callers);
                    row.put("threads", threads);
                    row.put("side", side.name());
                    row.set("calls_per_s", Results.spread(r.callsPerSecond.stream().mapToDouble(Double::doubleValue)
                            .toArray()));
                    row.put("failed", r.failed);
                    row.put("most_failed_in_a_round", r.failedPerRound.values().stream().mapToLong(Long::longValue)
                            .max().orElse(0));
                    row.put("unfinished", r.unfinished);
                    row.set("errors", Results.kinds(r.errors));
                    row.set("latency", Results.latency(r.latencies));
                    row.put("latency_rounds_failed", r.latencyFailed);
                    Rounds w = warmRounds.get(key);
                    row.put("warm_up_failed", w == null ? 0 : w.failed);
                    row.put("warm_up_unfinished", w == null ? 0 : w.unfinished);
                }
            }
        }
    }

    // ---------------------------------------------------------------- 4. kill

    /** The calls of one side and in-flight count: the times from kill to error, the capped ones, the kinds. */
    private static final class Killed {
        final Samples failTimes = new Samples();
        final Map<String, Integer> kinds = new TreeMap<>();
        int capped;
        int calls;
    }

    private final Map<Key, Killed> killed = new HashMap<>();
    private static final int[] IN_FLIGHT = {1, 16};

    private String kill() throws IOException, InterruptedException {
        int turn = 0;
        for (int pending : IN_FLIGHT) {
            for (Side side : turn(turn++)) {
                Output out = launch(side, "kill-" + pending, pending, size.killReps(), size.killCapSeconds());
                Killed k = killed.computeIfAbsent(new Key(side.name(), "virtual", pending), x -> new Killed());
                for (Map<String, String> r : out.records("killed")) {
                    k.calls++;
                    if (r.get("outcome").equals("capped")) {
                        k.capped++;
                    } else {
                        k.failTimes.add(Long.parseLong(r.get("ns")));
                        k.kinds.merge(r.get("kind"), 1, Integer::sum);
                    }
                }
            }
            int p = pending;
            progress("kill, " + pending + " in flight", s -> describe(killed.get(new Key(s, "virtual", p))));
        }
        StringBuilder t = new StringBuilder();
        t.append("### 4. From the server's SIGKILL to each in-flight call's error (ms; {load})\n\n");
        t.append("Per repetition a fresh session; N virtual threads each call `hold` (which the peer answers after "
                + "120 s); once every caller is parked and a `ping` sent after their calls is answered, the peer is "
                + "killed by pid (`destroyForcibly`, SIGKILL), and each caller takes the time when its call throws. ")
                .append(size.killReps()).append(" repetitions per client and N. A call still waiting ")
                .append(size.killCapSeconds()).append(" s after the kill is counted as *capped* and interrupted.\n\n");
        t.append("| in flight | client | calls | errors within the cap | capped at ").append(size.killCapSeconds())
                .append(" s | median | max | error kinds |\n");
        t.append("|--:|---|--:|--:|--:|--:|--:|---|\n");
        for (int pending : IN_FLIGHT) {
            for (Side side : sides) {
                Killed k = killed.get(new Key(side.name(), "virtual", pending));
                boolean any = k.failTimes.size() > 0;
                t.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %s | %s | %s |%n", pending,
                        side.name(), k.calls, k.failTimes.size(), k.capped,
                        any ? millis3(k.failTimes.median()) : "–", any ? millis3(k.failTimes.max()) : "–",
                        k.kinds.entrySet().stream().map(e -> "`" + e.getKey() + "` × " + e.getValue())
                                .collect(Collectors.joining("; "))));
            }
        }
        t.append('\n');
        ObjectNode json = Results.object(Results.set("mcp"), "kill");
        json.put("reps", size.killReps());
        json.put("cap_s", size.killCapSeconds());
        ArrayNode rows = Results.array(json, "rows");
        for (int pending : IN_FLIGHT) {
            for (Side side : sides) {
                Killed k = killed.get(new Key(side.name(), "virtual", pending));
                ObjectNode row = rows.addObject();
                row.put("in_flight", pending);
                row.put("side", side.name());
                row.put("calls", k.calls);
                row.put("capped", k.capped);
                row.set("error_ms", Results.spread(Results.millisEach(k.failTimes)));
                row.set("kinds", Results.kinds(k.kinds));
            }
        }
        return t.toString();
    }

    // ---------------------------------------------------------------- 5. kill over HTTP

    private final Map<Key, Killed> killedHttp = new HashMap<>();

    /** As {@link #kill}, over Streamable HTTP, for Weft and the SDK (the floor has no HTTP client). */
    private String killHttp() throws IOException, InterruptedException {
        List<Side> clients = sides.stream().filter(s -> !s.name().equals("floor")).toList();
        int turn = 0;
        for (int pending : IN_FLIGHT) {
            List<Side> order = new ArrayList<>(clients);
            if (turn++ % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Side side : order) {
                Output out = launch(side, "killhttp-" + pending, httpPeer, pending, size.killReps(),
                        size.killCapSeconds());
                Killed k = killedHttp.computeIfAbsent(new Key(side.name(), "virtual", pending), x -> new Killed());
                for (Map<String, String> r : out.records("killed")) {
                    k.calls++;
                    if (r.get("outcome").equals("capped")) {
                        k.capped++;
                    } else {
                        k.failTimes.add(Long.parseLong(r.get("ns")));
                        k.kinds.merge(r.get("kind"), 1, Integer::sum);
                    }
                }
            }
            int p = pending;
            System.out.printf(Locale.ROOT, "done: kill over HTTP, %d in flight: %s (load %s)%n", pending,
                    clients.stream().map(s -> s.name() + " " + describe(killedHttp.get(new Key(s.name(), "virtual",
                            p)))).collect(Collectors.joining("; ")), Machine.load1());
        }
        StringBuilder t = new StringBuilder();
        t.append("### 5. From the HTTP server's SIGKILL to each in-flight call's error (ms; {load})\n\n");
        t.append("As 4, over Streamable HTTP: per repetition the child starts a server of its own (`McpHttpPeer`: the "
                + "JDK's HTTP server on 127.0.0.1, Jackson, JSON answers, no event stream) and opens a session with "
                + "the client's HTTP transport, every default; N virtual threads each call `hold`; once the server "
                + "has printed that it received every hold, it is killed by pid (SIGKILL). ")
                .append(size.killReps()).append(" repetitions per client and N; a call still waiting ")
                .append(size.killCapSeconds()).append(" s after the kill is *capped*. The floor has no HTTP client.\n\n");
        t.append("| in flight | client | calls | errors within the cap | capped at ").append(size.killCapSeconds())
                .append(" s | median | max | error kinds |\n");
        t.append("|--:|---|--:|--:|--:|--:|--:|---|\n");
        ObjectNode json = Results.object(Results.set("mcp"), "kill_http");
        json.put("reps", size.killReps());
        json.put("cap_s", size.killCapSeconds());
        ArrayNode rows = Results.array(json, "rows");
        for (int pending : IN_FLIGHT) {
            for (Side side : clients) {
                Killed k = killedHttp.get(new Key(side.name(), "virtual", pending));
                boolean any = k.failTimes.size() > 0;
                t.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %s | %s | %s |%n", pending,
                        side.name(), k.calls, k.failTimes.size(), k.capped,
                        any ? millis3(k.failTimes.median()) : "–", any ? millis3(k.failTimes.max()) : "–",
                        k.kinds.entrySet().stream().map(e -> "`" + e.getKey() + "` × " + e.getValue())
                                .collect(Collectors.joining("; "))));
                ObjectNode row = rows.addObject();
                row.put("in_flight", pending);
                row.put("side", side.name());
                row.put("calls", k.calls);
                row.put("capped", k.capped);
                row.set("error_ms", Results.spread(Results.millisEach(k.failTimes)));
                row.set("kinds", Results.kinds(k.kinds));
            }
        }
        t.append('\n');
        return t.toString();
    }

    private static String describe(Killed k) {
        return k.failTimes.size() == 0 ? k.capped + " capped"
                : millis3(k.failTimes.median()) + " ms median, " + k.capped + " capped";
    }

    // ---------------------------------------------------------------- targets

    private void printTargets() {
        ArrayNode targets = Results.array(Results.set("mcp"), "targets");
        for (int pending : IN_FLIGHT) {
            Killed w = killed.get(new Key("Weft", "virtual", pending));
            Killed s = killed.get(new Key("SDK", "virtual", pending));
            target(targets, "kill_" + pending, "kill → error under 10 ms, " + pending + " in flight (every call)",
                    killMet(w), killMet(s));
        }
        Rounds tf = throughputRounds.get(new Key("floor", "virtual", 256));
        target(targets, "calls_256_virtual", "calls/s at 256 virtual callers ≥ 0.9 × floor, 0 errors",
                tputMet(throughputRounds.get(new Key("Weft", "virtual", 256)), tf),
                tputMet(throughputRounds.get(new Key("SDK", "virtual", 256)), tf));
        long floorSeq = sequentialLatency.get("floor").median();
        target(targets, "sequential_p50", "sequential p50 ≤ 1.1 × floor",
                sequentialLatency.get("Weft").median() <= 1.1 * floorSeq,
                sequentialLatency.get("SDK").median() <= 1.1 * floorSeq);
        long floorFirst = firstSession.get("floor").median();
        target(targets, "first_session", "first session in a fresh JVM ≤ floor + 150 ms (median)",
                firstSession.get("Weft").median() - floorFirst <= COLD_TARGET_NANOS,
                firstSession.get("SDK").median() - floorFirst <= COLD_TARGET_NANOS);
        System.out.println("### Targets");
        System.out.println();
        System.out.println("| target | floor | Weft | Weft met | SDK | SDK meets |");
        System.out.println("|---|--:|--:|:-:|--:|:-:|");
        // crash to error
        for (int pending : IN_FLIGHT) {
            Killed f = killed.get(new Key("floor", "virtual", pending));
            Killed w = killed.get(new Key("Weft", "virtual", pending));
            Killed s = killed.get(new Key("SDK", "virtual", pending));
            System.out.printf(Locale.ROOT, "| kill → error under 10 ms, %d in flight (median / max ms) | %s | %s | %s "
                    + "| %s | %s |%n", pending, killFigure(f), killFigure(w), met(killMet(w)), killFigure(s),
                    met(killMet(s)));
        }
        Rounds f = throughputRounds.get(new Key("floor", "virtual", 256));
        Rounds w = throughputRounds.get(new Key("Weft", "virtual", 256));
        Rounds s = throughputRounds.get(new Key("SDK", "virtual", 256));
        System.out.printf(Locale.ROOT, "| calls/s at 256 virtual callers ≥ 0.9 × floor, 0 errors | %,.0f | %,.0f "
                        + "(%.2f×, %d errors) | %s | %,.0f (%.2f×, %d errors) | %s |%n",
                f.medianCallsPerSecond(), w.medianCallsPerSecond(), w.medianCallsPerSecond() / f.medianCallsPerSecond(),
                w.failed + w.unfinished, met(tputMet(w, f)), s.medianCallsPerSecond(),
                s.medianCallsPerSecond() / f.medianCallsPerSecond(), s.failed + s.unfinished, met(tputMet(s, f)));
        Samples fs = sequentialLatency.get("floor");
        Samples ws = sequentialLatency.get("Weft");
        Samples ss = sequentialLatency.get("SDK");
        System.out.printf(Locale.ROOT, "| sequential p50 ≤ 1.1 × floor (µs) | %s | %s (%.2f×) | %s | %s (%.2f×) | %s |%n",
                micros(fs.median()), micros(ws.median()), ratio(ws.median(), fs.median()),
                met(ws.median() <= 1.1 * fs.median()), micros(ss.median()), ratio(ss.median(), fs.median()),
                met(ss.median() <= 1.1 * fs.median()));
        long ff = firstSession.get("floor").median();
        long wf = firstSession.get("Weft").median();
        long sf = firstSession.get("SDK").median();
        System.out.printf(Locale.ROOT, "| first session in a fresh JVM ≤ floor + 150 ms (median ms) | %s | %s (%s) "
                        + "| %s | %s (%s) | %s |%n", millis(ff), millis(wf), signedMillis(wf - ff),
                met(wf - ff <= COLD_TARGET_NANOS), millis(sf), signedMillis(sf - ff), met(sf - ff <= COLD_TARGET_NANOS));
        System.out.println();
    }

    private static void target(ArrayNode targets, String id, String text, boolean weft, boolean sdk) {
        ObjectNode o = targets.addObject();
        o.put("id", id);
        o.put("target", text);
        o.put("weft_met", weft);
        o.put("sdk_met", sdk);
    }

    private static String killFigure(Killed k) {
        String figure = k.failTimes.size() == 0 ? "none"
                : millis3(k.failTimes.median()) + " / " + millis3(k.failTimes.max());
        return k.capped == 0 ? figure : figure + " (" + k.capped + " of " + k.calls + " capped)";
    }

    private static boolean killMet(Killed k) {
        return k.capped == 0 && k.failTimes.size() > 0 && k.failTimes.max() < KILL_TARGET_NANOS;
    }

    private static boolean tputMet(Rounds r, Rounds floor) {
        return r.failed + r.unfinished == 0 && r.medianCallsPerSecond() >= 0.9 * floor.medianCallsPerSecond();
    }

    private static String met(boolean met) {
        return met ? "yes" : "**no**";
    }

    // ---------------------------------------------------------------- children

    /** The sides in turn {@code k}: forward in even turns, backward in odd ones. */
    private List<Side> turn(int k) {
        List<Side> order = new ArrayList<>(sides);
        if (k % 2 == 1) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private Map<String, Samples> perSide() {
        Map<String, Samples> map = new LinkedHashMap<>();
        sides.forEach(s -> map.put(s.name(), new Samples()));
        return map;
    }

    private void progress(String what, Function<String, String> figure) {
        System.out.printf(Locale.ROOT, "done: %s: %s (load %s)%n", what,
                sides.stream().map(s -> s.name() + " " + figure.apply(s.name())).collect(Collectors.joining("; ")),
                Machine.load1());
    }

    /** Runs one child JVM to its end; its result lines (without the tag). Its output goes to a log as well. */
    private Output launch(Side side, String mode, int... numbers) throws IOException, InterruptedException {
        return launch(side, mode, peer, numbers);
    }

    /** As {@link #launch(Side, String, int...)}, with {@code server} for the child's server command. */
    private Output launch(Side side, String mode, List<String> server, int... numbers)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Machine.java());
        command.addAll(CLIENT_FLAGS);
        command.add("-Dweft.bench.mcp.dumps=" + dir.resolve("logs"));
        command.addAll(List.of("-cp", side.classPath(), side.mainClass(), mode.replaceFirst("-.*", "")));
        Arrays.stream(numbers).forEach(n -> command.add(Integer.toString(n)));
        command.add("--");
        command.addAll(server);
        Path log = dir.resolve("logs/" + (++launches) + "-" + side.name() + "-" + mode + ".log");
        Instant launched = Instant.now();
        long launchedMicros = launched.getEpochSecond() * 1_000_000 + launched.getNano() / 1_000;
        ChildJvm.Output output = ChildJvm.run(command, null, log, CHILD_LIMIT_MINUTES, 2_000);
        List<String> lines = output.tagged();
        if (output.killed()) {
            throw new IllegalStateException(side.name() + " " + mode + " did not end; see " + log);
        }
        if (output.exitValue() != 0) {
            throw new IllegalStateException(side.name() + " " + mode + " exited with " + output.exitValue() + ":\n"
                    + tail(log));
        }
        for (String line : lines) {
            if (line.startsWith("note ")) {
                notes.add(side.name() + " " + mode + ": " + line.substring(5));
            }
        }
        return new Output(lines, launchedMicros);
    }

    private static String tail(Path log) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String millis3(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String signedMillis(long nanos) {
        return String.format(Locale.ROOT, "%+.1f", nanos / 1e6);
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static double ratio(long a, long b) {
        return (double) a / b;
    }
}
