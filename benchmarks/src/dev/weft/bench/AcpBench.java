package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The ACP client benchmark's driver: Weft's ACP client against acp-core 0.14.0's sync client (the Java ACP SDK,
 * agentclientprotocol/java-sdk), each in fresh JVMs running {@code dev.weft.bench.acp.AcpChild} with the same JDK and
 * flags, against the same agent ({@code dev.weft.bench.acp.AcpPeer}, Jackson only). Each repetition is one child per
 * side (Weft first in odd rounds, the SDK first in even ones), and each child is started only when the one before it
 * has exited and every process it started is gone.
 *
 * <p>Every agent command carries a tag of its repetition ({@code -Dweft.bench.acp.tag=...}), so that after the child
 * has exited the driver can look for any agent of that repetition still alive, wherever it has been reparented: it
 * reports such a process as a failure of the repetition, and kills it. A repetition whose child failed, timed out,
 * left a process behind, or did not report every figure is reported as failed, with why, and left out of the
 * summary.
 *
 * <p>System properties (set by {@code benchmarks/run}): {@code weft.bench.acp.weft}, {@code weft.bench.acp.sdk} and
 * {@code weft.bench.acp.peer} (class paths), {@code weft.bench.acp.dir} (a scratch directory for the agent's class-data
 * archive, the children's working directory and their logs).
 */
final class AcpBench {
    private static final long CHILD_LIMIT_MINUTES = 5;
    private static final long GONE_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * How much work the set does: the scripts' sizes, the warm-up's, the repetitions, and the cap on the crash (from
     * "bye") and on the updates still due after a prompt returned. The cap is 35 s, not 30: acp-core's prompt ends only
     * by its 30 s request timeout, which starts at the send, 10 to 20 ms before "bye"; a 30 s cap from "bye" raced it
     * (and lost once in a run of five), so that the same event read as 29,990 ms in one repetition and as no error in
     * the next.
     */
    record Size(int flood, int tools, int warmFlood, int warmTools, int reps, int capSeconds) {
        static final Size FULL = new Size(100_000, 20_000, 10_000, 2_000, 5, 35);
        static final Size QUICK = new Size(10_000, 2_000, 1_000, 200, 1, 35);
    }

    /** A client under test: its name in the tables, its class path, its main class. */
    private record Side(String name, String classPath, String mainClass) {
    }

    /** One repetition of one side: the records its child printed, and what went wrong (empty when nothing did). */
    private record Rep(int number, Side side, Map<String, Map<String, String>> records, List<String> problems,
                       String loadBefore, String loadAfter) {
        boolean ok() {
            return problems.isEmpty();
        }

        Map<String, String> get(String record) {
            return records.get(record);
        }

        double figure(String record, String key) {
            return Double.parseDouble(records.get(record).get(key));
        }
    }

    private static final List<String> RECORDS = List.of("open", "flood", "floodthreads", "tools", "cancel", "crash");

    private final Size size;
    private final List<Side> sides;
    private final Path dir;
    private final String peerClassPath;
    private final List<Rep> reps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int launches;

    private AcpBench(Size size) {
        this.size = size;
        this.sides = List.of(
                new Side("Weft", Machine.property("weft.bench.acp.weft"), "dev.weft.bench.acp.WeftAcpSide"),
                new Side("SDK", Machine.property("weft.bench.acp.sdk"), "dev.weft.bench.acp.SdkAcpSide"));
        this.dir = Path.of(Machine.property("weft.bench.acp.dir"));
        this.peerClassPath = Machine.property("weft.bench.acp.peer");
    }

    static void run(boolean quick) throws IOException, InterruptedException {
        new AcpBench(quick ? Size.QUICK : Size.FULL).runAll();
    }

    /** The agent command: the same JDK, serial GC, an automatic class-data archive, the repetition's tag. */
    private List<String> agent(String tag) {
        return List.of(Machine.java(), "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + dir.resolve("peer.jsa"), property(tag), "-cp",
                peerClassPath, "dev.weft.bench.acp.AcpPeer");
    }

    private void runAll() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        warmPeerArchive();
        String loadBefore = Machine.load1();
        System.out.println("## ACP client: Weft vs acp-core 0.14.0");
        System.out.println();
        System.out.println("    host JVMs:    " + Machine.java() + " " + String.join(" ", McpBench.CLIENT_FLAGS)
                + " (each side alike)");
        List<String> example = agent("<tag>");
        System.out.println("    agent:        " + String.join(" ", example.subList(0, example.size() - 3))
                + " -cp ... dev.weft.bench.acp.AcpPeer");
        for (Side side : sides) {
            System.out.println("    " + String.format(Locale.ROOT, "%-13s", side.name() + ":") + "-cp "
                    + side.classPath().replace(System.getProperty("user.dir") + "/", ""));
        }
        System.out.printf(Locale.ROOT, "    scripts:      warm-up flood %d, tools %d; timed flood %d, tools %d; slow; "
                + "crash (cap %d s); %d repetitions%n", size.warmFlood(), size.warmTools(), size.flood(), size.tools(),
                size.capSeconds(), size.reps());
        System.out.println();
        for (int k = 0; k < size.reps(); k++) {
            List<Side> order = new ArrayList<>(sides);
            if (k % 2 == 1) {
                Collections.reverse(order);
            }
            for (Side side : order) {
                Rep rep = repetition(k + 1, side);
                reps.add(rep);
                progress(rep);
            }
        }
        System.out.println();
        printReps();
        printSummary(loadBefore);
        printDetails();
        if (!notes.isEmpty()) {
            System.out.println("Notes from the children:");
            System.out.println();
            notes.forEach(note -> System.out.println("- " + note));
            System.out.println();
        }
    }

    /** Starts the agent twice with no input: the first run writes its class-data archive, the second checks it. */
    private void warmPeerArchive() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Process p = new ProcessBuilder(agent("archive")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/peer-archive.log").toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("the agent did not start and stop cleanly; see "
                        + dir.resolve("logs/peer-archive.log"));
            }
        }
    }

    // ---------------------------------------------------------------- one repetition

    private Rep repetition(int number, Side side) throws IOException, InterruptedException {
        int launch = ++launches;
        String tag = "acp-" + ProcessHandle.current().pid() + "-" + launch;
        List<String> problems = new ArrayList<>();
        List<ProcessHandle> stale = ChildJvm.tagged(property(tag));
        if (!stale.isEmpty()) {
            throw new IllegalStateException("processes tagged " + tag + " before its repetition: " + stale);
        }
        List<String> command = new ArrayList<>();
        command.add(Machine.java());
        command.addAll(McpBench.CLIENT_FLAGS);
        command.addAll(List.of("-cp", side.classPath(), side.mainClass(), Integer.toString(size.flood()),
                Integer.toString(size.tools()), Integer.toString(size.warmFlood()), Integer.toString(size.warmTools()),
                Integer.toString(size.capSeconds()), "--"));
        command.addAll(agent(tag));
        Path log = dir.resolve("logs/" + launch + "-" + side.name() + "-rep" + number + ".log");
        String loadBefore = Machine.load1();
        ChildJvm.Output output = ChildJvm.run(command, dir, log, CHILD_LIMIT_MINUTES, 4_000);
        List<String> lines = output.tagged();
        if (output.killed()) {
            problems.add("the host JVM did not end within " + CHILD_LIMIT_MINUTES + " min; killed");
        } else if (output.exitValue() != 0) {
            problems.add("the host JVM exited with " + output.exitValue() + " (see " + log.getFileName() + ")");
        }

        // Every agent of the repetition must be gone now that its host has exited.
        List<ProcessHandle> left = ChildJvm.awaitGone(property(tag), GONE_CAP_NANOS);
        if (!left.isEmpty()) {
            problems.add(left.size() + " agent process(es) alive 30 s after the host JVM exited (pids "
                    + left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(",")) + "); killed");
            left.forEach(ProcessHandle::destroyForcibly);
        }

        Map<String, Map<String, String>> records = new LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            String name = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (name) {
                case "note" -> notes.add(side.name() + " rep " + number + ": " + rest);
                case "failed" -> {
                    Map<String, String> f = Machine.fields(rest);
                    problems.add(f.get("scenario") + " failed after " + f.get("seen") + " updates: `" + f.get("kind")
                            + "`");
                }
                case "closed" -> {
                    Map<String, String> f = Machine.fields(rest);
                    records.put("closed-" + f.get("which"), f);
                    if (!"0".equals(f.get("leftover"))) {
                        problems.add(f.get("leftover") + " agent process(es) alive 30 s after the close ("
                                + f.get("which") + "; pids " + f.get("pids") + "); killed by the host");
                    }
                }
                case "defaults" -> records.put(name, Map.of("text", rest));
                default -> records.put(name, fields(rest));
            }
        }
        for (String record : RECORDS) {
            if (!records.containsKey(record)) {
                problems.add("no `" + record + "` figures (see " + log.getFileName() + ")");
            }
        }
        checkTimed(records.get("flood"), size.flood(), "flood", problems);
        checkTimed(records.get("tools"), 2 * size.tools(), "tools", problems);
        checkTimed(records.get("warmflood"), size.warmFlood(), "warm-up flood", problems);
        checkTimed(records.get("warmtools"), 2 * size.warmTools(), "warm-up tools", problems);
        return new Rep(number, side, records, problems, loadBefore, Machine.load1());
    }

    /**
     * A timed prompt must have delivered every update, each once; it may deliver them out of order (that is reported,
     * not failed).
     */
    private static void checkTimed(Map<String, String> f, int expected, String name, List<String> problems) {
        if (f == null) {
            return;
        }
        if (!f.get("n").equals(Integer.toString(expected)) || !f.get("delivered").equals(f.get("n"))
                || !f.get("missing").equals("0") || !f.get("duplicates").equals("0") || !f.get("all").equals("true")) {
            problems.add(name + ": " + f.get("delivered") + " of " + expected + " updates delivered (missing "
                    + f.get("missing") + ", duplicates " + f.get("duplicates") + ", stray " + f.get("stray") + ")");
        }
        if (!"end_turn".equals(f.get("stop"))) {
            problems.add(name + ": stop reason " + f.get("stop"));
        }
    }

    /** A record's {@code k=v} fields; an {@code outcome=} field (always the last) takes the rest of the line. */
    private static Map<String, String> fields(String rest) {
        int outcome = rest.indexOf(" outcome=");
        Map<String, String> f = new LinkedHashMap<>(Machine.fields(outcome < 0 ? rest : rest.substring(0, outcome)));
        if (outcome >= 0) {
            f.put("outcome", rest.substring(outcome + " outcome=".length()));
        }
        return f;
    }

    /** The system property on the command line of every agent a repetition starts. */
    private static String property(String tag) {
        return "-Dweft.bench.acp.tag=" + tag;
    }

    private void progress(Rep rep) {
        Map<String, String> flood = rep.get("flood");
        Map<String, String> tools = rep.get("tools");
        Map<String, String> crash = rep.get("crash");
        Map<String, String> cancel = rep.get("cancel");
        System.out.printf(Locale.ROOT, "done: acp, rep %d, %s: flood %s ms (%s out of place), tools %s ms, "
                        + "cancel %s ms, crash %s%s (load %s)%n", rep.number(), rep.side().name(),
                flood == null ? "–" : millis(flood.get("wall_ns")), flood == null ? "–" : flood.get("out_of_place"),
                tools == null ? "–" : millis(tools.get("wall_ns")),
                cancel == null ? "–" : millis(cancel.get("cancel_ns")),
                crash == null ? "–" : (crash.get("capped").equals("true") ? "no error within " + size.capSeconds()
                        + " s" : millis(crash.get("end_ns")) + " ms"),
                rep.ok() ? "" : "; **failed**: " + String.join("; ", rep.problems()), Machine.load1());
    }

    // ---------------------------------------------------------------- tables

    private void printReps() {
        System.out.println("### ACP client: each repetition (a fresh host JVM each)");
        System.out.println();
        System.out.println("Wall: from sending the prompt to its return with every update delivered to the listener. "
                + "CPU: the host JVM's, per 1,000 updates. Out of place: updates whose place in delivery order is not "
                + "their place in the script. Cancel: from the listener's `cancel()` to the prompt's return. Crash: "
                + "from the listener's \"bye\" to the prompt's return or throw. Threads: live platform threads during "
                + "the flood prompt, before / at its middle update / peak / at its return.");
        System.out.println();
        System.out.println("| rep | side | flood ms | flood updates/s | flood CPU ms/1k | flood out of place "
                + "| tools ms | tools updates/s | tools CPU ms/1k | tools out of place | tool calls left non-terminal "
                + "| cancel ms | cancel: terminal updates seen / non-terminal left | crash ms | threads | outcome | load 1m |");
        System.out.println("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|");
        for (Rep r : reps) {
            Map<String, String> flood = r.get("flood");
            Map<String, String> tools = r.get("tools");
            Map<String, String> cancel = r.get("cancel");
            Map<String, String> crash = r.get("crash");
            System.out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                            + "| %s | %s→%s |%n", r.number(), r.side().name(),
                    flood == null ? "–" : millis(flood.get("wall_ns")), flood == null ? "–" : rate(flood),
                    flood == null ? "–" : cpuPerThousand(flood), flood == null ? "–" : flood.get("out_of_place"),
                    tools == null ? "–" : millis(tools.get("wall_ns")), tools == null ? "–" : rate(tools),
                    tools == null ? "–" : cpuPerThousand(tools), tools == null ? "–" : tools.get("out_of_place"),
                    tools == null ? "–" : tools.get("nonterminal"),
                    cancel == null ? "–" : millis(cancel.get("cancel_ns")),
                    cancel == null ? "–" : cancel.get("terminal_seen") + " / " + cancel.get("nonterminal"),
                    crash == null ? "–" : (crash.get("capped").equals("true") ? "no error within "
                            + size.capSeconds() + " s" : millis(crash.get("end_ns"))),
                    flood == null ? "–" : flood.get("threads_before") + " / " + flood.get("threads_mid") + " / "
                            + flood.get("threads_peak") + " / " + flood.get("threads_at_return"),
                    r.ok() ? "ok" : "**failed**: " + String.join("; ", r.problems()), r.loadBefore(), r.loadAfter());
        }
        System.out.println();
    }

    /** A row of the summary: a figure of a repetition, for both sides; {@code ratio}: whether Weft ÷ SDK means much. */
    private record Row(String key, String name, ToDoubleFunction<Rep> value, String format, boolean ratio) {
        Row(String key, String name, ToDoubleFunction<Rep> value, String format) {
            this(key, name, value, format, true);
        }
    }

    private void printSummary(String loadBefore) {
        String flood = String.format(Locale.ROOT, "flood %,d", size.flood());
        String tools = String.format(Locale.ROOT, "tools %,d (%,d updates)", size.tools(), 2 * size.tools());
        List<Row> rows = List.of(
                new Row("open_ms", "start → session open (ms)", r -> r.figure("open", "ns") / 1e6, "%.1f"),
                new Row("flood_wall_ms", flood + ": wall (ms)", r -> r.figure("flood", "wall_ns") / 1e6, "%.1f"),
                new Row("flood_updates_per_s", "flood: updates/s", r -> rateOf(r.get("flood")), "%,.0f"),
                new Row("flood_cpu_ms_per_1k", "flood: host CPU per 1,000 updates (ms)", r -> cpuOf(r.get("flood")),
                        "%.2f"),
                new Row("flood_at_return", "flood: updates seen when the prompt returned",
                        r -> r.figure("flood", "at_return"), "%,.0f", false),
                new Row("flood_out_of_place", "flood: updates out of place", r -> r.figure("flood", "out_of_place"),
                        "%,.0f", false),
                new Row("flood_max_concurrent", "flood: listener calls running at once, most",
                        r -> r.figure("flood", "max_concurrent"), "%.0f", false),
                new Row("flood_listener_threads", "flood: threads the listener ran on",
                        r -> r.figure("flood", "listener_threads"), "%.0f", false),
                new Row("tools_wall_ms", tools + ": wall (ms)", r -> r.figure("tools", "wall_ns") / 1e6, "%.1f"),
                new Row("tools_updates_per_s", "tools: updates/s", r -> rateOf(r.get("tools")), "%,.0f"),
                new Row("tools_cpu_ms_per_1k", "tools: host CPU per 1,000 updates (ms)", r -> cpuOf(r.get("tools")),
                        "%.2f"),
                new Row("tools_out_of_place", "tools: updates out of place", r -> r.figure("tools", "out_of_place"),
                        "%,.0f", false),
                new Row("tools_nonterminal", "tools: tool calls whose last update seen is not terminal",
                        r -> r.figure("tools", "nonterminal"), "%,.0f", false),
                new Row("crash_ms", "crash: \"bye\" → prompt returned or threw (ms)",
                        r -> r.get("crash").get("capped").equals("true") ? Double.NaN
                                : r.figure("crash", "end_ns") / 1e6, "%.1f"),
                new Row("cancel_ms", "cancel: cancel() → prompt returned (ms)",
                        r -> r.figure("cancel", "cancel_ns") / 1e6, "%.2f"),
                new Row("cancel_terminal_seen", "cancel: terminal tool-call updates the listener saw",
                        r -> r.figure("cancel", "terminal_seen"), "%.0f", false),
                new Row("cancel_synthesized", "cancel: … of which made up by the client",
                        r -> r.figure("cancel", "synthesized"), "%.0f", false),
                new Row("cancel_nonterminal", "cancel: tool calls left non-terminal",
                        r -> r.figure("cancel", "nonterminal"), "%.0f", false),
                new Row("threads_before", "threads: live platform threads before the flood prompt",
                        r -> r.figure("flood", "threads_before"), "%.0f"),
                new Row("threads_mid", "threads: at the flood's middle update", r -> r.figure("flood", "threads_mid"),
                        "%.0f"),
                new Row("threads_peak_flood", "threads: peak during the flood prompt",
                        r -> r.figure("flood", "threads_peak"), "%.0f"),
                new Row("threads_peak_tools", "threads: peak during the tools prompt",
                        r -> r.figure("tools", "threads_peak"), "%.0f"),
                new Row("close_ms", "close → agent gone (ms)", r -> r.figure("closed-first", "gone_ns") / 1e6,
                        "%.1f"));
        List<Rep> weft = succeeded("Weft");
        List<Rep> sdk = succeeded("SDK");
        System.out.println("### ACP client: summary (1-min load " + loadBefore + "→" + Machine.load1() + ")");
        System.out.println();
        System.out.println("Median over the repetitions that succeeded (lowest–highest); ratio = Weft ÷ SDK, of the "
                + "medians.");
        System.out.println();
        System.out.println("| figure | Weft | SDK | Weft ÷ SDK |");
        System.out.println("|---|--:|--:|--:|");
        System.out.printf(Locale.ROOT, "| repetitions: succeeded / failed | %d / %d | %d / %d | |%n", weft.size(),
                failed("Weft"), sdk.size(), failed("SDK"));
        for (Row row : rows) {
            double w = medianOf(weft, row.value());
            double s = medianOf(sdk, row.value());
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", row.name(), spread(weft, row), spread(sdk, row),
                    !row.ratio() || Double.isNaN(w) || Double.isNaN(s) || s == 0 ? "–" : ratio(w / s));
        }
        System.out.println();
        record(rows, weft, sdk);
    }

    /**
     * Every figure of the set, to {@link Results}: the summary's rows (a repetition whose crash had no error within
     * the cap is counted in {@code capped}, not in the values), what each side threw and did on cancel, each
     * repetition's figures.
     */
    private void record(List<Row> rows, List<Rep> weft, List<Rep> sdk) {
        ObjectNode json = Results.set("acp");
        json.put("flood", size.flood());
        json.put("tools", size.tools());
        json.put("reps", size.reps());
        json.put("cap_s", size.capSeconds());
        ObjectNode counts = json.putObject("succeeded");
        counts.put("weft", weft.size());
        counts.put("sdk", sdk.size());
        ObjectNode summary = json.putObject("summary");
        for (Row row : rows) {
            ObjectNode o = summary.putObject(row.key());
            o.put("figure", row.name());
            o.set("weft", spreadOf(weft, row));
            o.set("sdk", spreadOf(sdk, row));
        }
        for (Side side : sides) {
            ObjectNode o = json.putObject(side.name());
            List<Rep> ok = succeeded(side.name());
            o.put("defaults", ok.isEmpty() ? "" : ok.get(0).get("defaults").get("text"));
            Map<String, Integer> crash = new TreeMap<>();
            ok.forEach(r -> crash.merge(r.get("crash").get("capped").equals("true") ? "no error within "
                    + size.capSeconds() + " s" : r.get("crash").get("outcome"), 1, Integer::sum));
            o.set("crash_outcomes", Results.kinds(crash));
            Map<String, Integer> cancel = new TreeMap<>();
            ok.forEach(r -> cancel.merge(r.get("cancel").get("outcome"), 1, Integer::sum));
            o.set("cancel_outcomes", Results.kinds(cancel));
        }
        ArrayNode all = json.putArray("reps_each");
        for (Rep r : reps) {
            ObjectNode o = all.addObject();
            o.put("rep", r.number());
            o.put("side", r.side().name());
            o.put("ok", r.ok());
            r.problems().forEach(o.putArray("problems")::add);
            for (Row row : rows) {
                try {
                    double value = row.value().applyAsDouble(r);
                    if (!Double.isNaN(value)) {
                        o.put(row.key(), Results.round(value, 3));
                    }
                } catch (RuntimeException e) {
                    // a failed repetition may lack the record: its figure is left out
                }
            }
            o.put("load_before", r.loadBefore());
            o.put("load_after", r.loadAfter());
        }
        notes.forEach(Results.array(json, "notes")::add);
    }

    private static ObjectNode spreadOf(List<Rep> reps, Row row) {
        double[] values = reps.stream().mapToDouble(row.value()).toArray();
        ObjectNode o = Results.spread(Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray());
        o.put("capped", Arrays.stream(values).filter(Double::isNaN).count());
        return o;
    }

    /** What each side threw on the crash, its cancel's outcome, and its threads by name. */
    private void printDetails() {
        for (Side side : sides) {
            List<Rep> ok = succeeded(side.name());
            System.out.println("**" + side.name() + "** (" + (ok.isEmpty() ? "no repetition succeeded"
                    : ok.get(0).get("defaults").get("text")) + "):");
            System.out.println();
            System.out.println("- crash: " + counted(ok, r -> r.get("crash").get("capped").equals("true")
                    ? "no error within " + size.capSeconds() + " s" : r.get("crash").get("outcome")));
            System.out.println("- cancel: " + counted(ok, r -> r.get("cancel").get("outcome") + "; terminal updates "
                    + r.get("cancel").get("terminal_seen") + ", of which the client's " + r.get("cancel")
                    .get("synthesized") + "; listener on " + r.get("cancel").get("listener")));
            ok.stream().findFirst().ifPresent(r -> {
                System.out.println("- flood, listener ran on (rep " + r.number() + "): "
                        + names(r.get("floodthreads").get("listener")));
                System.out.println("- platform threads when the flood prompt returned (rep " + r.number() + "): "
                        + names(r.get("floodthreads").get("names")));
            });
            System.out.println();
        }
    }

    /** Distinct values of {@code what} over the repetitions, each with how many repetitions gave it. */
    private static String counted(List<Rep> reps, Function<Rep, String> what) {
        Map<String, Integer> counts = new TreeMap<>();
        reps.forEach(r -> counts.merge(what.apply(r), 1, Integer::sum));
        return counts.entrySet().stream().map(e -> "`" + e.getKey() + "` × " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** {@code count×name|...} as {@code `name` × count, ...}. */
    private static String names(String folded) {
        if (folded == null || folded.isEmpty()) {
            return "–";
        }
        return Arrays.stream(folded.split("\\|")).map(n -> "`" + n.substring(n.indexOf('×') + 1).replace('_', ' ')
                + "` × " + n.substring(0, n.indexOf('×'))).collect(Collectors.joining(", "));
    }

    private List<Rep> succeeded(String side) {
        return reps.stream().filter(r -> r.side().name().equals(side) && r.ok()).toList();
    }

    private long failed(String side) {
        return reps.stream().filter(r -> r.side().name().equals(side) && !r.ok()).count();
    }

    private String spread(List<Rep> reps, Row row) {
        if (reps.isEmpty()) {
            return "–";
        }
        double[] values = reps.stream().mapToDouble(row.value()).sorted().toArray();
        long capped = Arrays.stream(values).filter(Double::isNaN).count();
        if (capped == values.length) {
            return "no error within " + size.capSeconds() + " s";
        }
        double[] real = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        String median = String.format(Locale.ROOT, row.format(), real[(real.length - 1) / 2]);
        String range = real.length == 1 || real[0] == real[real.length - 1] ? ""
                : " (" + String.format(Locale.ROOT, row.format(), real[0]) + "–"
                + String.format(Locale.ROOT, row.format(), real[real.length - 1]) + ")";
        return median + range + (capped == 0 ? "" : "; no error within " + size.capSeconds() + " s in " + capped);
    }

    /** The median of the repetitions' values (the lower middle one of an even count); NaN if any is NaN or none. */
    private static double medianOf(List<Rep> reps, ToDoubleFunction<Rep> value) {
        double[] values = reps.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0 || Arrays.stream(values).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        return values[(values.length - 1) / 2];
    }

    // ---------------------------------------------------------------- helpers

    /** A ratio to 3 decimals, or to 2 significant digits when under 0.01. */
    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 0.01 ? "%.3f" : "%.2g", r);
    }

    private static double rateOf(Map<String, String> f) {
        return Double.parseDouble(f.get("n")) / (Double.parseDouble(f.get("wall_ns")) / 1e9);
    }

    private static double cpuOf(Map<String, String> f) {
        return Double.parseDouble(f.get("cpu_ns")) / 1e6 / (Double.parseDouble(f.get("n")) / 1000);
    }

    private static String rate(Map<String, String> f) {
        return String.format(Locale.ROOT, "%,.0f", rateOf(f));
    }

    private static String cpuPerThousand(Map<String, String> f) {
        return String.format(Locale.ROOT, "%.2f", cpuOf(f));
    }

    private static String millis(String nanos) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(nanos) / 1e6);
    }
}
