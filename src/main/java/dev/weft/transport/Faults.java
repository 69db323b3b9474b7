package dev.weft.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * Faults injected into one direction of a {@link MemoryTransport} pair. Frames are counted from 1 in the order they
 * are sent.
 *
 * @param dropped    the indexes of frames that are silently lost
 * @param cutAtFrame the index of the frame at which both ends fail (that frame is not delivered), or 0 for never
 * @param delay      the delay, in nanoseconds, of each frame by index; frames still arrive in the order sent
 */
public record Faults(Set<Long> dropped, long cutAtFrame, LongUnaryOperator delay) {
    /** No faults. */
    public static final Faults NONE = new Faults(Set.of(), 0, i -> 0);

    public Faults {
        dropped = Set.copyOf(dropped);
        Objects.requireNonNull(delay, "delay");
        if (cutAtFrame < 0) {
            throw new IllegalArgumentException("cutAtFrame must not be negative: " + cutAtFrame);
        }
    }

    /** These faults, also dropping the frame at {@code index}. */
    public Faults withDropped(long index) {
        java.util.HashSet<Long> more = new java.util.HashSet<>(dropped);
        more.add(index);
        return new Faults(more, cutAtFrame, delay);
    }

    /** These faults, cutting the pair at the frame at {@code index}. */
    public Faults withCutAtFrame(long index) {
        return new Faults(dropped, index, delay);
    }

    /** These faults, delaying every frame by {@code delay}. */
    public Faults withDelay(Duration delay) {
        long nanos = delay.toNanos();
        return new Faults(dropped, cutAtFrame, i -> nanos);
    }

    /** These faults, delaying each frame by {@code delayNanos.applyAsLong(index)} nanoseconds. */
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
