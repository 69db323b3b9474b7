package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The session-pool benchmark's driver (issue 6): N conversations of Weft sharing one stdio server through a
 * {@code SessionPool}, against N clients of the official MCP Java SDK, each of which spawns a server of its own; and, for
 * reference, each host with a single caller. Each repetition is a fresh JVM running {@code dev.weft.bench.pool.PoolChild}
 * with Weft's side or the SDK's, with the same JDK and flags, against the same server command (the MCP client
 * benchmark's {@code McpPeer}); in each round the sides take turns with N callers, then with 1 (Weft first in odd
 * rounds, the SDK first in even ones), and each child is started only when the one before it has exited and every
 * process it started is gone.
 *
 * <p>Every server command carries a tag of its repetition ({@code -Dweft.bench.pool.tag=...}), so that after the child
 * has exited the driver can look for any process of that repetition still alive, wherever it has been reparented: it
 * reports such a process as a failure of the repetition, and kills it. A repetition whose child failed, timed out, left
 * a process behind, or had a caller fail or not finish is reported as failed, with why, and left out of the summary.
 *
 * <p>System properties (set by {@code benchmarks/run}): {@code weft.bench.pool.weft}, {@code weft.bench.pool.sdk} and
 * {@code weft.bench.pool.peer} (class paths), {@code weft.bench.pool.dir} (a scratch directory for the server's
 * class-data archive and the children's logs).
 */
final class PoolBench {
    private static final long CHILD_LIMIT_MINUTES = 10;
    private static final long GONE_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * How much work the section does: {@code callers} per host, {@code reps} repetitions per side of that and of the
     * 1-caller reference, each caller's cap.
     */
    record Size(int callers, int reps, int capSeconds) {
        static final Size FULL = new Size(64, 5, 120);
        static final Size QUICK = new Size(8, 1, 120);
    }

    /** A host under test: its name in the tables, its class path, its main class. */
    private record Side(String name, String classPath, String mainClass) {
    }

    /** One repetition of one side: what its child printed, and what went wrong (empty when nothing did). */
    private record Rep(int number, Side side, int callers, Map<String, String> before, Map<String, String> ready,
                       Map<String, String> summary, Map<String, String> closed, long[] readyNanos, String threadNames,
                       List<String> problems, String loadBefore, String loadAfter) {
        boolean ok() {
            return problems.isEmpty();
        }

        long figure(Map<String, String> record, String key) {
            return Long.parseLong(record.get(key));
        }
    }

    private final Size size;
    private final List<Side> sides;
    private final Path dir;
    private final String peerClassPath;
    private final long clockTicks;
    private final List<Rep> reps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int launches;

    private PoolBench(Size size) {
        this.size = size;
        this.sides = List.of(
                new Side("Weft", Machine.property("weft.bench.pool.weft"), "dev.weft.bench.pool.WeftPoolSide"),
                new Side("SDK", Machine.property("weft.bench.pool.sdk"), "dev.weft.bench.pool.SdkPoolSide"));
        this.dir = Path.of(Machine.property("weft.bench.pool.dir"));
        this.peerClassPath = Machine.property("weft.bench.pool.peer");
        this.clockTicks = Machine.clockTicks();
    }

    static void run(boolean quick) throws IOException, InterruptedException {
        new PoolBench(quick ? Size.QUICK : Size.FULL).runAll();
    }

    /**
     * The server command: the MCP client benchmark's peer, as it starts it (same JDK, serial GC, an automatic
     * class-data archive), with the repetition's tag.
     */
    private List<String> server(String tag) {
        return List.of(Machine.java(), "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + dir.resolve("peer.jsa"), property(tag), "-cp",
                peerClassPath, "dev.weft.bench.mcp.McpPeer");
    }

    private void runAll() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        warmPeerArchive();
        String loadBefore = Machine.load1();
        System.out.println("## Session pool: " + size.callers() + " Weft conversations on one pooled stdio server vs "
                + size.callers() + " SDK clients, a server each");
        System.out.println();
        System.out.println("    host JVMs:    " + Machine.java() + " " + String.join(" ", McpBench.CLIENT_FLAGS)
                + " (each side alike)");
        List<String> example = server("<tag>");
        System.out.println("    server:       " + String.join(" ", example.subList(0, example.size() - 3))
                + " -cp ... dev.weft.bench.mcp.McpPeer");
        for (Side side : sides) {
            System.out.println("    " + String.format(Locale.ROOT, "%-13s", side.name() + ":") + "-cp "
                    + side.classPath().replace(System.getProperty("user.dir") + "/", ""));
        }
        System.out.println();
        for (int k = 0; k < size.reps(); k++) {
            List<Side> order = new ArrayList<>(sides);
            if (k % 2 == 1) {
                Collections.reverse(order);
            }
            for (int callers : new int[] {size.callers(), 1}) {
                for (Side side : order) {
                    Rep rep = repetition(k + 1, side, callers);
                    reps.add(rep);
                    progress(rep);
                }
            }
        }
        System.out.println();
        printReps();
        printSummary(loadBefore);
        printThreadNames();
        if (!notes.isEmpty()) {
            System.out.println("Notes from the children:");
            System.out.println();
            notes.forEach(note -> System.out.println("- " + note));
            System.out.println();
        }
    }

    /** Starts the server twice with no input: the first run writes its class-data archive, the second checks it. */
    private void warmPeerArchive() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder(server("archive")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/peer-archive.log").toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("the server did not start and stop cleanly; see "
                        + dir.resolve("logs/peer-archive.log"));
            }
        }
    }

    // ---------------------------------------------------------------- one repetition

    private Rep repetition(int number, Side side, int callers) throws IOException, InterruptedException {
        int launch = ++launches;
        String tag = "pool-" + ProcessHandle.current().pid() + "-" + launch;
        List<String> problems = new ArrayList<>();
        List<ProcessHandle> stale = ChildJvm.tagged(property(tag));
        if (!stale.isEmpty()) {
            throw new IllegalStateException("processes tagged " + tag + " before its repetition: " + stale);
        }
        List<String> command = new ArrayList<>();
        command.add(Machine.java());
        command.addAll(McpBench.CLIENT_FLAGS);
        command.add("-Dweft.bench.pool.dumps=" + dir.resolve("logs"));
        command.addAll(List.of("-cp", side.classPath(), side.mainClass(), Integer.toString(callers),
                Integer.toString(size.capSeconds()), "--"));
        command.addAll(server(tag));
        Path log = dir.resolve("logs/" + launch + "-" + side.name() + "-" + callers + "-rep" + number + ".log");
        String loadBefore = Machine.load1();
        ChildJvm.Output output = ChildJvm.run(command, null, log, CHILD_LIMIT_MINUTES, 2_000);
        List<String> lines = output.tagged();
        if (output.killed()) {
            problems.add("the host JVM did not end within " + CHILD_LIMIT_MINUTES + " min; killed");
        } else if (output.exitValue() != 0) {
            problems.add("the host JVM exited with " + output.exitValue() + " (see " + log.getFileName() + ")");
        }

        // Every process of the repetition must be gone now that its host has exited.
        List<ProcessHandle> left = ChildJvm.awaitGone(property(tag), GONE_CAP_NANOS);
        if (!left.isEmpty()) {
            problems.add(left.size() + " server process(es) alive 30 s after the host JVM exited (pids "
                    + left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(",")) + "); killed");
            left.forEach(ProcessHandle::destroyForcibly);
        }

        Map<String, String> before = record(lines, "measure when=before");
        Map<String, String> ready = record(lines, "measure when=ready");
        Map<String, String> summary = record(lines, "summary");
        Map<String, String> closed = record(lines, "closed");
        long[] readyNanos = lines.stream().filter(l -> l.startsWith("ready ")).map(l -> Machine.fields(l.substring(6)))
                .mapToLong(f -> Long.parseLong(f.get("ns"))).toArray();
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, Integer> closeFailures = new TreeMap<>();
        for (String line : lines) {
            if (line.startsWith("failed ")) {
                failures.merge(Machine.fields(line.substring(7)).get("kind"), 1, Integer::sum);
            } else if (line.startsWith("closefailed ")) {
                closeFailures.merge(Machine.fields(line.substring(12)).get("kind"), 1, Integer::sum);
            } else if (line.startsWith("note ")) {
                notes.add(side.name() + " rep " + number + ": " + line.substring(5));
            }
        }
        if (summary == null || ready == null || closed == null || before == null) {
            problems.add("the host JVM did not report every figure (see " + log.getFileName() + ")");
        } else {
            int readyCount = Integer.parseInt(summary.get("ready"));
            if (readyCount != callers) {
                problems.add((callers - readyCount) + " of " + callers + " callers not ready ("
                        + summary.get("unfinished") + " unfinished at the " + size.capSeconds() + " s cap)");
            }
            if (!closed.get("leftover").equals("0")) {
                problems.add(closed.get("leftover") + " server process(es) alive 30 s after the close (pids "
                        + closed.get("pids") + "); killed by the host");
            }
        }
        failures.forEach((kind, n) -> problems.add(n + " × `" + kind + "`"));
        closeFailures.forEach((kind, n) -> problems.add("close: " + n + " × `" + kind + "`"));
        String threadNames = lines.stream().filter(l -> l.startsWith("threadnames ")).findFirst()
                .map(l -> l.substring("threadnames ".length())).orElse("");
        return new Rep(number, side, callers, before, ready, summary, closed, readyNanos, threadNames, problems, loadBefore,
                Machine.load1());
    }

    /** The system property on the command line of every server a repetition starts. */
    private static String property(String tag) {
        return "-Dweft.bench.pool.tag=" + tag;
    }

    private static Map<String, String> record(List<String> lines, String what) {
        for (String line : lines) {
            if (line.startsWith(what + " ")) {
                return Machine.fields(line.substring(what.length() + 1));
            }
        }
        return null;
    }

    private void progress(Rep rep) {
        if (rep.summary() == null || rep.ready() == null) {
            System.out.printf(Locale.ROOT, "done: pool, rep %d, %s, %d caller(s): **failed**: %s (load %s)%n",
                    rep.number(), rep.side().name(), rep.callers(), String.join("; ", rep.problems()), Machine.load1());
            return;
        }
        System.out.printf(Locale.ROOT, "done: pool, rep %d, %s: %d of %d ready, last at %s ms; %s server process(es), "
                        + "%s OS threads in the host, %s MB RSS host + servers%s (load %s)%n", rep.number(),
                rep.side().name(), rep.readyNanos().length, rep.callers(),
                rep.readyNanos().length == 0 ? "–" : millis(Arrays.stream(rep.readyNanos()).max().orElseThrow()),
                rep.ready().get("processes"), rep.ready().get("tasks"),
                mb(rep.figure(rep.ready(), "rss_kb") + rep.figure(rep.ready(), "server_rss_kb")),
                rep.ok() ? "" : "; **failed**: " + String.join("; ", rep.problems()), Machine.load1());
    }

    // ---------------------------------------------------------------- tables

    private void printReps() {
        System.out.println("### Session pool: each repetition (a fresh host JVM each)");
        System.out.println();
        System.out.println("Ready: from the start signal to the first `echo` answered, per conversation (Weft) or "
                + "client (SDK). Figures taken when every caller is ready, everything still open. Threads: platform "
                + "threads (`ThreadMXBean`), then OS threads (`/proc/<pid>/task`). *Added*: since all callers were "
                + "parked before the start. Close: from the release to no server process left.");
        System.out.println();
        System.out.println("| rep | side | callers ready | all ready ms | p50 ms | first ms | server processes "
                + "| host platform threads (added) | host OS threads (added) | server OS threads | host RSS MB "
                + "| servers RSS MB | servers PSS MB | CPU s host + servers | close ms | outcome | load 1m |");
        System.out.println("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|");
        for (Rep r : reps) {
            if (r.summary() == null || r.ready() == null || r.before() == null || r.closed() == null) {
                System.out.printf(Locale.ROOT, "| %d | %s | – / %d | – | – | – | – | – | – | – | – | – | – | – | – | "
                        + "**failed**: %s | %s→%s |%n", r.number(), r.side().name(), r.callers(), String.join("; ", r.problems()),
                        r.loadBefore(), r.loadAfter());
                continue;
            }
            Samples s = new Samples();
            s.addAll(r.readyNanos());
            boolean any = s.size() > 0;
            Map<String, String> b = r.before();
            Map<String, String> a = r.ready();
            System.out.printf(Locale.ROOT, "| %d | %s | %d / %d | %s | %s | %s | %s | %s (%+d) | %s (%+d) | %s | %s | %s "
                            + "| %s | %s | %s | %s | %s→%s |%n",
                    r.number(), r.side().name(), s.size(), r.callers(), any ? millis(s.max()) : "–",
                    any ? millis(s.median()) : "–", any ? millis(s.min()) : "–", a.get("processes"),
                    a.get("threads"), r.figure(a, "threads") - r.figure(b, "threads"), a.get("tasks"),
                    r.figure(a, "tasks") - r.figure(b, "tasks"), a.get("server_tasks"), mb(r.figure(a, "rss_kb")),
                    mb(r.figure(a, "server_rss_kb")), mb(r.figure(a, "server_pss_kb")),
                    seconds(r.figure(a, "ticks")) + " + " + seconds(r.figure(a, "server_ticks")),
                    millis(r.figure(r.closed(), "gone_ns")),
                    (r.ok() ? "ok" : "**failed**: " + String.join("; ", r.problems()))
                            + (r.summary().containsKey("pool_sessions")
                            ? "; sessions in the pool: " + r.summary().get("pool_sessions") : ""),
                    r.loadBefore(), r.loadAfter());
        }
        System.out.println();
    }

    /** One row of the summary: a figure of a repetition, for both sides. */
    private record Row(String key, String name, ToDoubleFunction<Rep> value, String format) {
    }

    private void printSummary(String loadBefore) {
        List<Row> rows = List.of(
                new Row("all_ready_ms", "all ready (ms)", r -> max(r.readyNanos()) / 1e6, "%.1f"),
                new Row("ready_p50_ms", "ready, p50 of the callers (ms)", r -> median(r.readyNanos()) / 1e6,
                        "%.1f"),
                new Row("first_ready_ms", "first ready (ms)", r -> min(r.readyNanos()) / 1e6, "%.1f"),
                new Row("server_processes", "server processes at all ready",
                        r -> r.figure(r.ready(), "processes"), "%.0f"),
                new Row("host_platform_threads", "host platform threads at all ready",
                        r -> r.figure(r.ready(), "threads"), "%.0f"),
                new Row("host_platform_threads_added", "… added since the start",
                        r -> r.figure(r.ready(), "threads") - r.figure(r.before(), "threads"), "%.0f"),
                new Row("host_platform_threads_peak", "host platform threads, peak",
                        r -> r.figure(r.ready(), "peak_threads"), "%.0f"),
                new Row("host_os_threads", "host OS threads at all ready", r -> r.figure(r.ready(), "tasks"),
                        "%.0f"),
                new Row("host_os_threads_added", "… added since the start",
                        r -> r.figure(r.ready(), "tasks") - r.figure(r.before(), "tasks"), "%.0f"),
                new Row("server_os_threads", "server OS threads, all servers",
                        r -> r.figure(r.ready(), "server_tasks"), "%.0f"),
                new Row("os_threads_total", "OS threads, host + servers",
                        r -> r.figure(r.ready(), "tasks") + r.figure(r.ready(), "server_tasks"), "%.0f"),
                new Row("host_rss_mb", "host RSS (MB)", r -> r.figure(r.ready(), "rss_kb") / 1024.0, "%.1f"),
                new Row("servers_rss_mb", "servers RSS, summed (MB)",
                        r -> r.figure(r.ready(), "server_rss_kb") / 1024.0, "%.1f"),
                new Row("servers_pss_mb", "servers PSS, summed (MB)",
                        r -> r.figure(r.ready(), "server_pss_kb") / 1024.0, "%.1f"),
                new Row("rss_total_mb", "RSS, host + servers (MB)",
                        r -> (r.figure(r.ready(), "rss_kb") + r.figure(r.ready(), "server_rss_kb")) / 1024.0, "%.1f"),
                new Row("pss_total_mb", "PSS, host + servers (MB)",
                        r -> (r.figure(r.ready(), "pss_kb") + r.figure(r.ready(), "server_pss_kb")) / 1024.0, "%.1f"),
                new Row("cpu_total_s", "CPU until all ready, host + servers (s)",
                        r -> (r.figure(r.ready(), "ticks") + r.figure(r.ready(), "server_ticks")) / (double) clockTicks,
                        "%.2f"),
                new Row("close_ms", "close → every server gone (ms)", r -> r.figure(r.closed(), "gone_ns") / 1e6,
                        "%.1f"));
        int n = size.callers();
        List<Rep> weft = succeeded("Weft", n);
        List<Rep> sdk = succeeded("SDK", n);
        List<Rep> weft1 = succeeded("Weft", 1);
        List<Rep> sdk1 = succeeded("SDK", 1);
        System.out.println("### Session pool: summary (1-min load " + loadBefore + "→" + Machine.load1() + ")");
        System.out.println();
        System.out.println("Median over the repetitions that succeeded (lowest–highest); ratio = Weft ÷ SDK, of the "
                + "medians. The 1-caller columns are the same host with one conversation or client, for reference.");
        System.out.println();
        System.out.println("| figure | Weft, " + n + " | SDK, " + n + " | Weft ÷ SDK | Weft, 1 | SDK, 1 |");
        System.out.println("|---|--:|--:|--:|--:|--:|");
        System.out.printf(Locale.ROOT, "| repetitions: succeeded / failed | %d / %d | %d / %d | | %d / %d | %d / %d |%n",
                weft.size(), failed("Weft", n), sdk.size(), failed("SDK", n), weft1.size(), failed("Weft", 1),
                sdk1.size(), failed("SDK", 1));
        for (Row row : rows) {
            double w = weft.isEmpty() ? Double.NaN : medianOf(weft, row.value());
            double s = sdk.isEmpty() ? Double.NaN : medianOf(sdk, row.value());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.name(), spread(weft, row),
                    spread(sdk, row), Double.isNaN(w) || Double.isNaN(s) || s == 0 ? "–"
                            : String.format(Locale.ROOT, "%.3f", w / s), spread(weft1, row), spread(sdk1, row));
        }
        System.out.println();
        record(rows, weft, sdk, weft1, sdk1);
    }

    /** Every figure of the set, to {@link Results}: the summary's rows, and each repetition's. */
    private void record(List<Row> rows, List<Rep> weft, List<Rep> sdk, List<Rep> weft1, List<Rep> sdk1) {
        ObjectNode json = Results.set("pool");
        json.put("callers", size.callers());
        json.put("reps", size.reps());
        json.put("cap_s", size.capSeconds());
        ObjectNode counts = json.putObject("succeeded");
        counts.put("weft", weft.size());
        counts.put("sdk", sdk.size());
        counts.put("weft_1", weft1.size());
        counts.put("sdk_1", sdk1.size());
        ObjectNode summary = json.putObject("summary");
        for (Row row : rows) {
            ObjectNode o = summary.putObject(row.key());
            o.put("figure", row.name());
            o.set("weft", Results.spread(weft.stream().mapToDouble(row.value()).toArray()));
            o.set("sdk", Results.spread(sdk.stream().mapToDouble(row.value()).toArray()));
            o.set("weft_1", Results.spread(weft1.stream().mapToDouble(row.value()).toArray()));
            o.set("sdk_1", Results.spread(sdk1.stream().mapToDouble(row.value()).toArray()));
        }
        ArrayNode all = json.putArray("reps_each");
        for (Rep r : reps) {
            ObjectNode o = all.addObject();
            o.put("rep", r.number());
            o.put("side", r.side().name());
            o.put("callers", r.callers());
            o.put("ok", r.ok());
            r.problems().forEach(o.putArray("problems")::add);
            if (r.ready() != null && r.before() != null && r.closed() != null && r.readyNanos().length > 0) {
                for (Row row : rows) {
                    o.put(row.key(), Results.round(row.value().applyAsDouble(r), 3));
                }
            }
            o.put("load_before", r.loadBefore());
            o.put("load_after", r.loadAfter());
        }
        notes.forEach(Results.array(json, "notes")::add);
    }

    private List<Rep> succeeded(String side, int callers) {
        return reps.stream().filter(r -> r.side().name().equals(side) && r.callers() == callers && r.ok()).toList();
    }

    private long failed(String side, int callers) {
        return reps.stream().filter(r -> r.side().name().equals(side) && r.callers() == callers && !r.ok()).count();
    }

    /** The host's platform threads by name, in the first repetition of each side that succeeded. */
    private void printThreadNames() {
        System.out.println("Host platform threads by name when all " + size.callers() + " were ready, first "
                + "repetition of each side that succeeded (digits folded to #):");
        System.out.println();
        for (Side side : sides) {
            succeeded(side.name(), size.callers()).stream().findFirst().ifPresent(r -> System.out.println(
                    "- " + side.name() + " (rep " + r.number() + "): " + Arrays.stream(r.threadNames().split("\\|"))
                            .map(n -> "`" + n.substring(n.indexOf('×') + 1) + "` × " + n.substring(0, n.indexOf('×')))
                            .collect(Collectors.joining(", "))));
        }
        System.out.println();
    }

    private static String spread(List<Rep> reps, Row row) {
        if (reps.isEmpty()) {
            return "–";
        }
        double[] values = reps.stream().mapToDouble(row.value()).sorted().toArray();
        String median = String.format(Locale.ROOT, row.format(), medianOf(reps, row.value()));
        if (values.length == 1 || values[0] == values[values.length - 1]) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, row.format(), values[0]) + "–"
                + String.format(Locale.ROOT, row.format(), values[values.length - 1]) + ")";
    }

    /** The median of the repetitions' values (the lower middle one of an even count, as nearest-rank gives). */
    private static double medianOf(List<Rep> reps, ToDoubleFunction<Rep> value) {
        double[] values = reps.stream().mapToDouble(value).sorted().toArray();
        return values[(values.length - 1) / 2];
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    private static long min(long[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static long median(long[] v) {
        Samples s = new Samples();
        s.addAll(v);
        return s.median();
    }

    // ---------------------------------------------------------------- helpers

    private String seconds(long ticks) {
        return String.format(Locale.ROOT, "%.2f", ticks / (double) clockTicks);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String mb(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
