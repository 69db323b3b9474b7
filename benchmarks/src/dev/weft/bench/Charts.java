package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The report's charts, each drawn from the figures of one run (the JSON document of {@link Results}) and nothing
 * else: no figure is typed in here. A chart whose set did not run is left out.
 */
final class Charts {
    /** A chart written: its file name, and what it shows (the README's caption). */
    record Written(String file, String caption) {
    }

    private static final int[] CLIENT_CALLERS = {1, 16, 64, 256};
    private static final Chart.Series ACP_CORE = Chart.SDK.named("acp-core 0.14.0 (Java ACP SDK)");
    private static final Chart.Series BASELINE = Chart.FLOOR.named("raw baseline (no library)");

    private final JsonNode results;
    private final Path dir;
    private final String footnote;
    private final List<Written> written = new ArrayList<>();

    private Charts(JsonNode results, Path dir) {
        this.results = results;
        this.dir = dir;
        this.footnote = footnote(results);
    }

    /** Draws every chart whose figures are in {@code results} into {@code dir}; what was written. */
    static List<Written> drawAll(JsonNode results, Path dir) throws IOException {
        Charts charts = new Charts(results, dir);
        charts.mcpClientLatency();
        charts.mcpClientCallsPerSecond();
        charts.mcpServerCallsPerSecond();
        charts.mcpServerLatency();
        charts.crashToError();
        charts.pool();
        charts.acp();
        charts.transport();
        return charts.written;
    }

    /** One line under every chart: where its figures come from, and the machine. */
    static String footnote(JsonNode results) {
        JsonNode m = results.path("machine");
        JsonNode run = results.path("run");
        String quick = (run.path("quick").asBoolean() ? "  ·  --quick: a smoke run, its figures mean little" : "")
                + (results.has("rendered") ? "  ·  drawn again by --render at commit "
                + results.at("/rendered/commit").asText() : "");
        return String.format(Locale.ROOT, "%s  ·  %s UTC  ·  commit %s%s", run.path("command").asText(),
                m.path("started").asText().replace('T', ' ').replace("Z", ""), m.path("commit").asText(), quick)
                + "\n" + String.format(Locale.ROOT, "%d cores (%s), %s GB  ·  JDK %s  ·  1-min load %s at the start  ·  "
                        + "figures: benchmarks/target/results-%s.json", m.path("cores").asInt(), m.path("cpu").asText(),
                Chart.number(m.path("memory_gb").asDouble()), m.path("jdk").asText().replaceFirst(" .*", ""),
                m.path("load_start").asText().split(" ")[0], run.path("stamp").asText())
                + (results.has("other_activity") ? "  ·  other processes busy during the run: "
                + (results.at("/other_activity/busy").isEmpty() ? "none seen" : results.at("/other_activity/busy")
                .size() + " (see the report)") : "");
    }

    // ---------------------------------------------------------------- (a) MCP client latency

    private void mcpClientLatency() throws IOException {
        JsonNode mcp = results.at("/sets/mcp");
        if (mcp.isMissingNode() || !mcp.has("sequential") || !mcp.has("throughput")) {
            return;
        }
        JsonNode seq = mcp.get("sequential");
        List<JsonNode> at64 = new ArrayList<>();
        for (String side : List.of("Weft", "SDK", "floor")) {
            at64.add(row(mcp.at("/throughput/rows"), r -> r.path("callers").asInt() == 64
                    && r.path("threads").asText().equals("virtual") && r.path("side").asText().equals(side))
                    .path("latency"));
        }
        List<JsonNode> at1 = List.of(seq.path("Weft"), seq.path("SDK"), seq.path("floor"));
        Chart.Figure figure = new Chart.Figure("MCP client: latency of a tools/call echo, Weft vs the MCP Java SDK",
                "Each call timed by its caller, over stdio to the same peer server; the floor is a raw JSON-lines loop "
                        + "with no client library.\nPercentiles on a scale of nines: each step right is ten times "
                        + "rarer. Markers at p50, p90, p99 and p99.9.", 2, 560, 400)
                .legend(Chart.WEFT, Chart.SDK, Chart.FLOOR).footnote(footnote);
        figure.add(latencyPanel("1 caller: one platform thread, calls back to back",
                String.format(Locale.ROOT, "%,d calls per client (%d JVMs, pooled)", seq.path("Weft").path("count")
                        .asInt(), mcp.at("/sequential/jvms_per_client").asInt()), at1));
        figure.add(latencyPanel("64 callers: virtual threads on one session",
                String.format(Locale.ROOT, "%,d calls per client (%d timed rounds after the calls/s rounds)",
                        at64.get(0).path("count").asInt(), mcp.at("/throughput/latency_rounds").asInt()), at64));
        write(figure, "mcp-client-latency.png", "MCP client: latency percentiles of an echo call, Weft vs the SDK "
                + "(and the raw floor), with 1 caller and with 64 virtual-thread callers on one session.");
    }

