package dev.weft.transport;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drains a child's standard error continuously and keeps its last bytes in a ring buffer of fixed size, so that the
 * child never blocks on a full pipe and the heap never grows with what it writes. Each line may also be logged at
 * {@code DEBUG}.
 *
 * <p>{@link #drain} runs on the transport's stderr thread and is the only writer of the ring; {@link #snapshot} may be
 * called from any thread. The ring and {@code written} are guarded by {@code lock}; the line being logged belongs to
 * the drain thread alone.
 */
final class StderrTail {
    static final int MAX_LOGGED_LINE_BYTES = 8 * 1024;

    private final String transport;
    private final System.Logger logger;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] ring; // lock
    private long written; // bytes ever appended; the newest is at (written - 1) % ring.length; lock
    private final byte[] logLine = new byte[MAX_LOGGED_LINE_BYTES]; // drain thread only
    private int logLineLength; // drain thread only
    private boolean logLineTruncated; // drain thread only

    StderrTail(int capacity, String transport, System.Logger logger) {
        this.ring = new byte[capacity];
        this.transport = transport;
        this.logger = logger;
    }

    /**
     * Reads {@code err} to its end, keeping the tail and logging lines, then closes it. Returns at end of stream or on
     * a read error (a closed pipe is an end like any other).
     */
    void drain(InputStream err, PipeActivity activity) {
        byte[] buffer = new byte[8 * 1024];
        try (err) {
            while (true) {
                int n;
                activity.reading();
                try {
                    n = err.read(buffer);
                } finally {
                    activity.busy();
                }
                if (n < 0) {
                    break;
                }
                append(buffer, 0, n);
                if (logger.isLoggable(Level.DEBUG)) {
                    logLines(buffer, n);
                }
            }
        } catch (IOException e) {
            logger.log(Level.DEBUG, () -> transport + ": reading standard error failed: " + e);
        } finally {
            activity.done();
            if (logLineLength > 0 || logLineTruncated) {
                flushLogLine();
            }
        }
    }

    /** Appends bytes to the ring, keeping the last {@code ring.length}. */
    void append(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            int capacity = ring.length;
            if (capacity == 0) {
                return;
            }
            int skip = Math.max(0, length - capacity); // only the last `capacity` bytes can survive
            written += skip;
            for (int i = offset + skip; i < offset + length; ) {
                int at = (int) (written % capacity);
                int n = Math.min(capacity - at, offset + length - i);
                System.arraycopy(bytes, i, ring, at, n);
                written += n;
                i += n;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The tail, decoded as UTF-8 leniently: malformed bytes become U+FFFD, and a character cut in two by the ring's
     * start is dropped.
     */
    String snapshot() {
        byte[] tail;
        lock.lock();
        try {
            int capacity = ring.length;
            int size = (int) Math.min(written, capacity);
            tail = new byte[size];
            int start = (int) ((written - size) % Math.max(capacity, 1));
            int first = Math.min(size, capacity - start);
            System.arraycopy(ring, start, tail, 0, first);
            System.arraycopy(ring, 0, tail, first, size - first);
        } finally {
            lock.unlock();
        }
        int from = 0;
        while (from < tail.length && from < 3 && (tail[from] & 0xC0) == 0x80) {
            from++; // continuation bytes of a character whose start fell off the ring
        }
        return decode(tail, from);
    }

    private static String decode(byte[] bytes, int from) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, from, bytes.length - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }

    private void logLines(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                flushLogLine();
            } else if (logLineLength < logLine.length) {
                logLine[logLineLength++] = b;
            } else {
                logLineTruncated = true;
            }
        }
    }

    private void flushLogLine() {
        int length = logLineLength;
        if (length > 0 && logLine[length - 1] == '\r') {
            length--;
        }
        String text = decode(Arrays.copyOf(logLine, length), 0) + (logLineTruncated ? "..." : "");
        logLineLength = 0;
        logLineTruncated = false;
        logger.log(Level.DEBUG, () -> transport + " stderr: " + text);
    }
}
