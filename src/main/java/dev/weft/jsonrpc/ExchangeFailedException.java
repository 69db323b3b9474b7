package dev.weft.jsonrpc;

/**
 * The transport could not carry this call's exchange, though the transport itself goes on: for Streamable HTTP, a
 * status other than 2xx (the {@linkplain #getCause() cause} carries the status and an excerpt of the body), or a
 * response stream that broke before the answer and could not be resumed. Other calls on the connection are not
 * affected.
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}. Its fields,
 * {@link #requestDelivered()} included, are final and immutable, so it may be handed to other threads.
 */
public final class ExchangeFailedException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** Whether the peer may have received the request. */
    private final boolean requestDelivered;

    /**
     * Creates the exception for a call whose exchange failed.
     *
     * @param method    the method of the call
     * @param id        the call's request id, or {@code null} when none was assigned
     * @param transport the transport's description ({@link Transport#describe()})
     * @param cause            the failure, such as an HTTP status with a body excerpt
     * @param requestDelivered whether the peer may have received the request
     */
    public ExchangeFailedException(String method, RequestId id, String transport, Throwable cause,
                                   boolean requestDelivered) {
        super("exchange failed: " + cause.getMessage(), method, id, transport, cause);
        this.requestDelivered = requestDelivered;
    }

    /**
     * {@return whether the peer may have received the request} When {@code false} (a 4xx refusal before the request
     * was read, say) a retry cannot run it twice.
     */
    public boolean requestDelivered() {
        return requestDelivered;
    }
}
