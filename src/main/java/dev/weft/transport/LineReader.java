package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into newline-delimited frames, within a bound: one JSON message per line, {@code \n} or
 * {@code \r\n}, blank lines skipped, a last line without a newline delivered at end of stream.
 *
 * <p>Never holds more than one chunk and one line of at most {@code maxLineBytes} (plus a trailing {@code \r}): a
 * longer line fails with {@link FrameTooLargeException} as soon as its bytes exceed the limit, without reading the rest.
 * Not thread-safe: used by the one pump thread of a transport.
 */
final class LineReader {
    static final int CHUNK_BYTES = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final PipeActivity activity;
    private final String transport;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int pos; // next unread byte in chunk
    private int limit; // end of valid bytes in chunk
    private byte[] line = new byte[256]; // the part of the current line read so far, when it spans chunks
    private int lineLength;
    private boolean endOfStream;

    /**
     * @param maxLineBytes the largest line, without its terminator
     * @param activity     told when the reader blocks in {@code read} and when it returns
     * @param transport    the transport's description, for errors
     */
    LineReader(InputStream in, int maxLineBytes, PipeActivity activity, String transport) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.activity = activity;
        this.transport = transport;
    }

    /**
     * The next non-blank line, without its terminator.
     *
     * @return the line, or {@code null} at end of stream
     * @throws FrameTooLargeException when the line exceeds the limit; the stream is then left mid-line
     * @throws IOException            when reading fails
     */
    byte[] next() throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                if (lineLength == 0) {
                    return null;
                }
                byte[] last = finish(line, 0, lineLength);
                lineLength = 0;
                if (last != null) {
                    return last;
                }
                continue;
            }
            int newline = indexOfNewline();
            if (newline < 0) {
                append(limit);
                continue;
            }
            byte[] frame;
            if (lineLength == 0) {
                frame = finish(chunk, pos, newline - pos);
            } else {
                append(newline);
                frame = finish(line, 0, lineLength);
                lineLength = 0;
            }
            pos = newline + 1;
            if (frame != null) {
                return frame;
            }
        }
    }

    /** Reads the next chunk; {@code false} at end of stream. */
    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        int n;
        activity.reading();
        try {
            n = in.read(chunk, 0, chunk.length);
        } finally {
            activity.busy();
        }
        if (n < 0) {
            endOfStream = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int indexOfNewline() {
        for (int i = pos; i < limit; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Moves {@code chunk[pos, end)} into {@code line}, failing once the line cannot fit the limit. */
    private void append(int end) throws FrameTooLargeException {
        int n = end - pos;
        // maxLineBytes + 1: the last byte may be the '\r' of a "\r\n" terminator
        if ((long) lineLength + n > (long) maxLineBytes + 1) {
            throw new FrameTooLargeException(maxLineBytes, transport);
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(Math.max(2L * line.length, lineLength + n), maxLineBytes + 1L));
        }
        System.arraycopy(chunk, pos, line, lineLength, n);
        lineLength += n;
        pos = end;
    }

    /** The frame in {@code bytes[from, from + length)} without a trailing {@code \r}, or {@code null} if blank. */
    private byte[] finish(byte[] bytes, int from, int length) throws FrameTooLargeException {
        int end = from + length;
        if (end > from && bytes[end - 1] == '\r') {
            end--;
        }
        if (end - from > maxLineBytes) {
            throw new FrameTooLargeException(maxLineBytes, transport);
        }
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return Arrays.copyOfRange(bytes, from, end);
            }
        }
        return null;
    }
}
