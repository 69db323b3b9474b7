package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory transport pair, for tests of everything above the transport, with fault injection.
 *
 * <p>Messages cross as encoded frames, so the codec and its limits are exercised as on a real pipe. Each direction
 * carries a {@link Faults} plan that can drop chosen frames, delay frames (keeping their order), or cut the pair at a
 * chosen frame; {@link #sendRaw} delivers arbitrary bytes to the peer and {@link #fail} ends the pair with a given
 * error, as if the wire broke.
 *
 * <p><b>Ends.</b> {@link #close()} on one end ends this end at once and the peer's after it has read what was already
 * sent (it then sees an {@link EOFException}). A cut or {@link #fail} ends both ends at once with the given error.
 * Every end is sticky: {@code receive} and {@code send} throw the very same exception instance every time. Thread-safe: any number of senders, one receiver per end.
 */
public final class MemoryTransport implements Transport {
    private static final AtomicInteger PAIRS = new AtomicInteger();

    /**
     * The two ends of a pair.
     *
     * @param left  one end
     * @param right the other end
     */
    public record Pair(MemoryTransport left, MemoryTransport right) {
    }

    private final String name;
    private final JsonRpcCodec codec;
    private final Faults outbound;
    private final Inbox inbox = new Inbox();
    private final AtomicLong sentFrames = new AtomicLong();
    private MemoryTransport peer; // set once by pair(), before either end is published

    private MemoryTransport(String name, JsonRpcCodec codec, Faults outbound) {
        this.name = name;
        this.codec = codec;
        this.outbound = outbound;
    }

    /** {@return a pair without faults, with the standard codec} */
    public static Pair pair() {
        return pair(Faults.NONE, Faults.NONE, JsonRpcCodec.standard());
    }

    /**
     * A pair.
     *
     * @param leftToRight the faults of frames sent by the left end
     * @param rightToLeft the faults of frames sent by the right end
     * @param codec       the codec of both ends (its frame limit applies to both)
     * @return the pair
     */
    public static Pair pair(Faults leftToRight, Faults rightToLeft, JsonRpcCodec codec) {
        int n = PAIRS.incrementAndGet();
        MemoryTransport left = new MemoryTransport("memory[" + n + "/left]", codec, leftToRight);
        MemoryTransport right = new MemoryTransport("memory[" + n + "/right]", codec, rightToLeft);
        left.peer = right;
        right.peer = left;
        return new Pair(left, right);
    }

    @Override
    public void send(Message message) throws IOException {
        Objects.requireNonNull(message, "message");
        inbox.throwIfEnded(); // a closed or failed end does not send
        deliver(codec.encode(message));
    }

    /**
     * Delivers raw bytes as one frame to the peer, bypassing the codec: for tests of bad input.
     *
     * @param frame the frame's bytes; copied
     * @throws IOException if this end has ended, or the frame's index is where the faults cut the pair
     */
    public void sendRaw(byte[] frame) throws IOException {
        inbox.throwIfEnded();
        deliver(frame.clone());
    }

    private void deliver(byte[] frame) throws IOException {
        long index = sentFrames.incrementAndGet();
        if (index == outbound.cutAtFrame()) {
            IOException cut = new IOException(name + " cut at frame " + index);
            fail(cut);
            throw cut;
        }
        if (outbound.drops(index)) {
            return;
        }
        long delay = outbound.delayNanos(index);
        peer.inbox.offer(frame, delay == 0 ? 0 : System.nanoTime() + delay);
    }

    @Override
    public Message receive() throws IOException, MalformedMessageException {
        byte[] frame = inbox.take();
        if (frame.length > codec.maxFrameBytes()) {
            FrameTooLargeException tooLarge = new FrameTooLargeException(codec.maxFrameBytes(), name);
            fail(tooLarge);
            throw tooLarge;
        }
        return codec.decode(frame);
    }

    /**
     * Ends both ends of the pair at once with {@code cause}, as if the wire broke. Idempotent per end.
     *
     * @param cause the terminal error both ends report
     */
    public void fail(IOException cause) {
        inbox.end(cause, true);
        peer.inbox.end(cause, true);
    }

    @Override
    public void close() {
        inbox.end(new EOFException(name + " closed"), true);
        peer.inbox.end(new EOFException(peer.name + ": peer " + name + " closed"), false);
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Frames waiting to be received, and the sticky end. Guarded by {@code lock}. */
    private static final class Inbox {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
        private final ArrayDeque<Long> dueNanos = new ArrayDeque<>(); // parallel to frames; 0 = now
        private IOException end; // sticky; set once
        private boolean endNow; // whether the end overtakes queued frames

        void offer(byte[] frame, long due) {
            lock.lock();
            try {
                if (end != null) {
                    return; // the receiver is gone: like writing into a broken pipe's buffer
                }
                frames.addLast(frame);
                dueNanos.addLast(due);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void end(IOException cause, boolean now) {
            lock.lock();
            try {
                if (end == null) {
                    end = cause;
                    endNow = now;
                    if (now) {
                        frames.clear();
                        dueNanos.clear();
                    }
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        void throwIfEnded() throws IOException {
            lock.lock();
            try {
                if (end != null && endNow) {
                    throw ended();
                }
            } finally {
                lock.unlock();
            }
        }

        byte[] take() throws IOException {
            lock.lock();
            try {
                while (true) {
                    if (end != null && (endNow || frames.isEmpty())) {
                        throw ended();
                    }
                    if (!frames.isEmpty()) {
                        long due = dueNanos.peekFirst();
                        long wait = due == 0 ? 0 : due - System.nanoTime();
                        if (wait <= 0) {
                            dueNanos.removeFirst();
                            return frames.removeFirst();
                        }
                        changed.awaitNanos(wait);
                    } else {
                        changed.await();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while receiving");
            } finally {
                lock.unlock();
            }
        }

        private IOException ended() {
            return end; // the same instance every time: the sticky end is one value
        }
    }
}
