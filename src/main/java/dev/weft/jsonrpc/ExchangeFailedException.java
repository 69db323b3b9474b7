package dev.weft.jsonrpc;

/**
 * The transport could not carry this call's exchange, though the transport itself goes on: for Streamable HTTP, a
 * status other than 2xx (the {@linkplain #getCause() cause} carries the status and an excerpt of the body), or a
 * response stream that broke before the answer and could not be resumed. Other calls on the connection are not
 * affected.
 */
public final class ExchangeFailedException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final boolean requestDelivered;

    public ExchangeFailedException(String method, RequestId id, String transport, Throwable cause,
                                   boolean requestDelivered) {
        super("exchange failed: " + cause.getMessage(), method, id, transport, cause);
        this.requestDelivered = requestDelivered;
    }

    /**
     * Whether the peer may have received the request. When {@code false} (a 4xx refusal before the request was read,
     * say) a retry cannot run it twice.
     */
    public boolean requestDelivered() {
        return requestDelivered;
    }
}
