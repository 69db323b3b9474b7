package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads server-sent events from a byte stream, as the HTML standard's event stream parser does: lines end with CR, LF
 * or CRLF; a line starting with a colon is a comment; {@code data} lines of one event are joined with LF; {@code id}
 * (without NUL) sets the last event id, an empty one clears it; {@code retry} with only digits sets the reconnection
 * delay; a blank line dispatches the event; an event cut off by the end of the stream is dropped; a leading UTF-8 BOM
 * is skipped.
 *
 * <p>Unlike a browser, it reports events whose data is empty too (an MCP server's priming event: an id and maybe a
 * retry, and no data), so that the caller sees the id.
 *
 * <p>Bounded: a line longer than the limit, or an event whose data exceeds it, throws
 * {@link FrameTooLargeException} without buffering the rest. Not thread-safe: one reader thread.
 */
final class SseReader {
    /** One dispatched event. {@code id} is the last event id after it ({@code null} if none); {@code retryMillis} -1. */
    record Event(String type, byte[] data, String id, long retryMillis) {
        boolean hasData() {
            return data.length > 0;
        }
    }

    private static final int BUFFER = 8192;

    private final InputStream in;
    private final int limit;
    private final String source;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int filled;
    private boolean skippedCr; // the last line ended with CR: a following LF belongs to it
    private boolean started;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasDataField;
    private String type;
    private String lastId;
    private long retry = -1;
    private boolean eventStarted;

    /**
     * @param limit  the largest line and event data, in bytes
     * @param source names the stream in errors
     */
    SseReader(InputStream in, int limit, String source) {
        this.in = in;
        this.limit = limit;
        this.source = source;
    }

    /**
     * The next event, or {@code null} at the end of the stream.
     *
     * @throws FrameTooLargeException if a line or an event's data exceeds the limit
     * @throws IOException            if reading fails
     */
    Event next() throws IOException {
        while (readLine()) {
            if (lineLength == 0) {
                if (eventStarted) {
                    return dispatch();
                }
                continue;
            }
            field();
        }
        return null;
    }

    private Event dispatch() {
        Event event = new Event(type, Arrays.copyOf(data, dataLength), lastId, retry);
        dataLength = 0;
        hasDataField = false;
        type = null;
        retry = -1;
        eventStarted = false;
        return event;
    }

    private void field() throws FrameTooLargeException {
        if (line[0] == ':') {
            return; // a comment
        }
        int colon = indexOf(line, lineLength, (byte) ':');
        String name = new String(line, 0, colon < 0 ? lineLength : colon, StandardCharsets.UTF_8);
        int valueStart = colon < 0 ? lineLength : colon + 1;
        if (valueStart < lineLength && line[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = lineLength - valueStart;
        switch (name) {
            case "data" -> {
                int needed = dataLength + (hasDataField ? 1 : 0) + valueLength;
                if (needed > limit) {
                    throw new FrameTooLargeException(limit, source);
                }
                data = ensure(data, needed);
                if (hasDataField) {
                    data[dataLength++] = '\n';
                }
                System.arraycopy(line, valueStart, data, dataLength, valueLength);
                dataLength += valueLength;
                hasDataField = true;
                eventStarted = true;
            }
            case "event" -> {
                type = new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
                eventStarted = true;
            }
            case "id" -> {
                if (indexOf(line, lineLength, (byte) 0) < 0) {
                    String id = new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
                    lastId = id.isEmpty() ? null : id;
                }
                eventStarted = true;
            }
            case "retry" -> {
                String value = new String(line, valueStart, valueLength, StandardCharsets.US_ASCII);
                if (!value.isEmpty() && value.length() <= 12 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retry = Long.parseLong(value);
                }
                eventStarted = true;
            }
            default -> { } // unknown fields are ignored
        }
    }

    /** Reads one line into {@code line}, without its terminator; {@code false} at the end of the stream. */
    private boolean readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == filled && !fill()) {
                return false; // a line without terminator at the end is dropped, as is its event
            }
            byte b = buffer[position++];
            if (skippedCr) {
                skippedCr = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return true;
            }
            if (b == '\r') {
                skippedCr = true;
                return true;
            }
            if (lineLength >= limit + 16) {
                throw new FrameTooLargeException(limit, source); // room for "data: " and a little more
            }
            line = ensure(line, lineLength + 1);
            line[lineLength++] = b;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        position = 0;
        filled = n;
        if (!started && n > 0) {
            started = true;
            if (n >= 3 && (buffer[0] & 0xFF) == 0xEF && (buffer[1] & 0xFF) == 0xBB && (buffer[2] & 0xFF) == 0xBF) {
                position = 3;
            }
        }
        return true;
    }

    private static byte[] ensure(byte[] array, int size) {
        if (size <= array.length) {
            return array;
        }
        return Arrays.copyOf(array, Math.max(size, array.length * 2));
    }

    private static int indexOf(byte[] array, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (array[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
