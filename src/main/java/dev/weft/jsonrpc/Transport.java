package dev.weft.jsonrpc;

import java.io.IOException;
import java.util.function.Predicate;

/**
 * The transport SPI: moves JSON-RPC messages to and from one peer.
 *
 * <p><b>Threads.</b> {@link #send} may be called by any number of threads at once; each message is written whole,
 * never interleaved with another. {@link #receive} has exactly one caller, the connection's reader. {@link #close} may
 * be called from any thread, any number of times.
 *
 * <p><b>The end is sticky.</b> Once the transport has ended (end of stream, I/O error, process exit, oversized frame,
 * close), {@code receive} and {@code send} throw an exception whose cause chain leads to the same terminal error,
 * every time. {@link #close} unblocks a {@code receive} that is waiting, promptly and without relying on interrupts,
 * since a thread blocked on a pipe does not wake on interrupt.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends one message.
     *
     * @param message the message
     * @throws MessageRefusedException when the peer refused this one message and the transport goes on
     * @throws IOException             when the transport has ended or the write failed
     */
    void send(Message message) throws IOException;

    /**
     * Sends one message that the handling of the peer's request {@code relatedTo} produced (a progress notification, a
     * log message, a request back to the peer), or that is unrelated to any request when {@code relatedTo} is
     * {@code null}. A transport that answers each incoming request on a stream of its own (the server side of
     * Streamable HTTP) sends it on that request's stream while it is open; the others ignore the relation, which is what
     * the default does.
     *
     * @param message   the message
     * @param relatedTo the peer's request whose handling produced it, or {@code null}
     * @throws MessageRefusedException when the peer refused this one message and the transport goes on
     * @throws IOException             when the transport has ended or the write failed
     */
    default void send(Message message, RequestId relatedTo) throws IOException {
        send(message);
    }

    /**
     * Blocks until the next message arrives.
     *
     * @return the next message, never {@code null}
     * @throws MalformedMessageException when a frame could not be read as a message; the transport remains usable
     * @throws RequestFailedException    when one outgoing request will get no answer (its HTTP exchange failed); the
     *                                   transport remains usable
     * @throws IOException               when the transport has ended: {@link java.io.EOFException} for a clean end, or
     *                                   the error that ended it; the same terminal error on every later call
     */
    Message receive() throws IOException, MalformedMessageException, RequestFailedException;

    /**
     * Lets a transport that reads on threads of its own hand each message straight to {@code router} on the thread that
     * read it, instead of queueing it for {@link #receive}: this saves a thread hand-off per message, which costs more
     * than the rest of a fast call. What the router declines ({@code false}, or an exception) goes through
     * {@code receive} as usual. The order holds: the router gets a message only when every message its reading thread
     * read before it has been taken by the router or returned by {@code receive} (and the receiver has come back for
     * more). The transport may end while the router runs. The router must be thread-safe and quick, must not block and
     * must not call the transport. Called at most once, before the first {@code receive}; the default ignores it, and
     * every message goes through {@code receive}.
     *
     * @param router takes a message ({@code true}) or declines it ({@code false})
     */
    default void routeDirectly(Predicate<Message> router) {
    }

    /**
     * Lets a transport whose reading threads each carry one request of the peer's and have nothing else to do until
     * it is answered (the server side of Streamable HTTP: a virtual thread per POST) have the request served on that
     * thread: the transport hands the request to {@code server} instead of queueing it for {@link #receive}, and
     * {@code server} runs its handler there, sends the answer through {@link #send} before it returns {@code true}
     * (or no answer when the peer cancelled the request), and does not return while the handler runs. On
     * {@code false} (the connection is ending, or the id is in flight already) the transport queues the request as
     * usual. This saves the two thread hand-offs of a request served by a handler thread of the connection's own.
     *
     * <p>A request so served is not ordered with the messages read on other threads, so a transport offers this only
     * where the protocol keeps no such order (each HTTP request stands alone). While {@code server} runs, a cancel of
     * the request interrupts the calling thread; once it has returned, no interrupt of the connection's reaches that
     * thread and none is left set. Called at most once, before the first {@code receive}; the default ignores it.
     *
     * @param server serves a request on the calling thread ({@code true}) or declines it ({@code false})
     */
    default void serveDirectly(Predicate<Request> server) {
    }

    /**
     * Tells the transport that the connection no longer waits for an answer to {@code id} (the call timed out or was
     * cancelled), so that a transport holding resources per request, such as an open HTTP response stream, can release
     * them. Any thread; must not block. The default does nothing.
     *
     * @param id the id of the outgoing request
     */
    default void abandoned(RequestId id) {
    }

    /**
     * Ends the transport and releases its resources. Idempotent; returns within a bounded time.
     */
    @Override
    void close();

    /** {@return a short description for errors and thread names, such as {@code stdio[node server.js] pid 4242}} */
    String describe();
}
