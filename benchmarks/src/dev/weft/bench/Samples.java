package dev.weft.bench;

import java.util.Arrays;

/** A growable list of measurements in nanoseconds, with nearest-rank percentiles. Not thread-safe. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    void addAll(long[] nanos) {
        for (long value : nanos) {
            add(value);
        }
    }

    /** The {@code i}th value added. */
    long get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]. */
    long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * size);
        return sorted[Math.max(0, rank - 1)];
    }

    long median() {
        return percentile(50);
    }

    long max() {
        return percentile(100);
    }

    long min() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[0];
    }

    /** The values, sorted, in a new array. */
    long[] sorted() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted;
    }
}
