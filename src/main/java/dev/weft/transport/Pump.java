package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;

/**
 * The loop of a transport's reader thread: reads frames from the peer's output with a {@link LineReader}, decodes each
 * into a {@link dev.weft.jsonrpc.Message} (or the {@link MalformedMessageException} that says why it is not one) and
 * hands it to the {@link BoundedInbox}. Everything in this class runs on that one thread.
 *
 * <p>It ends the transport itself on an oversized frame or a read error; at end of stream it calls {@code atEnd},
 * which decides what the end means (for a process: exited, or closed its output while still running). Once the
 * transport has ended it stops framing; with {@code drainAfterEnd} it then keeps reading and discarding until end of
 * stream, so that a child being shut down never blocks on a full pipe, and closes the stream.
 */
final class Pump implements Runnable {
    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());

    private final InputStream in;
    private final LineReader reader;
    private final JsonRpcCodec codec;
    private final BoundedInbox<Object> inbox;
    private final PipeActivity activity;
    private final boolean drainAfterEnd;
    private final Runnable atEnd;
    private final String transport;

    Pump(InputStream in, JsonRpcCodec codec, BoundedInbox<Object> inbox, PipeActivity activity, boolean drainAfterEnd,
         Runnable atEnd, String transport) {
        this.in = in;
        this.codec = codec;
        this.reader = new LineReader(in, codec.maxFrameBytes(), activity, transport);
        this.inbox = inbox;
        this.activity = activity;
        this.drainAfterEnd = drainAfterEnd;
        this.atEnd = atEnd;
        this.transport = transport;
    }

    @Override
    public void run() {
        boolean endOfStream = false;
        try {
            endOfStream = pumpFrames();
        } catch (FrameTooLargeException e) {
            inbox.end(e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, end the transport
            inbox.end(new InterruptedIOException(transport + ": reader interrupted"), false);
        } catch (IOException e) {
            if (inbox.end() == null) {
                inbox.end(new IOException(transport + ": reading failed: " + e.getMessage(), e), false);
            } // else: the stream was closed because the transport ended
        } finally {
            activity.done();
        }
        if (endOfStream) {
            atEnd.run();
        } else if (drainAfterEnd) {
            discardRest();
        }
        closeQuietly();
    }

    /** Hands frames over until end of stream ({@code true}) or until the transport ends ({@code false}). */
    private boolean pumpFrames() throws IOException, InterruptedException {
        while (true) {
            byte[] frame = reader.next();
            if (frame == null) {
                return true;
            }
            Object item;
            try {
                item = codec.decode(frame);
            } catch (MalformedMessageException e) {
                item = e;
            }
            activity.waitingForRoom();
            boolean accepted;
            try {
                accepted = inbox.offer(item, frame.length);
            } finally {
                activity.busy();
            }
            if (!accepted) {
                return false;
            }
        }
    }

    private void discardRest() {
        byte[] scratch = new byte[LineReader.CHUNK_BYTES];
        try {
            while (in.read(scratch) >= 0) {
                // the transport has ended: what the peer still writes goes nowhere
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> transport + ": discarding output failed: " + e);
        }
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> transport + ": closing output failed: " + e);
        }
    }
}
