package dev.weft.jsonrpc;

/**
 * How a protocol cancels a request in flight: MCP sends {@code notifications/cancelled {requestId, reason}}, ACP
 * {@code $/cancel_request {requestId}}. Supplied by the protocol layer through
 * {@link ConnectionOptions#withCancelProtocol}.
 *
 * <p>Called concurrently: {@link #cancel} on the threads whose calls are cancelled, {@link #method} and
 * {@link #cancelledId} on the thread that reads the transport. Implementations must be thread-safe and quick: the
 * reader waits for them.
 */
public interface CancelProtocol {

    /**
     * The usual kind: a notification {@code method} that names the request in {@code requestId} (and says why in
     * {@code reason} when {@code withReason}), never sent for {@code initialize}.
     *
     * @param method     the notification's method
     * @param withReason whether the notification carries a {@code reason}
     * @return the protocol
     */
    static CancelProtocol byRequestId(String method, boolean withReason) {
        return new RequestIdCancel(method, withReason);
    }

    /** {@return the method of the cancel notification} It recognises incoming cancels. */
    String method();

    /**
     * The notification that cancels an outgoing request, or {@code null} when this request must not be cancelled
     * (MCP forbids cancelling {@code initialize}).
     *
     * @param id     the id of the request to cancel
     * @param method the request's method
     * @param reason why, for the peer's logs, or {@code null}
     * @return the notification to send, or {@code null}
     */
    Notification cancel(RequestId id, String method, String reason);

    /**
     * {@return the id of the incoming request that an incoming cancel notification names, or {@code null} if
     * unreadable}
     *
     * @param cancel the incoming notification, whose method is {@link #method()}
     */
    RequestId cancelledId(Notification cancel);
}
