package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a thread of a {@link StreamableHttpTransport} that follows HTTP responses has in common: the exchange of one
 * request ({@link PostExchange}) and the standalone GET stream ({@link ListenStream}). Each runs on a virtual thread of
 * its own and makes one HTTP request after another (a POST, then GETs that resume it; or GET after GET).
 *
 * <p>Fields: {@code current} (the HTTP request in flight) and {@code aborted} are guarded by {@code lock}: the stream's
 * thread attaches each request it makes, any thread aborts. Abort is once: it closes the request in flight, refuses
 * later ones, and cuts a {@link #pause} short. {@code lastEventId}, {@code retryMillis} and {@code events} belong to
 * the stream's thread.
 */
abstract class HttpStream implements Runnable {
    private static final System.Logger LOG = System.getLogger(StreamableHttpTransport.class.getName());

    /** How reading one response stream ended. */
    enum Outcome {
        /** Nothing more to read: the awaited answer came, the transport ended, the stream was aborted or failed. */
        STOPPED,
        /** The server ended the stream before the awaited answer (SSE polling); resume after its retry delay. */
        ENDED,
        /** The stream broke (I/O error: the server died, the network dropped) before the awaited answer. */
        BROKEN
    }

    final StreamableHttpTransport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch abortedLatch = new CountDownLatch(1);
    private HttpCall current; // lock
    private boolean aborted; // lock
    String lastEventId; // the stream's thread
    long retryMillis = -1; // the stream's thread; the server's retry delay, -1 until it sends one
    long events; // the stream's thread; events read, priming ones included

    HttpStream(StreamableHttpTransport transport) {
        this.transport = transport;
    }

    /** Names the stream in logs and errors. */
    abstract String name();

    /**
     * Handles one item read from a stream: a message or a malformed frame.
     *
     * @param bytes its size
     * @return {@code true} to stop reading this stream
     */
    abstract boolean onItem(Object item, long bytes);

    /** An event exceeded the frame limit; the stream is closed already. */
    abstract void onOversized(FrameTooLargeException e);

    /**
     * Makes {@code call} the request in flight, unless the stream was aborted.
     *
     * @return {@code false} when aborted: the caller must not send it
     */
    final boolean attach(HttpCall call) {
        lock.lock();
        try {
            if (aborted) {
                return false;
            }
            current = call;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the stream: closes the request in flight and refuses later ones. Idempotent; any thread; never blocks. */
    final void abort(String why) {
        HttpCall inFlight;
        lock.lock();
        try {
            if (aborted) {
                return;
            }
            aborted = true;
            inFlight = current;
        } finally {
            lock.unlock();
        }
        abortedLatch.countDown();
        if (inFlight != null) {
            inFlight.abort(new IOException(name() + " aborted: " + why));
        }
    }

    final boolean aborted() {
        return abortedLatch.getCount() == 0;
    }

    /** Waits {@code millis}; returns {@code true} at once if the stream is aborted meanwhile (or interrupted). */
    final boolean pause(long millis) {
        try {
            return abortedLatch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Reads the events of one response stream, handing each message to {@link #onItem}. */
    final Outcome readEvents(HttpCall call) {
        SseReader reader = new SseReader(call.body(), transport.spec().codec().maxFrameBytes(), name());
        try {
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                events++;
                if (event.id() != null) {
                    lastEventId = event.id();
                }
                if (event.retryMillis() >= 0) {
                    retryMillis = event.retryMillis();
                }
                if (!event.hasData()) {
                    continue; // priming event or keep-alive: only its id and retry count
                }
                if (event.type() != null && !event.type().equals("message")) {
                    String type = event.type();
                    LOG.log(System.Logger.Level.DEBUG, () -> name() + ": event of type " + type + " ignored");
                    continue;
                }
                if (onItem(transport.decode(event.data()), event.data().length)) {
                    call.abort(new IOException(name() + ": done reading"));
                    return Outcome.STOPPED;
                }
            }
            return aborted() ? Outcome.STOPPED : Outcome.ENDED;
        } catch (FrameTooLargeException e) {
            call.abort(e);
            onOversized(e);
            return Outcome.STOPPED;
        } catch (IOException e) {
            if (aborted()) {
                return Outcome.STOPPED;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> name() + ": event stream broke: " + e);
            return Outcome.BROKEN;
        }
    }

    /** The delay before reconnect attempt {@code attempt} (from 0): the server's retry, else 1 s growing by 1.5x. */
    final long reconnectDelayMillis(int attempt) {
        if (retryMillis >= 0) {
            return retryMillis;
        }
        return (long) Math.min(StreamableHttpTransport.MAX_BACKOFF_MILLIS,
                StreamableHttpTransport.FIRST_BACKOFF_MILLIS * Math.pow(1.5, attempt));
    }
}
