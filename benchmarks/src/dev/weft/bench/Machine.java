package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What the machine looks like while a benchmark runs: load average, cores, JDK. Linux {@code /proc} where needed. */
final class Machine {
    private Machine() {
    }

    /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} prints them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** The 1 minute load average. */
    static String load1() {
        return loadAverage().split(" ")[0];
    }

    static List<String> describe() {
        return List.of(
                "date:     " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "commit:   " + System.getProperty("weft.bench.commit", "?"),
                "cpu:      " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel(),
                "memory:   " + memTotal(),
                "os:       " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "jdk:      " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")",
                "jvm args: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                "load:     " + loadAverage() + " (1, 5, 15 min)");
    }

    /** The machine and the JVM as one JSON object, with the load now (the start of the run). */
    static ObjectNode json() {
        ObjectNode o = Results.JSON.createObjectNode();
        o.put("started", now());
        o.put("commit", System.getProperty("weft.bench.commit", "?"));
        o.put("cpu", cpuModel());
        o.put("cores", Runtime.getRuntime().availableProcessors());
        o.put("memory_gb", Results.round(kilobytes(memTotal()) / 1048576.0, 1));
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        o.put("jdk", Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")");
        o.put("benchmark_jvm", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.startsWith("-Dweft.bench.")).toList()));
        o.put("load_start", loadAverage());
        String busiest = System.getProperty("weft.bench.busiest");
        if (busiest != null) {
            try {
                ArrayNode lines = o.putArray("busiest_at_start");
                Files.readAllLines(Path.of(busiest)).stream().filter(l -> !l.isBlank())
                        .map(l -> l.startsWith("    ") ? l.substring(4) : l).forEach(lines::add);
            } catch (IOException e) {
                o.put("busiest_at_start", "? (" + e + ")");
            }
        }
        return o;
    }

    /** Now, in UTC, to the second. */
    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static long kilobytes(String meminfo) {
        try {
            return Long.parseLong(meminfo.replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String cpuModel() {
        return procLine(Path.of("/proc/cpuinfo"), "model name");
    }

    private static String memTotal() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal");
    }

    private static String procLine(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The {@code java} command of this JVM, for starting child JVMs on the same JDK. */
    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    /**
     * A system property that {@code benchmarks/run} sets.
     *
     * @throws IllegalStateException if it is not set (the benchmark was not started by {@code benchmarks/run})
     */
    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set; run benchmarks/run");
        }
        return value;
    }

    /** The kernel's clock ticks per second ({@code getconf CLK_TCK}), the unit of {@code /proc/<pid>/stat} times. */
    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (java.io.IOException | NumberFormatException e) {
            return 100; // the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /**
     * The fields of a child's result line: {@code k=v} pairs separated by spaces; a {@code kind=} field takes the rest
     * of the line.
     */
    static java.util.Map<String, String> fields(String line) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        int kind = line.indexOf("kind=");
        String head = kind < 0 ? line : line.substring(0, kind);
        if (kind >= 0) {
            fields.put("kind", line.substring(kind + "kind=".length()));
        }
        for (String field : head.trim().split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return fields;
    }
}
