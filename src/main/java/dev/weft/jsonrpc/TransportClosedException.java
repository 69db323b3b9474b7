package dev.weft.jsonrpc;

/**
 * The transport ended before the call was answered, or had already ended when the call was made.
 *
 * <p>The {@linkplain #getCause() cause} is the transport's own terminal error: an {@link java.io.EOFException} for a
 * clean end of stream, the I/O error, or a richer exception such as a process exit carrying its exit code and the tail
 * of its standard error. It is the same cause for every call on the connection (the end is sticky).
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}, a new instance for each call. Its
 * fields are final and immutable, so it may be handed to other threads; its cause is one instance, shared by every call
 * that the end fails, each on its own thread.
 */
public final class TransportClosedException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Whether the request had been handed to the transport. */
    private final boolean requestSent;

    /**
     * Creates the exception for a call that failed because the transport ended.
     *
     * @param method      the method of the call
     * @param id          the call's request id, or {@code null} when none was assigned
     * @param transport   the transport's description ({@link Transport#describe()})
     * @param cause       the transport's terminal error
     * @param requestSent whether the request had been handed to the transport before it ended; {@code false} means
     *                    the peer cannot have seen it, so it is safe to retry on a fresh connection
     */
    public TransportClosedException(String method, RequestId id, String transport, Throwable cause,
                                    boolean requestSent) {
        super("transport closed: " + cause, method, id, transport, cause);
        this.requestSent = requestSent;
    }

    /**
     * {@return whether the request had been handed to the transport} When {@code false} the peer never saw it and a
     * retry on a fresh connection cannot run it twice; when {@code true} it may have run.
     */
    public boolean requestSent() {
        return requestSent;
    }
}
