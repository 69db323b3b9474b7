package dev.weft.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Faults injected into one direction of a {@link MemoryTransport} pair. Frames are counted from 1 in the order they
 * are sent.
 *
 * <p>{@code dropped} is copied into an unmodifiable set; {@code delay} is held as given and called on the thread of
 * each send, by several threads at once when several send, so it must be thread-safe. With such a function, safe to
 * share between threads; each {@code with} method returns a copy.
 *
 * @param dropped    the indexes of frames that are silently lost
 * @param cutAtFrame the index of the frame at which both ends fail (that frame is not delivered), or 0 for never
 * @param delay      the delay, in nanoseconds, of each frame by index; frames still arrive in the order sent
 */
public record Faults(Set<Long> dropped, long cutAtFrame, LongUnaryOperator delay) {
    /** No faults. */
    public static final Faults NONE = new Faults(Set.of(), 0, i -> 0);

    /**
     * Checks and copies.
     *
     * @throws IllegalArgumentException if {@code cutAtFrame} is negative
     */
    public Faults {
        dropped = Set.copyOf(dropped);
        Objects.requireNonNull(delay, "delay");
        if (cutAtFrame < 0) {
            throw new IllegalArgumentException("cutAtFrame must not be negative: " + cutAtFrame);
        }
    }

    /**
     * {@return these faults, also dropping the frame at {@code index}}
     *
     * @param index the frame's index, counted from 1
     */
    public Faults withDropped(long index) {
        java.util.HashSet<Long> more = new java.util.HashSet<>(dropped);
        more.add(index);
        return new Faults(more, cutAtFrame, delay);
    }

    /**
     * {@return these faults, cutting the pair at the frame at {@code index}}
     *
     * @param index the frame's index, counted from 1; 0 for never
     */
    public Faults withCutAtFrame(long index) {
        return new Faults(dropped, index, delay);
    }

    /**
     * {@return these faults, delaying every frame by {@code delay}}
     *
     * @param delay the delay of each frame
     */
    public Faults withDelay(Duration delay) {
        long nanos = delay.toNanos();
        return new Faults(dropped, cutAtFrame, i -> nanos);
    }

    /**
     * {@return these faults, delaying each frame by {@code delayNanos.applyAsLong(index)} nanoseconds}
     *
     * @param delayNanos the delay in nanoseconds by frame index; a negative delay counts as 0
     */
    public Faults withDelay(LongUnaryOperator delayNanos) {
        return new Faults(dropped, cutAtFrame, delayNanos);
    }

    boolean drops(long index) {
        return dropped.contains(index);
    }

    long delayNanos(long index) {
        return Math.max(0, delay.applyAsLong(index));
    }
}
