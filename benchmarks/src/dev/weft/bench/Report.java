package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The report of a run, from its figures (the JSON document of {@link Results}) only: the charts ({@link Charts}) and
 * a Markdown block with the headline figures of every set side by side, the conditions of the run and the charts.
 * The block always goes to {@code benchmarks/target/report-<stamp>.md} (the charts to
 * {@code benchmarks/target/charts-<stamp>/}); with {@code --report} the charts go to {@code benchmarks/charts/} and
 * the block replaces the one between {@value #BEGIN} and {@value #END} in {@code benchmarks/README.md}.
 */
final class Report {
    static final String BEGIN = "<!-- results:begin -->";
    static final String END = "<!-- results:end -->";

    private final JsonNode results;
    private final List<String[]> rows = new ArrayList<>();

    private Report(JsonNode results) {
        this.results = results;
    }

    static void write(JsonNode results, Path home, boolean readme) throws IOException {
        String stamp = results.at("/run/stamp").asText();
        Path charts = readme ? home.resolve("charts") : home.resolve("target/charts-" + stamp);
        List<Charts.Written> written = Charts.drawAll(results, charts);
        Path preview = home.resolve("target/report-" + stamp + ".md");
        String block = new Report(results).block(written, home.resolve("target").relativize(charts) + "/");
        Files.createDirectories(preview.getParent());
        Files.writeString(preview, block, StandardCharsets.UTF_8);
        Path root = home.getParent();
        System.out.println("charts: " + root.relativize(charts) + "/ (" + written.size() + ": "
                + String.join(", ", written.stream().map(Charts.Written::file).toList()) + ")");
        System.out.println("report: " + root.relativize(preview));
        if (readme) {
            Path file = home.resolve("README.md");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int begin = text.indexOf(BEGIN);
            int end = text.indexOf(END);
            if (begin < 0 || end < begin) {
                throw new IllegalStateException(file + " has no " + BEGIN + " ... " + END + " block to replace");
            }
            String forReadme = new Report(results).block(written, "charts/");
            Files.writeString(file, text.substring(0, begin) + forReadme + text.substring(end + END.length()),
                    StandardCharsets.UTF_8);
            System.out.println("README: " + root.relativize(file) + ", its block between " + BEGIN + " and " + END);
        }
    }

    // ---------------------------------------------------------------- the block

    private String block(List<Charts.Written> charts, String chartPath) {
        JsonNode run = results.path("run");
        JsonNode m = results.path("machine");
        StringBuilder b = new StringBuilder();
        b.append(BEGIN).append('\n');
        b.append("<!-- Written by benchmarks/run --report from benchmarks/target/results-")
                .append(run.path("stamp").asText()).append(".json; edits here are lost at the next report. -->\n\n");
        b.append("## Report: Weft against the official SDKs, one run\n\n");
        if (run.path("quick").asBoolean()) {
            b.append("**A `--quick` smoke run: few calls and repetitions; its figures mean little.**\n\n");
        }
        b.append("Every figure below was measured in one run of `").append(run.path("command").asText())
                .append("`, on ").append(m.path("started").asText().replace('T', ' ').replace("Z", " UTC"))
                .append(", commit `").append(m.path("commit").asText()).append("`, in ")
                .append(Chart.number(run.path("minutes").asDouble())).append(" minutes; ")
                .append(results.has("rendered") ? "the charts and this block were drawn again from the same figures, "
                        + "without measuring, by `" + results.at("/rendered/command").asText() + "` at commit `"
                        + results.at("/rendered/commit").asText() + "`, " + results.at("/rendered/at").asText()
                        .replace('T', ' ').replace("Z", " UTC") + "." : "the charts were drawn by the run from the same "
                        + "figures.").append(" Weft is compared with the official MCP Java SDK "
                        + "(`io.modelcontextprotocol.sdk:mcp` 2.1.0) for MCP, with acp-core 0.14.0 (the Java ACP "
                        + "SDK) for ACP, and, for the transport set, with raw baselines that use no library. How each "
                        + "set measures, and its caveats, are in its section below.\n\n");
        conditions(b);
        b.append("### Headline figures\n\n");
        b.append("Ratio = Weft ÷ the other: under 1 means Weft takes less (time, threads, memory), above 1 that it "
                + "gets more done (calls/s). Medians unless said.\n\n");
        headline();
        b.append("| set | figure | Weft | SDK (or baseline) | Weft ÷ SDK | target |\n");
        b.append("|---|---|--:|--:|--:|---|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        b.append('\n');
        if (!charts.isEmpty()) {
            b.append("### Charts\n\n");
            for (Charts.Written c : charts) {
                b.append(c.caption()).append("\n\n");
                b.append("![").append(c.caption().replaceAll("[\\[\\]]", "")).append("](").append(chartPath)
                        .append(c.file()).append(")\n\n");
            }
        }
        b.append(END);
        return b.toString();
    }

    private void conditions(StringBuilder b) {
        JsonNode m = results.path("machine");
        b.append("**Machine**: ").append(m.path("cores").asInt()).append(" cores (").append(m.path("cpu").asText())
                .append("), ").append(Chart.number(m.path("memory_gb").asDouble())).append(" GB, ")
                .append(m.path("os").asText()).append("; JDK ").append(m.path("jdk").asText())
                .append(". Benchmark JVM: `").append(m.path("benchmark_jvm").asText())
                .append("`; the JVMs it starts, on the same JDK: ").append(m.path("child_jvm_flags").asText())
                .append(".\n\n");
        b.append("**Load** (1, 5, 15 min): ").append(m.path("load_start").asText()).append(" at the start, ")
                .append(m.path("load_end").asText()).append(" at the end (").append(m.path("ended").asText()
                        .replace('T', ' ').replace("Z", " UTC")).append("); during the run the load is mostly the "
                        + "benchmark's own.\n\n");
        JsonNode other = results.path("other_activity");
        if (!other.isMissingNode()) {
            b.append("**Other activity**: processes other than the benchmark's that used more than ")
                    .append(other.path("threshold_percent_of_a_core").asInt()).append(" % of a core in a ")
                    .append(other.path("period_s").asInt()).append(" s look (").append(other.path("looks").asInt())
                    .append(" looks during the run): ");
            if (other.path("busy").isEmpty()) {
                b.append("none.\n\n");
            } else {
                b.append(other.path("busy").size()).append(".\n\n");
                for (JsonNode p : other.path("busy")) {
                    b.append("- `").append(p.path("command").asText().replace("`", "'")).append("` (pid ")
                            .append(p.path("pid").asLong()).append("): ")
                            .append(p.path("first").asText().replace("T", " ").replace("Z", "")).append(" to ")
                            .append(p.path("last").asText().replaceFirst(".*T", "").replace("Z", "")).append(" UTC, ")
                            .append(p.path("periods").asInt()).append(" looks, up to ")
                            .append(p.path("most_percent_of_a_core").asInt()).append(" % of a core\n");
                }
                b.append('\n');
            }
        }
        JsonNode sets = results.at("/run/set_times");
        if (sets.isArray() && !sets.isEmpty()) {
            b.append("| set | minutes | 1-min load, start → end |\n|---|--:|---|\n");
            for (JsonNode s : sets) {
                b.append("| ").append(s.path("set").asText()).append(" | ")
                        .append(Chart.number(s.path("minutes").asDouble())).append(" | ")
                        .append(s.path("load_before").asText()).append(" → ").append(s.path("load_after").asText())
                        .append(" |\n");
            }
            b.append('\n');
        }
        JsonNode busiest = m.path("busiest_at_start");
        if (busiest.isArray() && !busiest.isEmpty()) {
            b.append("<details><summary>Busiest processes at the start (top, over 0.5 s)</summary>\n\n```\n");
            busiest.forEach(l -> b.append(l.asText()).append('\n'));
            b.append("```\n\n</details>\n\n");
        }
    }

    // ---------------------------------------------------------------- headline figures

    private void headline() {
        transport();
        mcpClient();
        mcpServer();
        pool();
        acp();
    }

    private void row(String set, String figure, String weft, String other, String ratio, String target) {
        rows.add(new String[] {set, figure, weft, other, ratio, target});
    }

    private void transport() {
        JsonNode rt = results.at("/sets/transport/round_trips");
        String set = "transport (vs raw baseline)";
        for (JsonNode r : rt) {
            String wire = r.path("wire").asText();
            int callers = r.path("callers").asInt();
            boolean keep = wire.startsWith("stdio") || wire.contains("Connection far end");
            if (!keep) {
                continue;
            }
            String who = wire + ", " + callers + (callers == 1 ? " caller" : " callers");
            if (callers == 1) {
                double w = r.at("/weft/latency/p50_us").asDouble();
                double b = r.at("/baseline/latency/p50_us").asDouble();
                row(set, "round trip p50 (µs), " + who, num(w), num(b), ratio(w, b), "");
            } else {
                double w = r.at("/weft/calls_per_s/median").asDouble();
                double b = r.at("/baseline/calls_per_s/median").asDouble();
                row(set, "calls/s, " + who, num(w), num(b), ratio(w, b), "");
            }
        }
        for (JsonNode r : results.at("/sets/transport/fail_fast")) {
            if (r.path("pending").asInt() != 1000) {
                continue;
            }
            double w = r.at("/weft/fail_ms/median").asDouble();
            double b = r.at("/baseline/fail_ms/median").asDouble();
            row(set, r.path("end").asText() + ", 1,000 pending: → last call failed (ms), median (max)",
                    num(w) + " (" + num(r.at("/weft/fail_ms/max").asDouble()) + ")",
                    num(b) + " (" + num(r.at("/baseline/fail_ms/max").asDouble()) + ")", ratio(w, b),
                    "< 10 ms: median " + met(r.path("weft_median_met").asBoolean()) + ", max "
                            + met(r.path("weft_max_met").asBoolean()));
        }
    }

    private void mcpClient() {
        JsonNode mcp = results.at("/sets/mcp");
        if (mcp.isMissingNode()) {
            return;
        }
        String set = "MCP client";
        JsonNode targets = mcp.path("targets");
        JsonNode s = mcp.path("sessions");
        if (!s.isMissingNode()) {
            double w = s.at("/Weft/first_ms/median").asDouble();
            double k = s.at("/SDK/first_ms/median").asDouble();
            double f = s.at("/floor/first_ms/median").asDouble();
            row(set, "first session in a fresh JVM, main → initialized (ms)", num(w), num(k), ratio(w, k),
                    "≤ floor + 150 ms (floor " + num(f) + "): " + target(targets, "first_session"));
            w = s.at("/Weft/close_ms_median").asDouble();
            k = s.at("/SDK/close_ms_median").asDouble();
            row(set, "close → peer process gone (ms)", num(w), num(k), ratio(w, k), "");
        }
        JsonNode seq = mcp.path("sequential");
        if (!seq.isMissingNode()) {
            double w = seq.at("/Weft/p50_us").asDouble();
            double k = seq.at("/SDK/p50_us").asDouble();
            row(set, "echo latency, 1 caller, p50 / p99 (µs)", num(w) + " / " + num(seq.at("/Weft/p99_us").asDouble()),
                    num(k) + " / " + num(seq.at("/SDK/p99_us").asDouble()),
                    ratio(w, k) + " / " + ratio(seq.at("/Weft/p99_us").asDouble(), seq.at("/SDK/p99_us").asDouble()),
                    "p50 ≤ 1.1 × floor (" + num(seq.at("/floor/p50_us").asDouble()) + "): "
                            + target(targets, "sequential_p50"));
        }
        JsonNode rows = mcp.at("/throughput/rows");
        if (!rows.isMissingNode()) {
            Function<String, JsonNode> at64 = side -> Charts.row(rows, r -> r.path("callers").asInt() == 64
                    && r.path("threads").asText().equals("virtual") && r.path("side").asText().equals(side));
            JsonNode w64 = at64.apply("Weft").path("latency");
            JsonNode k64 = at64.apply("SDK").path("latency");
            row(set, "echo latency, 64 virtual callers, p50 / p99 (µs)",
                    num(w64.path("p50_us").asDouble()) + " / " + num(w64.path("p99_us").asDouble()),
                    num(k64.path("p50_us").asDouble()) + " / " + num(k64.path("p99_us").asDouble()),
                    ratio(w64.path("p50_us").asDouble(), k64.path("p50_us").asDouble()) + " / "
                            + ratio(w64.path("p99_us").asDouble(), k64.path("p99_us").asDouble()), "");
            for (String threads : List.of("virtual", "platform")) {
                List<String> w = new ArrayList<>();
                List<String> k = new ArrayList<>();
                List<String> q = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                for (int callers : new int[] {1, 16, 64, 256}) {
                    JsonNode wr = Charts.row(rows, r -> r.path("callers").asInt() == callers
                            && r.path("threads").asText().equals(threads) && r.path("side").asText().equals("Weft"));
                    JsonNode kr = Charts.row(rows, r -> r.path("callers").asInt() == callers
                            && r.path("threads").asText().equals(threads) && r.path("side").asText().equals("SDK"));
                    if (wr.isMissingNode() || kr.isMissingNode()) {
                        continue;
                    }
                    counts.add(Integer.toString(callers));
                    w.add(num(wr.at("/calls_per_s/median").asDouble()));
                    k.add(num(kr.at("/calls_per_s/median").asDouble()));
                    q.add(ratio(wr.at("/calls_per_s/median").asDouble(), kr.at("/calls_per_s/median").asDouble()));
                }
                row(set, "calls/s, " + String.join(" / ", counts) + " " + threads + " callers", String.join(" / ", w),
                        String.join(" / ", k), String.join(" / ", q), threads.equals("virtual")
                                ? "256 virtual ≥ 0.9 × floor, 0 errors: " + target(targets, "calls_256_virtual") : "");
            }
            long wf = 0;
            long kf = 0;
            for (JsonNode r : rows) {
                long failed = r.path("failed").asLong() + r.path("unfinished").asLong();
                if (r.path("side").asText().equals("Weft")) {
                    wf += failed;
                } else if (r.path("side").asText().equals("SDK")) {
                    kf += failed;
                }
            }
            row(set, "calls failed or unfinished, every measured round", String.format(Locale.ROOT, "%,d", wf),
                    String.format(Locale.ROOT, "%,d", kf), "", "");
        }
        for (String key : List.of("kill", "kill_http")) {
            JsonNode kill = mcp.path(key);
            if (kill.isMissingNode()) {
                continue;
            }
            List<Integer> inFlight = new ArrayList<>();
            kill.path("rows").forEach(r -> {
                if (!inFlight.contains(r.path("in_flight").asInt())) {
                    inFlight.add(r.path("in_flight").asInt());
                }
            });
            for (int n : inFlight) {
                JsonNode w = Charts.row(kill.path("rows"), r -> r.path("in_flight").asInt() == n
                        && r.path("side").asText().equals("Weft"));
                JsonNode k = Charts.row(kill.path("rows"), r -> r.path("in_flight").asInt() == n
                        && r.path("side").asText().equals("SDK"));
                String what = key.equals("kill") ? "stdio server SIGKILL" : "HTTP server SIGKILL";
                row(set, what + " → error, " + n + " in flight (ms), median (max)", killFigure(w), killFigure(k),
                        ratio(w.at("/error_ms/median").asDouble(Double.NaN), k.at("/error_ms/median")
                                .asDouble(Double.NaN)),
                        key.equals("kill") ? "< 10 ms, every call: " + target(targets, "kill_" + n) : "");
            }
        }
    }

    private static String killFigure(JsonNode row) {
        String figure = row.at("/error_ms/n").asInt() == 0 ? "none"
                : num(row.at("/error_ms/median").asDouble()) + " (" + num(row.at("/error_ms/max").asDouble()) + ")";
        int capped = row.path("capped").asInt();
        return capped == 0 ? figure : figure + ", " + capped + " of " + row.path("calls").asInt() + " capped";
    }

    private void mcpServer() {
        JsonNode server = results.at("/sets/server");
        if (server.isMissingNode()) {
            return;
        }
        String set = "MCP server";
        JsonNode tput = server.path("throughput");
        JsonNode targets = server.path("targets");
        for (String figure : List.of("calls_per_cpu_s", "calls_per_s")) {
            List<String> w = new ArrayList<>();
            List<String> k = new ArrayList<>();
            List<String> q = new ArrayList<>();
            List<String> counts = new ArrayList<>();
            List<String> met = new ArrayList<>();
            for (int callers : new int[] {1, 16, 64}) {
                JsonNode wr = Charts.row(tput, r -> r.path("callers").asInt() == callers
                        && r.path("side").asText().equals("Weft"));
                JsonNode kr = Charts.row(tput, r -> r.path("callers").asInt() == callers
                        && r.path("side").asText().equals("SDK"));
                if (wr.isMissingNode() || kr.isMissingNode()) {
                    continue;
                }
                counts.add(Integer.toString(callers));
                w.add(num(wr.at("/" + figure + "/median").asDouble()));
                k.add(num(kr.at("/" + figure + "/median").asDouble()));
                q.add(ratio(wr.at("/" + figure + "/median").asDouble(), kr.at("/" + figure + "/median").asDouble()));
                met.add(target(targets, "per_cpu_" + callers));
            }
            boolean perCpu = figure.equals("calls_per_cpu_s");
            row(set, (perCpu ? "echo calls per server CPU-second, " : "echo calls/s, ") + String.join(" / ", counts)
                            + " callers", String.join(" / ", w), String.join(" / ", k), String.join(" / ", q),
                    perCpu ? "≥ 1.5 × SDK: " + String.join(" / ", met) : "");
        }
        JsonNode lat = server.path("idle_latency");
        if (!lat.isMissingNode()) {
            int idle = lat.path("idle_sessions").asInt();
            Function<String, JsonNode> at = key -> Charts.row(lat.path("rows"), r -> (r.path("side").asText() + "/"
                    + r.path("idle").asInt()).equals(key)).path("latency");
            JsonNode w0 = at.apply("Weft/0");
            JsonNode k0 = at.apply("SDK/0");
            row(set, "echo latency, " + lat.path("callers").asInt() + " callers, p50 / p99 (µs)",
                    num(w0.path("p50_us").asDouble()) + " / " + num(w0.path("p99_us").asDouble()),
                    num(k0.path("p50_us").asDouble()) + " / " + num(k0.path("p99_us").asDouble()),
                    ratio(w0.path("p50_us").asDouble(), k0.path("p50_us").asDouble()) + " / "
                            + ratio(w0.path("p99_us").asDouble(), k0.path("p99_us").asDouble()), "");
            JsonNode flat = Charts.row(targets, t -> t.path("id").asText().equals("p99_flat"));
            row(set, String.format(Locale.ROOT, "echo p99 with %,d idle sessions ÷ p99 with none", idle),
                    ratioOf(flat.path("weft_ratio").asDouble()), ratioOf(flat.path("sdk_ratio").asDouble()), "",
                    "≤ 1.25: " + met(flat.path("weft_met").asBoolean()));
        }
        JsonNode memory = server.path("memory");
        if (!memory.isMissingNode()) {
            row(set, "heap per idle session, after full GC (kB; each JVM)", joined(memory, "Weft",
                    "heap_per_session_kb"), joined(memory, "SDK", "heap_per_session_kb"), "", "");
            row(set, "platform threads at rest (each JVM)", joined(memory, "Weft", "threads_empty"),
                    joined(memory, "SDK", "threads_empty"), "", "");
        }
        JsonNode slow = server.path("slow");
        if (!slow.isMissingNode()) {
            int n = slow.path("slow_calls").asInt();
            row(set, "echo calls/s: no slow calls → " + n + " slow calls in flight",
                    num(slow.at("/Weft/quiet_calls_per_s").asDouble()) + " → "
                            + num(slow.at("/Weft/busy_calls_per_s").asDouble()),
                    num(slow.at("/SDK/quiet_calls_per_s").asDouble()) + " → "
                            + num(slow.at("/SDK/busy_calls_per_s").asDouble()),
                    ratio(slow.at("/Weft/busy_calls_per_s").asDouble(), slow.at("/SDK/busy_calls_per_s").asDouble()),
                    "");
            row(set, n + " slow calls (" + num(slow.path("slow_ms").asDouble() / 1000) + " s each): "
                            + "time, median / max (s)",
                    num(slow.at("/Weft/slow_median_s").asDouble()) + " / " + num(slow.at("/Weft/slow_max_s").asDouble()),
                    num(slow.at("/SDK/slow_median_s").asDouble()) + " / " + num(slow.at("/SDK/slow_max_s").asDouble()),
                    "", "");
        }
    }

    private static String joined(JsonNode memory, String side, String key) {
        List<String> values = new ArrayList<>();
        memory.forEach(r -> {
            if (r.path("side").asText().equals(side)) {
                values.add(num(r.path(key).asDouble()));
            }
        });
        return String.join(", ", values);
    }

    private void pool() {
        JsonNode summary = results.at("/sets/pool/summary");
        if (summary.isMissingNode()) {
            return;
        }
        int n = results.at("/sets/pool/callers").asInt();
        String set = "session pool (" + n + ")";
        for (String[] f : new String[][] {{"all_ready_ms", "all " + n + " ready (ms)"},
                {"server_processes", "server processes"}, {"os_threads_total", "OS threads, host + servers"},
                {"host_platform_threads_added", "host platform threads added"},
                {"rss_total_mb", "RSS, host + servers (MB)"}, {"pss_total_mb", "PSS, host + servers (MB)"},
                {"cpu_total_s", "CPU until all ready, host + servers (s)"},
                {"close_ms", "close → every server gone (ms)"}}) {
            JsonNode r = summary.path(f[0]);
            double w = r.at("/weft/median").asDouble(Double.NaN);
            double k = r.at("/sdk/median").asDouble(Double.NaN);
            row(set, f[1], num(w), num(k), ratio(w, k), "");
        }
    }

    private void acp() {
        JsonNode summary = results.at("/sets/acp/summary");
        if (summary.isMissingNode()) {
            return;
        }
        JsonNode acp = results.at("/sets/acp");
        String set = "ACP client (vs acp-core)";
        String[][] figures = {
            {"flood_updates_per_s", String.format(Locale.ROOT, "flood of %,d updates: updates/s", acp.path("flood")
                    .asInt())},
            {"flood_cpu_ms_per_1k", "flood: host CPU per 1,000 updates (ms)"},
            {"tools_updates_per_s", String.format(Locale.ROOT, "%,d tool calls: updates/s", acp.path("tools")
                    .asInt())},
            {"flood_out_of_place", "flood: updates delivered out of order"},
            {"tools_nonterminal", "tools: tool calls left pending (update order)"},
            {"cancel_ms", "cancel() → prompt returned (ms)"},
            {"cancel_nonterminal", "cancel: tool calls left non-terminal"},
            {"threads_peak_flood", "platform threads, peak during the flood"},
        };
        for (String[] f : figures) {
            JsonNode r = summary.path(f[0]);
            double w = r.at("/weft/median").asDouble(Double.NaN);
            double k = r.at("/sdk/median").asDouble(Double.NaN);
            boolean counts = f[0].contains("out_of_place") || f[0].contains("nonterminal");
            row(set, f[1], num(w), num(k), counts ? "" : ratio(w, k), "");
        }
        JsonNode crash = summary.path("crash_ms");
        double cap = acp.path("cap_s").asDouble();
        String w = crash.at("/weft/n").asInt() == 0 ? "no error within " + num(cap) + " s"
                : num(crash.at("/weft/median").asDouble());
        String k = crash.at("/sdk/n").asInt() == 0 ? "no error within " + num(cap) + " s"
                : num(crash.at("/sdk/median").asDouble());
        row(set, "agent crash → prompt failed (ms)", w, k, ratio(crash.at("/weft/median").asDouble(Double.NaN),
                crash.at("/sdk/median").asDouble(Double.NaN)), "");
    }

    // ---------------------------------------------------------------- formats

    private static String target(JsonNode targets, String id) {
        JsonNode t = Charts.row(targets, x -> x.path("id").asText().equals(id));
        return t.isMissingNode() ? "–" : met(t.path("weft_met").asBoolean());
    }

    private static String met(boolean met) {
        return met ? "met" : "**missed**";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : Chart.number(v);
    }

    private static String ratio(double weft, double other) {
        if (Double.isNaN(weft) || Double.isNaN(other) || other == 0) {
            return "–";
        }
        return ratioOf(weft / other);
    }

    private static String ratioOf(double r) {
        return String.format(Locale.ROOT, r >= 0.01 ? "%.2f" : "%.2g", r);
    }
}
