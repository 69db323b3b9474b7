package dev.weft.transport;

import java.util.List;
import java.util.Objects;

/**
 * Where a {@link StreamableHttpServer} keeps the events of its event streams, so that a client whose stream broke or
 * was closed can resume it with {@code GET} and {@code Last-Event-ID}: the server replays the events stored after
 * that id, then goes on live. The default keeps them in memory ({@link #inMemory()}); a store shared by several
 * server instances (say, Redis) lets a client resume on another instance's stream id space, once sessions are shared
 * too.
 *
 * <p>A stream is named by the server: a request's response stream, or a session's standalone GET stream. Each event is
 * one encoded JSON-RPC message, or empty for a priming event (the event that only carries an id).
 *
 * <p><b>Threads.</b> Implementations must be thread-safe. The server calls {@link #append} and {@link #replay} while it
 * holds the lock of the stream concerned (that is how a resumed stream neither loses nor repeats an event), so they
 * should be quick and must not call back into the server; they may block briefly (a round trip to a store).
 */
public interface EventStore {

    /**
     * One stored event.
     *
     * @param id   its event id
     * @param data the encoded message, or empty for a priming event
     */
    record Event(String id, byte[] data) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code id} or {@code data} is {@code null}
         */
        public Event {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Stores an event at the end of {@code streamId}.
     *
     * @param streamId the stream, as the server names it
     * @param data the encoded message, or empty for a priming event; the store may keep the array as is
     * @return the event's id: visible ASCII without spaces, unique in the store, from which {@link #streamOf} gives
     *         {@code streamId} back
     */
    String append(String streamId, byte[] data);

    /**
     * {@return the stream that {@code eventId} was issued for, or {@code null} if it is not an id of this store's}
     *
     * @param eventId an event id, as a client sent it in {@code Last-Event-ID}
     */
    String streamOf(String eventId);

    /**
     * The events of {@code streamId} stored after {@code afterEventId}, oldest first.
     *
     * @param streamId     the stream
     * @param afterEventId an event id of this stream, or {@code null} for every event still kept
     * @return the events, possibly none; {@code null} when {@code afterEventId} is given and not every event after it
     *         can be replayed (the id is unknown, or events after it were evicted)
     */
    List<Event> replay(String streamId, String afterEventId);

    /**
     * Forgets {@code streamId} and its events (its session ended). Unknown streams are ignored.
     *
     * @param streamId the stream
     */
    void remove(String streamId);

    /**
     * An in-memory store that keeps the last 1,000 events of each stream and at most 64 MiB of events in all,
     * evicting the streams used least recently first.
     *
     * @return a new, empty store
     */
    static EventStore inMemory() {
        return new InMemoryEventStore(1_000, 64L * 1024 * 1024);
    }

    /**
     * An in-memory store with other bounds.
     *
     * @param eventsPerStream how many of a stream's latest events are kept
     * @param maxBytes        how many bytes of events are kept in all (a stream's latest event is kept whatever its
     *                        size)
     * @return a new, empty store
     * @throws IllegalArgumentException if a bound is not positive
     */
    static EventStore inMemory(int eventsPerStream, long maxBytes) {
        return new InMemoryEventStore(eventsPerStream, maxBytes);
    }
}
