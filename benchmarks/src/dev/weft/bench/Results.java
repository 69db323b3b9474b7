package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Every figure of a run, as one JSON document: each set puts its figures here as it prints its tables, and
 * {@link Bench} writes the document to {@code benchmarks/target/results-<stamp>.json}. The charts and the README's
 * results block ({@link Report}) are drawn from that document only, never from the printed tables.
 *
 * <p>Units are in the keys: {@code _us}, {@code _ms}, {@code _s}, {@code _mb}, {@code _per_s}; counts have none.
 * Not thread-safe: the sets run one after the other on the benchmark's main thread.
 */
final class Results {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectNode ROOT = JSON.createObjectNode();

    private Results() {
    }

    static ObjectNode root() {
        return ROOT;
    }

    /** The object of one set ({@code transport}, {@code mcp}, {@code server}, {@code pool}, {@code acp}). */
    static ObjectNode set(String name) {
        ObjectNode sets = object(ROOT, "sets");
        return object(sets, name);
    }

    /** {@code parent.name}, an object, created if absent. */
    static ObjectNode object(ObjectNode parent, String name) {
        JsonNode node = parent.get(name);
        return node instanceof ObjectNode o ? o : parent.putObject(name);
    }

    /** {@code parent.name}, an array, created if absent. */
    static ArrayNode array(ObjectNode parent, String name) {
        JsonNode node = parent.get(name);
        return node instanceof ArrayNode a ? a : parent.putArray(name);
    }

    /**
     * A latency distribution in microseconds: count, min, p50, p90, p99, p99.9, max (nearest rank), and a percentile
     * curve for the charts: the percentiles 0, 20.6, 36.9, ... 99.99 (ten points per decade of 1 − p), as far as at
     * least one sample lies beyond, then the max.
     */
    static ObjectNode latency(Samples samples) {
        ObjectNode o = JSON.createObjectNode();
        o.put("count", samples.size());
        if (samples.size() == 0) {
            return o;
        }
        long[] sorted = samples.sorted();
        o.put("min_us", micros(sorted[0]));
        o.put("p50_us", micros(rank(sorted, 50)));
        o.put("p90_us", micros(rank(sorted, 90)));
        o.put("p99_us", micros(rank(sorted, 99)));
        o.put("p99_9_us", micros(rank(sorted, 99.9)));
        o.put("max_us", micros(sorted[sorted.length - 1]));
        ArrayNode p = o.putArray("curve_percentile");
        ArrayNode v = o.putArray("curve_us");
        for (int k = 0; k <= 40; k++) {
            double percentile = 100 * (1 - Math.pow(10, -k / 10.0));
            if (sorted.length * (1 - percentile / 100) < 1) {
                break;
            }
            p.add(round(percentile, 4));
            v.add(micros(k == 0 ? sorted[0] : rank(sorted, percentile)));
        }
        p.add(100);
        v.add(micros(sorted[sorted.length - 1]));
        return o;
    }

    /** A figure over repetitions or rounds: the median (the lower middle of an even count), min, max, every value. */
    static ObjectNode spread(double... values) {
        ObjectNode o = JSON.createObjectNode();
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        o.put("n", sorted.length);
        if (sorted.length > 0) {
            o.put("median", round(sorted[(sorted.length - 1) / 2], 6));
            o.put("min", round(sorted[0], 6));
            o.put("max", round(sorted[sorted.length - 1], 6));
        }
        ArrayNode all = o.putArray("values");
        for (double value : values) {
            all.add(round(value, 6));
        }
        return o;
    }

    /** Counts by kind, as an object. */
    static ObjectNode kinds(Map<String, ? extends Number> kinds) {
        ObjectNode o = JSON.createObjectNode();
        kinds.forEach((k, n) -> o.put(k, n.longValue()));
        return o;
    }

    static void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), ROOT);
    }

    /** Each sample in milliseconds, in the order added. */
    static double[] millisEach(Samples samples) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = samples.get(i) / 1e6;
        }
        return values;
    }

    static double micros(long nanos) {
        return round(nanos / 1e3, 3);
    }

    static double millis(long nanos) {
        return round(nanos / 1e6, 6);
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static long rank(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
