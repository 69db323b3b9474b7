package dev.weft.acp;

import java.nio.charset.StandardCharsets;

/**
 * The last {@code limit} bytes of a terminal's output: a ring that grows as output comes, up to the limit, and then
 * drops the oldest bytes. After a drop the kept bytes start at a UTF-8 character boundary: the continuation bytes of
 * a character whose first byte was dropped are dropped too (at most three, so that output that is not UTF-8 at all
 * is not eaten whole). So the bytes kept are at most {@code limit}, and fewer by up to three after a drop.
 *
 * <p>Invariants: {@code 0 <= size <= ring.length <= limit}; the kept bytes are {@code ring[head]},
 * {@code ring[(head + 1) % ring.length]}, ... ({@code size} of them); {@code truncated} once anything was dropped;
 * {@code skipped > 0} only when {@code size == 0}.
 *
 * <p>Not thread-safe: its owner ({@link ProcessTerminal}) guards it with its lock.
 */
final class TerminalOutputBuffer {
    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final int limit;
    private byte[] ring;
    private int head;
    private int size;
    private boolean truncated;
    /**
     * Continuation bytes dropped since the last drop; above 0 only while nothing is kept because that drop cut a
     * character whose remaining bytes may still come.
     */
    private int skipped;

    /** @param limit the most bytes to keep, at least 0 */
    TerminalOutputBuffer(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
        this.ring = new byte[Math.min(limit, INITIAL_CAPACITY)];
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset}, dropping the oldest beyond the limit. */
    void append(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        boolean dropped = false;
        if (length >= limit) { // only the newest bytes of this chunk stay
            dropped = size > 0 || length > limit;
            head = 0;
            size = 0;
            offset += length - limit;
            length = limit;
        }
        if (length > 0) {
            grow(Math.min(limit, size + length));
            int overflow = size + length - limit;
            if (overflow > 0) {
                head = (head + overflow) % ring.length;
                size -= overflow;
                dropped = true;
            }
            int tail = (head + size) % ring.length;
            int first = Math.min(length, ring.length - tail);
            System.arraycopy(bytes, offset, ring, tail, first);
            System.arraycopy(bytes, offset + first, ring, 0, length - first);
            size += length;
        }
        if (dropped) {
            truncated = true;
            skipped = 0;
            skipContinuationBytes();
        } else if (skipped > 0) {
            skipContinuationBytes(); // nothing is kept, and the character cut by the last drop goes on here
        }
    }

    /** Whether older output has been dropped. */
    boolean truncated() {
        return truncated;
    }

    /** How many bytes are kept. */
    int size() {
        return size;
    }

    /**
     * The kept bytes as text; malformed input becomes U+FFFD.
     *
     * @param complete whether the output has ended; until then a character cut short at the end (its last bytes are
     *                 still to come) is left out, not decoded as malformed
     */
    String text(boolean complete) {
        byte[] bytes = bytes();
        int end = complete ? bytes.length : completeLength(bytes);
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A copy of the kept bytes, oldest first. */
    byte[] bytes() {
        byte[] copy = new byte[size];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, copy, 0, first);
        System.arraycopy(ring, 0, copy, first, size - first);
        return copy;
    }

    /** Makes room for {@code needed} bytes (at most the limit), keeping the kept bytes and laying them out from 0. */
    private void grow(int needed) {
        if (ring.length >= needed) {
            return;
        }
        byte[] larger = new byte[(int) Math.min(limit, Math.max(needed, 2L * ring.length))];
        byte[] kept = bytes();
        System.arraycopy(kept, 0, larger, 0, kept.length);
        ring = larger;
        head = 0;
    }

    /** Drops the continuation bytes at the head, at most three since the last drop. */
    private void skipContinuationBytes() {
        while (skipped < 3 && size > 0 && isContinuation(ring[head])) {
            head = (head + 1) % ring.length;
            size--;
            skipped++;
        }
        if (size > 0) {
            skipped = 0; // the head is settled: at a character's first byte, or in output that is not UTF-8
        }
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** The length of {@code bytes} without a character that is cut short at its end. */
    static int completeLength(byte[] bytes) {
        int length = bytes.length;
        for (int i = length - 1; i >= Math.max(0, length - 4); i--) {
            int b = bytes[i] & 0xFF;
            if (!isContinuation(bytes[i])) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return i + needed > length ? i : length;
            }
        }
        return length;
    }
}
