package dev.weft.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link EventStore}: events in memory, bounded per stream and in all.
 *
 * <p>An event id is {@code <streamId>:<sequence>}, the sequence counting the stream's events from 1, so a stream's
 * events are ordered by their ids and {@link #replay} can tell whether events after an id were evicted.
 *
 * <p><b>Thread-safety</b>: every method takes {@code lock} and does only memory work under it. <b>Invariant</b>:
 * {@code bytes} is the sum of the stored events' sizes, at most {@code maxBytes} unless only the latest event of one
 * stream is left; each stream keeps at most {@code eventsPerStream} events, its latest ones, in sequence order.
 */
final class InMemoryEventStore implements EventStore {
    /** A stream's events; {@code next} is the sequence of its next event. */
    private static final class Stream {
        final ArrayDeque<Stored> events = new ArrayDeque<>();
        long next = 1;
    }

    private record Stored(long sequence, byte[] data) {}

    private final int eventsPerStream;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** Streams in order of their latest use (append or replay), least recent first; lock. */
    private final LinkedHashMap<String, Stream> streams = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes; // lock

    InMemoryEventStore(int eventsPerStream, long maxBytes) {
        if (eventsPerStream <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("bounds must be positive: " + eventsPerStream + ", " + maxBytes);
        }
        this.eventsPerStream = eventsPerStream;
        this.maxBytes = maxBytes;
    }

    @Override
    public String append(String streamId, byte[] data) {
        lock.lock();
        try {
            Stream stream = streams.computeIfAbsent(streamId, id -> new Stream());
            long sequence = stream.next++;
            stream.events.addLast(new Stored(sequence, data));
            bytes += data.length;
            if (stream.events.size() > eventsPerStream) {
                bytes -= stream.events.removeFirst().data().length;
            }
            evict(stream);
            return streamId + ":" + sequence;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the oldest events of the least recently used streams until the bound holds; caller holds lock. */
    private void evict(Stream keep) {
        Iterator<Stream> oldest = streams.values().iterator();
        while (bytes > maxBytes && oldest.hasNext()) {
            Stream stream = oldest.next();
            while (bytes > maxBytes && stream.events.size() > (stream == keep ? 1 : 0)) {
                bytes -= stream.events.removeFirst().data().length;
            }
            if (stream.events.isEmpty() && stream != keep) {
                oldest.remove(); // its ids become unknown: a replay from them is refused, not silently short
            }
        }
    }

    @Override
    public String streamOf(String eventId) {
        int colon = eventId.lastIndexOf(':');
        if (colon <= 0 || sequence(eventId) < 0) {
            return null;
        }
        return eventId.substring(0, colon);
    }

    private static long sequence(String eventId) {
        int colon = eventId.lastIndexOf(':');
        try {
            return Long.parseLong(eventId.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public List<Event> replay(String streamId, String afterEventId) {
        long after = 0;
        if (afterEventId != null) {
            if (!streamId.equals(streamOf(afterEventId))) {
                return null;
            }
            after = sequence(afterEventId);
        }
        lock.lock();
        try {
            Stream stream = streams.get(streamId);
            if (stream == null) {
                return afterEventId == null ? List.of() : null;
            }
            if (afterEventId != null) {
                long oldest = stream.events.isEmpty() ? stream.next : stream.events.peekFirst().sequence();
                if (after >= stream.next || after < oldest - 1) {
                    return null; // not issued yet, or events after it are gone
                }
            }
            List<Event> events = new ArrayList<>();
            for (Stored stored : stream.events) {
                if (stored.sequence() > after) {
                    events.add(new Event(streamId + ":" + stored.sequence(), stored.data()));
                }
            }
            return events;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void remove(String streamId) {
        lock.lock();
        try {
            Stream stream = streams.remove(streamId);
            if (stream != null) {
                for (Stored stored : stream.events) {
                    bytes -= stored.data().length;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
