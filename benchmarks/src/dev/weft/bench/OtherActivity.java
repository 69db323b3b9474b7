package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What else used the machine while the benchmark ran: every {@value #PERIOD_SECONDS} s, the CPU time that each
 * process which is neither this JVM nor one of its descendants (nor a process of the benchmark's own, by its command
 * line) used since the last look, from {@code /proc/<pid>/stat}. A process that used more than
 * {@value #THRESHOLD_PERCENT} % of a core in a period is reported, with when it was first and last seen so, and its
 * most in one period. For the report's conditions; it reads {@code /proc} on one daemon thread and costs a few
 * milliseconds of CPU per look.
 */
final class OtherActivity implements AutoCloseable {
    private static final int PERIOD_SECONDS = 5;
    private static final int THRESHOLD_PERCENT = 20;

    /** A busy process: its command, when first and last seen busy, its most CPU in one period (% of a core). */
    private static final class Seen {
        final String command;
        final String first;
        String last;
        double most;
        int periods;

        Seen(String command, String first) {
            this.command = command;
            this.first = first;
            this.last = first;
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-other-activity");
        thread.setDaemon(true);
        return thread;
    });
    private final long ticksPerSecond = Machine.clockTicks();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final Map<Long, Seen> seen = new LinkedHashMap<>();
    private int looks;

    OtherActivity() {
        timer.scheduleAtFixedRate(this::look, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private synchronized void look() {
        long self = ProcessHandle.current().pid();
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        Map<Long, Long> now = new HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            long pid = p.pid();
            if (pid == self || ours.contains(pid)) {
                return;
            }
            String command = p.info().commandLine().orElse("");
            if (command.isEmpty() || command.contains("benchmarks/target")) {
                return; // kernel threads, and the benchmark's own processes reparented elsewhere
            }
            long ticks = ticks(pid);
            if (ticks < 0) {
                return;
            }
            now.put(pid, ticks);
            Long before = lastTicks.get(pid);
            if (before != null && looks > 0) {
                double percent = 100.0 * (ticks - before) / ticksPerSecond / PERIOD_SECONDS;
                if (percent > THRESHOLD_PERCENT) {
                    Seen s = seen.computeIfAbsent(pid, x -> new Seen(command.length() > 160
                            ? command.substring(0, 160) + " ..." : command, Machine.now()));
                    s.last = Machine.now();
                    s.most = Math.max(s.most, percent);
                    s.periods++;
                }
            }
        });
        lastTicks.clear();
        lastTicks.putAll(now);
        looks++;
    }

    /** Stops looking. */
    @Override
    public synchronized void close() {
        timer.shutdownNow();
    }

    /** What was seen, as a JSON object: the period, the threshold, how many looks, the busy processes. */
    synchronized ObjectNode json() {
        ObjectNode o = Results.JSON.createObjectNode();
        o.put("period_s", PERIOD_SECONDS);
        o.put("threshold_percent_of_a_core", THRESHOLD_PERCENT);
        o.put("looks", looks);
        ArrayNode busy = o.putArray("busy");
        for (Map.Entry<Long, Seen> e : seen.entrySet()) {
            Seen s = e.getValue();
            ObjectNode b = busy.addObject();
            b.put("pid", e.getKey());
            b.put("command", s.command);
            b.put("first", s.first);
            b.put("last", s.last);
            b.put("periods", s.periods);
            b.put("most_percent_of_a_core", Math.round(s.most));
        }
        return o;
    }

    /** utime + stime of a process in clock ticks, or -1 if it is gone or unreadable. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12)); // fields 14 and 15 of stat(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