    /** Latency curves of Weft, the SDK and the floor, in that order; log µs against percentile nines. */
    private static Chart.Panel latencyPanel(String title, String note, List<JsonNode> latencies) {
        double min = Double.MAX_VALUE;
        double max = 0;
        double maxX = 3;
        for (JsonNode l : latencies) {
            if (l.path("count").asInt() == 0) {
                continue;
            }
            min = Math.min(min, l.path("min_us").asDouble());
            max = Math.max(max, l.path("max_us").asDouble());
            maxX = Math.max(maxX, Math.log10(l.path("count").asInt()));
        }
        Chart.Axis x = Chart.Axis.custom("percentile (nines)", false, 0, Math.ceil(maxX * 10) / 10, List.of(
                new Chart.Tick(0, "min"), new Chart.Tick(nines(50), "p50"), new Chart.Tick(nines(90), "p90"),
                new Chart.Tick(nines(99), "p99"), new Chart.Tick(nines(99.9), "p99.9"),
                new Chart.Tick(nines(99.99), "p99.99")));
        Chart.Axis y = Chart.Axis.log("latency (µs, log scale)", Math.max(min, 1), max, Chart::compact);
        Chart.LinePanel panel = new Chart.LinePanel(title, x, y);
        panel.note(note);
        List<Chart.Series> series = List.of(Chart.WEFT, Chart.SDK, Chart.FLOOR);
        for (int i = latencies.size() - 1; i >= 0; i--) {
            JsonNode l = latencies.get(i);
            if (l.path("count").asInt() == 0) {
                continue;
            }
            int n = l.path("curve_percentile").size();
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int k = 0; k < n; k++) {
                double p = l.path("curve_percentile").get(k).asDouble();
                xs[k] = p >= 100 ? Math.log10(l.path("count").asInt()) : nines(p);
                ys[k] = l.path("curve_us").get(k).asDouble();
            }
            panel.add(new Chart.Line(series.get(i), xs, ys, false));
            // markers where the percentile is resolved (a sample lies beyond it): p50, p90, p99, p99.9
            int count = l.path("count").asInt();
            double[] px = {nines(50), nines(90), nines(99), nines(99.9)};
            double[] py = {l.path("p50_us").asDouble(), count >= 10 ? l.path("p90_us").asDouble() : Double.NaN,
                    count >= 100 ? l.path("p99_us").asDouble() : Double.NaN,
                    count >= 1000 ? l.path("p99_9_us").asDouble() : Double.NaN};
            String[] labels = i == 2 ? null : new String[] {Chart.number(py[0]), null,
                    Double.isNaN(py[2]) ? null : Chart.number(py[2]), null};
            panel.add(new Chart.Line(series.get(i).named(""), px, py, true, labels, false));
        }
        return panel;
    }

    private static double nines(double percentile) {
        return -Math.log10(1 - percentile / 100);
    }

    // ---------------------------------------------------------------- (b) calls/s against callers

    private void mcpClientCallsPerSecond() throws IOException {
        JsonNode rows = results.at("/sets/mcp/throughput/rows");
        if (rows.isMissingNode()) {
            return;
        }
        Chart.Figure figure = new Chart.Figure("MCP client: echo calls per second on one session, against callers",
                "N callers share one session and make calls back to back; median of the measured rounds. "
                        + "Over stdio to the same peer server.", 2, 560, 400)
                .legend(Chart.WEFT, Chart.SDK, Chart.FLOOR).footnote(footnote);
        for (String threads : List.of("virtual", "platform")) {
            double[][] values = new double[3][CLIENT_CALLERS.length];
            String[] sides = {"Weft", "SDK", "floor"};
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int s = 0; s < sides.length; s++) {
                for (int c = 0; c < CLIENT_CALLERS.length; c++) {
                    int callers = CLIENT_CALLERS[c];
                    String side = sides[s];
                    JsonNode r = row(rows, x -> x.path("callers").asInt() == callers
                            && x.path("threads").asText().equals(threads) && x.path("side").asText().equals(side));
                    values[s][c] = r.isMissingNode() ? Double.NaN : r.at("/calls_per_s/median").asDouble();
                    if (!Double.isNaN(values[s][c])) {
                        min = Math.min(min, values[s][c]);
                        max = Math.max(max, values[s][c]);
                    }
                }
            }
            Chart.Axis y = max / min > 20 ? Chart.Axis.log("calls per second (log scale)", min, max, Chart::compact)
                    : Chart.Axis.linear("calls per second", 0, max * 1.1, Chart::compact);
            Chart.LinePanel panel = new Chart.LinePanel(threads.equals("virtual") ? "Virtual-thread callers"
                    : "Platform-thread callers", callersAxis(CLIENT_CALLERS), y);
            double[] xs = toDoubles(CLIENT_CALLERS);
            panel.add(new Chart.Line(Chart.FLOOR, xs, values[2], true));
            panel.add(new Chart.Line(Chart.SDK, xs, values[1], true, labels(values[1])));
            panel.add(new Chart.Line(Chart.WEFT, xs, values[0], true, labels(values[0])));
            figure.add(panel);
        }
        write(figure, "mcp-client-calls-per-second.png", "MCP client: echo calls per second on one session "
                + "against the number of callers (1, 16, 64, 256), virtual and platform threads.");
    }

    private void mcpServerCallsPerSecond() throws IOException {
        JsonNode rows = results.at("/sets/server/throughput");
        if (rows.isMissingNode()) {
            return;
        }
        List<Integer> callerList = new ArrayList<>();
        rows.forEach(r -> {
            if (!callerList.contains(r.path("callers").asInt())) {
                callerList.add(r.path("callers").asInt());
            }
        });
        int[] callers = callerList.stream().mapToInt(Integer::intValue).toArray();
        Chart.Figure figure = new Chart.Figure("MCP server over Streamable HTTP: echo calls per second, against callers",
                "Each caller has a session of its own; the load generator runs in another JVM on the same 2 cores. "
                        + "Median of the rounds.", 2, 560, 400)
                .legend(Chart.WEFT, Chart.SDK).footnote(footnote);
        for (String figureKey : List.of("calls_per_s", "calls_per_cpu_s")) {
            double[][] values = new double[2][callers.length];
            double max = 0;
            String[] sides = {"Weft", "SDK"};
            for (int s = 0; s < 2; s++) {
                for (int c = 0; c < callers.length; c++) {
                    int n = callers[c];
                    String side = sides[s];
                    values[s][c] = row(rows, x -> x.path("callers").asInt() == n && x.path("side").asText()
                            .equals(side)).at("/" + figureKey + "/median").asDouble(Double.NaN);
                    max = Math.max(max, Double.isNaN(values[s][c]) ? 0 : values[s][c]);
                }
            }
            boolean perCpu = figureKey.equals("calls_per_cpu_s");
            Chart.LinePanel panel = new Chart.LinePanel(perCpu ? "Calls per CPU-second of the server process"
                    : "Calls per second (wall clock)", callersAxis(callers),
                    Chart.Axis.linear(perCpu ? "calls per server CPU-second" : "calls per second", 0, max * 1.12,
                            Chart::compact));
            panel.note(perCpu ? "answered calls ÷ the server's utime + stime in the round" : "bounded by the "
                    + "2-core box: server and load generator share it");
            double[] xs = toDoubles(callers);
            panel.add(new Chart.Line(Chart.SDK, xs, values[1], true, labels(values[1])));
            panel.add(new Chart.Line(Chart.WEFT, xs, values[0], true, labels(values[0])));
            figure.add(panel);
        }
        write(figure, "mcp-server-calls-per-second.png", "MCP server: echo calls per second, and per CPU-second of "
                + "the server, against the number of callers (1, 16, 64), Weft vs the SDK's servlet transport on "
                + "Jetty.");
    }

    private void mcpServerLatency() throws IOException {
        JsonNode server = results.at("/sets/server");
        if (server.isMissingNode() || !server.has("idle_latency") || !server.has("slow")) {
            return;
        }
        int idle = server.at("/idle_latency/idle_sessions").asInt();
        List<JsonNode> curves = new ArrayList<>();
        for (String side : List.of("Weft", "SDK")) {
            for (int count : new int[] {0, idle}) {
                curves.add(row(server.at("/idle_latency/rows"), r -> r.path("side").asText().equals(side)
                        && r.path("idle").asInt() == count).path("latency"));
            }
        }
        Chart.Figure figure = new Chart.Figure("MCP server: echo latency with idle sessions, and serving while slow "
                + "calls run", null, 2, 560, 400)
                .legend(Chart.WEFT, Chart.WEFT.light(String.format(Locale.ROOT, "Weft, %,d idle sessions", idle))
                                .withDashes(), Chart.SDK,
                        Chart.SDK.light(String.format(Locale.ROOT, "SDK, %,d idle sessions", idle)).withDashes())
                .footnote(footnote);
        double min = Double.MAX_VALUE;
        double max = 0;
        double maxX = 3;
        for (JsonNode l : curves) {
            min = Math.min(min, l.path("min_us").asDouble(Double.MAX_VALUE));
            max = Math.max(max, l.path("max_us").asDouble(0));
            maxX = Math.max(maxX, Math.log10(Math.max(1, l.path("count").asInt())));
        }
        Chart.Axis x = Chart.Axis.custom("percentile (nines)", false, 0, Math.ceil(maxX * 10) / 10, List.of(
                new Chart.Tick(0, "min"), new Chart.Tick(nines(50), "p50"), new Chart.Tick(nines(90), "p90"),
                new Chart.Tick(nines(99), "p99"), new Chart.Tick(nines(99.9), "p99.9"),
                new Chart.Tick(nines(99.99), "p99.99")));
        Chart.LinePanel panel = new Chart.LinePanel(String.format(Locale.ROOT, "Echo latency, %d callers, with 0 "
                + "and %,d idle sessions open", server.at("/idle_latency/callers").asInt(), idle), x,
                Chart.Axis.log("latency (µs, log scale)", Math.max(1, min), max, Chart::compact));
        panel.note("each call timed by its caller; rounds of both server JVMs pooled");
        Chart.Series[] series = {Chart.WEFT, Chart.WEFT.light("").withDashes(), Chart.SDK, Chart.SDK.light("").withDashes()};
        for (int i = curves.size() - 1; i >= 0; i--) {
            JsonNode l = curves.get(i);
            if (l.path("count").asInt() == 0) {
                continue;
            }
            int n = l.path("curve_percentile").size();
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int k = 0; k < n; k++) {
                double p = l.path("curve_percentile").get(k).asDouble();
                xs[k] = p >= 100 ? Math.log10(l.path("count").asInt()) : nines(p);
                ys[k] = l.path("curve_us").get(k).asDouble();
            }
            panel.add(new Chart.Line(series[i], xs, ys, false));
        }
        figure.add(panel);

        JsonNode slow = server.get("slow");
        double[] quiet = {slow.at("/Weft/quiet_calls_per_s").asDouble(), slow.at("/SDK/quiet_calls_per_s").asDouble()};
        double[] busy = {slow.at("/Weft/busy_calls_per_s").asDouble(), slow.at("/SDK/busy_calls_per_s").asDouble()};
        Chart.BarPanel bars = new Chart.BarPanel(String.format(Locale.ROOT, "Echo calls/s while %d slow calls "
                + "(%s s each) are in flight", slow.path("slow_calls").asInt(),
                Chart.number(slow.path("slow_ms").asDouble() / 1000)), false, List.of(Chart.WEFT, Chart.SDK));
        bars.note(String.format(Locale.ROOT, "%d callers, %s s windows; slow handlers running at once: Weft %s, "
                        + "SDK %s", slow.path("window_callers").asInt(),
                Chart.number(slow.path("window_ms").asDouble() / 1000), slow.at("/Weft/slow_running_most").asText(),
                slow.at("/SDK/slow_running_most").asText()));
        bars.group("no slow calls", quiet);
        bars.group(slow.path("slow_calls").asInt() + " slow calls\nin flight", busy);
        bars.axis(Chart.Axis.linear("echo calls per second", 0, Math.max(bars.max(), 1) * 1.1, Chart::compact))
                .format(Chart::compact);
        figure.add(bars);
        write(figure, "mcp-server-latency.png", String.format(Locale.ROOT, "MCP server: echo latency percentiles "
                + "with 0 and %,d idle sessions open, and echo calls per second before and while %d slow calls "
                + "are in flight.", idle, slow.path("slow_calls").asInt()));
    }

    // ---------------------------------------------------------------- (c) crash to error

    private void crashToError() throws IOException {
        JsonNode kill = results.at("/sets/mcp/kill");
        JsonNode http = results.at("/sets/mcp/kill_http");
        JsonNode acp = results.at("/sets/acp/summary/crash_ms");
        JsonNode fail = results.at("/sets/transport/fail_fast");
        if (kill.isMissingNode() && acp.isMissingNode() && fail.isMissingNode() && http.isMissingNode()) {
            return;
        }
        Chart.Series other = Chart.SDK.named("the other library: MCP Java SDK 2.1.0, acp-core 0.14.0");
        Chart.Series none = Chart.FLOOR.named("no library: the floor, the raw baseline");
        Chart.BarPanel bars = new Chart.BarPanel("", true, List.of(Chart.WEFT, other, none));
        double cap = 1;
        for (JsonNode k : List.of(kill, http)) {
            if (k.isMissingNode()) {
                continue;
            }
            cap = Math.max(cap, k.path("cap_s").asDouble() * 1000);
            List<Integer> inFlight = new ArrayList<>();
            k.path("rows").forEach(r -> {
                if (!inFlight.contains(r.path("in_flight").asInt())) {
                    inFlight.add(r.path("in_flight").asInt());
                }
            });
            String what = k == kill ? "MCP client, stdio server SIGKILLed" : "MCP client, HTTP server SIGKILLed";
            for (int n : inFlight) {
                double[] v = new double[3];
                double[] lo = new double[3];
                double[] hi = new double[3];
                String[] label = new String[3];
                String[] sides = {"Weft", "SDK", "floor"};
                for (int s = 0; s < 3; s++) {
                    String side = sides[s];
                    JsonNode r = row(k.path("rows"), x -> x.path("in_flight").asInt() == n
                            && x.path("side").asText().equals(side));
                    v[s] = r.at("/error_ms/median").asDouble(Double.NaN);
                    lo[s] = r.at("/error_ms/min").asDouble(Double.NaN);
                    hi[s] = r.at("/error_ms/max").asDouble(Double.NaN);
                    if (r.path("capped").asInt() > 0) {
                        v[s] = Double.isNaN(v[s]) ? k.path("cap_s").asDouble() * 1000 : v[s];
                        label[s] = r.path("capped").asInt() + " of " + r.path("calls").asInt() + " capped at "
                                + k.path("cap_s").asInt() + " s";
                    }
                }
                bars.group(what + "\n" + n + (n == 1 ? " call" : " calls") + " in flight", v, lo, hi);
                for (int s = 0; s < 3; s++) {
                    if (label[s] != null) {
                        bars.label(s, label[s]);
                    }
                }
            }
        }
        if (!acp.isMissingNode()) {
            double capS = results.at("/sets/acp/cap_s").asDouble();
            cap = Math.max(cap, capS * 1000);
            double[] v = {value(acp.path("weft"), capS), value(acp.path("sdk"), capS), Double.NaN};
            bars.group("ACP client, agent crashes\nmid-prompt", v,
                    new double[] {acp.at("/weft/min").asDouble(Double.NaN), acp.at("/sdk/min").asDouble(Double.NaN),
                            Double.NaN},
                    new double[] {acp.at("/weft/max").asDouble(Double.NaN), acp.at("/sdk/max").asDouble(Double.NaN),
                            Double.NaN});
            if (acp.at("/sdk/capped").asInt() > 0) {
                bars.label(1, "no error within " + (int) capS + " s in " + acp.at("/sdk/capped").asInt());
            }
        }
        if (!fail.isMissingNode()) {
            JsonNode r = row(fail, x -> x.path("end").asText().startsWith("stdio: SIGKILL the Java")
                    && x.path("pending").asInt() == 1000);
            if (!r.isMissingNode()) {
                bars.group("Connection over stdio, peer SIGKILLed\n1,000 calls pending (the last one's error)",
                        new double[] {r.at("/weft/fail_ms/median").asDouble(), Double.NaN,
                                r.at("/baseline/fail_ms/median").asDouble()},
                        new double[] {r.at("/weft/fail_ms/min").asDouble(), Double.NaN,
                                r.at("/baseline/fail_ms/min").asDouble()},
                        new double[] {r.at("/weft/fail_ms/max").asDouble(), Double.NaN,
                                r.at("/baseline/fail_ms/max").asDouble()});
            }
        }
        bars.axis(Chart.Axis.log("from the death to the call's error (log scale)", Math.min(bars.minPositive(), 0.5),
                Math.max(bars.max(), cap), Chart::millisTick)).format(Chart::millisLabel);
        bars.reference(10, "10 ms: Weft's target");
        int height = 70 + 62 * bars.groups.size();
        Chart.Figure figure = new Chart.Figure("Crash to error: how long a caller waits after its server or agent dies",
                "Bars: median over every call of every repetition; whiskers: the fastest and slowest. A call that "
                        + "fails only at its request timeout\nshows that timeout: 20 s for the MCP Java SDK, 30 s for "
                        + "acp-core (their defaults); Weft's is 60 s.", 1, 1100, height)
                .legend(Chart.WEFT, other, none).footnote(footnote);
        figure.add(bars);
        write(figure, "crash-to-error.png", "Crash to error, per scenario: from the server's or agent's death to each "
                + "pending call's error, Weft vs the SDKs (log scale: milliseconds against the SDKs' request "
                + "timeouts).");
    }

    /** A spread's median, or the cap when every value was capped. */
    private static double value(JsonNode spread, double capSeconds) {
        if (spread.path("n").asInt() == 0) {
            return spread.path("capped").asInt() > 0 ? capSeconds * 1000 : Double.NaN;
        }
        return spread.path("median").asDouble();
    }

    // ---------------------------------------------------------------- (d) pool

    private void pool() throws IOException {
        JsonNode pool = results.at("/sets/pool/summary");
        if (pool.isMissingNode()) {
            return;
        }
        int n = results.at("/sets/pool/callers").asInt();
        Chart.Figure figure = new Chart.Figure(String.format(Locale.ROOT, "Session pool: %d conversations on one "
                        + "pooled server (Weft) vs %d SDK clients, a server each", n, n),
                String.format(Locale.ROOT, "Measured when all %d are ready (first echo answered), in fresh host JVMs; "
                        + "bars: median of %d repetitions, whiskers: lowest and highest.", n,
                        results.at("/sets/pool/reps").asInt()), 3, 340, 300)
                .legend(Chart.WEFT, Chart.SDK).footnote(footnote);
        poolPanel(figure, pool, "all_ready_ms", "Time until all " + n + " are ready", "milliseconds");
        poolPanel(figure, pool, "server_processes", "Server processes", "processes");
        poolPanel(figure, pool, "os_threads_total", "OS threads, host + servers", "threads");
        poolPanel(figure, pool, "rss_total_mb", "Memory (RSS), host + servers", "MB");
        poolPanel(figure, pool, "cpu_total_s", "CPU until all ready, host + servers", "CPU seconds");
        poolPanel(figure, pool, "close_ms", "Close → every server gone", "milliseconds");
        write(figure, "pool-resources.png", String.format(Locale.ROOT, "Session pool: time until %d conversations "
                + "are ready, and the processes, threads, memory and CPU it takes, Weft's pool vs %d SDK clients.",
                n, n));
    }

    private static void poolPanel(Chart.Figure figure, JsonNode summary, String key, String title, String unit) {
        JsonNode row = summary.path(key);
        double w = row.at("/weft/median").asDouble(Double.NaN);
        double s = row.at("/sdk/median").asDouble(Double.NaN);
        Chart.BarPanel bars = new Chart.BarPanel(title, false, List.of(Chart.WEFT, Chart.SDK));
        bars.group("", new double[] {w, s}, new double[] {row.at("/weft/min").asDouble(Double.NaN),
                row.at("/sdk/min").asDouble(Double.NaN)}, new double[] {row.at("/weft/max").asDouble(Double.NaN),
                row.at("/sdk/max").asDouble(Double.NaN)});
        bars.note(w > 0 && s > 0 ? "SDK ÷ Weft: " + Chart.number(s / w) + "×" : " ");
        bars.axis(Chart.Axis.linear(unit, 0, Math.max(bars.max(), 1) * 1.08, Chart::compact));
        figure.add(bars);
    }

    // ---------------------------------------------------------------- (e) ACP

    private void acp() throws IOException {
        JsonNode summary = results.at("/sets/acp/summary");
        if (summary.isMissingNode()) {
            return;
        }
        JsonNode acp = results.at("/sets/acp");
        Chart.Figure figure = new Chart.Figure("ACP client: Weft vs acp-core 0.14.0, the same scripted agent over stdio",
                String.format(Locale.ROOT, "Bars: median of %d fresh host JVMs per client; whiskers: lowest and "
                        + "highest. Flood: %,d message chunks; tools: %,d tool calls (two updates each).",
                        acp.path("reps").asInt(), acp.path("flood").asInt(), acp.path("tools").asInt()), 3, 340, 300)
                .legend(Chart.WEFT, ACP_CORE).footnote(footnote);
        figure.add(acpBars(summary, "Updates delivered per second", "updates per second",
                new String[] {"flood", "tools"}, new String[] {"flood_updates_per_s", "tools_updates_per_s"},
                Chart::compact));
        figure.add(acpBars(summary, "Host CPU per 1,000 updates", "CPU milliseconds",
                new String[] {"flood", "tools"}, new String[] {"flood_cpu_ms_per_1k", "tools_cpu_ms_per_1k"},
                Chart::number));
        figure.add(acpBars(summary, "Updates delivered out of order", "updates",
                new String[] {"flood", "tools"}, new String[] {"flood_out_of_place", "tools_out_of_place"},
                Chart::compact));
        figure.add(acpBars(summary, "Cancel → prompt returned", "milliseconds", new String[] {"cancel"},
                new String[] {"cancel_ms"}, Chart::number));
        double capS = acp.path("cap_s").asDouble();
        Chart.BarPanel crash = new Chart.BarPanel("Agent crash → prompt failed", false, List.of(Chart.WEFT, ACP_CORE));
        JsonNode c = summary.path("crash_ms");
        crash.group("crash", new double[] {value(c.path("weft"), capS), value(c.path("sdk"), capS)},
                new double[] {c.at("/weft/min").asDouble(Double.NaN), c.at("/sdk/min").asDouble(Double.NaN)},
                new double[] {c.at("/weft/max").asDouble(Double.NaN), c.at("/sdk/max").asDouble(Double.NaN)});
        crash.axis(Chart.Axis.log("log scale", Math.min(crash.minPositive(), 1), Math.max(crash.max(), capS * 1000),
                Chart::millisTick)).format(Chart::millisLabel);
        crash.note("request timeouts: acp-core 30 s, Weft 60 s (defaults)");
        figure.add(crash);
        figure.add(acpBars(summary, "Platform threads, peak during the flood", "threads", new String[] {"flood"},
                new String[] {"threads_peak_flood"}, Chart::number));
        write(figure, "acp.png", "ACP client: updates per second and the CPU they cost, updates delivered out of "
                + "order, cancel and crash, threads: Weft vs acp-core.");
    }

    private static Chart.BarPanel acpBars(JsonNode summary, String title, String unit, String[] groups,
                                          String[] keys, java.util.function.DoubleFunction<String> format) {
        Chart.BarPanel bars = new Chart.BarPanel(title, false, List.of(Chart.WEFT, ACP_CORE));
        for (int i = 0; i < groups.length; i++) {
            JsonNode row = summary.path(keys[i]);
            bars.group(groups[i], new double[] {row.at("/weft/median").asDouble(Double.NaN),
                    row.at("/sdk/median").asDouble(Double.NaN)}, new double[] {row.at("/weft/min")
                    .asDouble(Double.NaN), row.at("/sdk/min").asDouble(Double.NaN)}, new double[] {row
                    .at("/weft/max").asDouble(Double.NaN), row.at("/sdk/max").asDouble(Double.NaN)});
        }
        bars.axis(Chart.Axis.linear(unit, 0, Math.max(bars.max(), 1) * 1.08, Chart::compact)).format(format);
        return bars;
    }

    // ---------------------------------------------------------------- transport

    private void transport() throws IOException {
        JsonNode rt = results.at("/sets/transport/round_trips");
        JsonNode fail = results.at("/sets/transport/fail_fast");
        if (rt.isMissingNode() && fail.isMissingNode()) {
            return;
        }
        Chart.Figure figure = new Chart.Figure("Transport: Weft's Connection vs a raw baseline, in one JVM",
                "The baselines are the least code that is correct for the wire (no timeouts, cancellation, "
                        + "notifications or checks).", 2, 560, 420)
                .legend(Chart.WEFT, BASELINE).footnote(footnote);
        if (!rt.isMissingNode()) {
            Chart.BarPanel bars = new Chart.BarPanel("Round trip, p50 (bar) to p99 (whisker end)", true,
                    List.of(Chart.WEFT, BASELINE));
            for (JsonNode r : rt) {
                bars.group(r.path("wire").asText().replace(", ", "\n") + ", " + r.path("callers").asInt()
                                + (r.path("callers").asInt() == 1 ? " caller" : " callers"),
                        new double[] {r.at("/weft/latency/p50_us").asDouble(), r.at("/baseline/latency/p50_us")
                                .asDouble()},
                        new double[] {r.at("/weft/latency/p50_us").asDouble(), r.at("/baseline/latency/p50_us")
                                .asDouble()},
                        new double[] {r.at("/weft/latency/p99_us").asDouble(), r.at("/baseline/latency/p99_us")
                                .asDouble()});
            }
            bars.axis(Chart.Axis.log("µs (log scale)", Math.min(bars.minPositive(), 1), bars.max(),
                    Chart::compact)).format(Chart::number);
            figure.add(bars);
        }
        if (!fail.isMissingNode()) {
            Chart.BarPanel bars = new Chart.BarPanel("End of the wire → last pending call failed", true,
                    List.of(Chart.WEFT, BASELINE));
            for (JsonNode r : fail) {
                bars.group(r.path("end").asText().replace(": ", "\n") + ", " + String.format(Locale.ROOT, "%,d",
                                r.path("pending").asInt()) + " pending",
                        new double[] {r.at("/weft/fail_ms/median").asDouble(), r.at("/baseline/fail_ms/median")
                                .asDouble()},
                        new double[] {r.at("/weft/fail_ms/min").asDouble(), r.at("/baseline/fail_ms/min").asDouble()},
                        new double[] {r.at("/weft/fail_ms/max").asDouble(), r.at("/baseline/fail_ms/max").asDouble()});
            }
            bars.axis(Chart.Axis.log("log scale; bar: median, whisker: min to max", Math.min(bars.minPositive(), 0.1),
                    bars.max(), Chart::millisTick)).format(Chart::millisLabel);
            bars.reference(10, "10 ms target");
            figure.add(bars);
        }
        write(figure, "transport.png", "Transport: round-trip latency (p50 to p99) and end-of-wire to failed calls, "
                + "Weft's Connection vs the raw baselines, over memory and stdio.");
    }

    // ---------------------------------------------------------------- helpers

    private void write(Chart.Figure figure, String file, String caption) throws IOException {
        figure.write(dir.resolve(file));
        written.add(new Written(file, caption));
    }

    private static Chart.Axis callersAxis(int[] callers) {
        List<Chart.Tick> ticks = new ArrayList<>();
        for (int c : callers) {
            ticks.add(new Chart.Tick(c, Integer.toString(c)));
        }
        return Chart.Axis.custom("callers (log scale)", true, callers[0] / 1.5, callers[callers.length - 1] * 1.5,
                ticks);
    }

    private static double[] toDoubles(int[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static String[] labels(double[] values) {
        String[] labels = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = Double.isNaN(values[i]) ? null : Chart.compact(values[i]);
        }
        return labels;
    }

    /** The first element of {@code array} that {@code test} accepts, or a missing node. */
    static JsonNode row(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode node : array) {
            if (test.test(node)) {
                return node;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
