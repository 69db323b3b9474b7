package dev.weft.jsonrpc;

import java.util.Objects;

/**
 * Thrown by {@link Transport#receive()} when one outgoing request will get no answer through the transport, while the
 * transport itself goes on: an HTTP exchange answered with a status other than 2xx, or a response stream that broke
 * and could not be resumed. The connection fails that one call with an {@link ExchangeFailedException} carrying
 * {@link #getCause()}, and keeps reading.
 *
 * <p>A failure that ends the transport (the session expired, the process exited) is not one of these: the transport
 * ends and {@code receive} throws its terminal {@link java.io.IOException} instead.
 *
 * <p>Made on the thread of the failed exchange and thrown by {@code receive} to the connection's reader, which hands it
 * to the thread that waits for the call. Its fields are final and immutable, so it may be handed between threads.
 */
public final class RequestFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient RequestId id;
    /** Whether the peer may have received the request. */
    private final boolean requestDelivered;

    /**
     * Creates the exception.
     *
     * @param id               the request that will get no answer
     * @param cause            what went wrong, such as an HTTP status with a body excerpt
     * @param requestDelivered whether the peer may have received the request (and so may have acted on it)
     */
    public RequestFailedException(RequestId id, Throwable cause, boolean requestDelivered) {
        super("request " + id + " failed: " + cause, Objects.requireNonNull(cause, "cause"));
        this.id = Objects.requireNonNull(id, "id");
        this.requestDelivered = requestDelivered;
    }

    /** {@return the request that will get no answer} Not serialized: {@code null} after deserialization. */
    public RequestId id() {
        return id;
    }

    /** {@return whether the peer may have received the request} */
    public boolean requestDelivered() {
        return requestDelivered;
    }
}
