package dev.weft.jsonrpc;

/**
 * How a protocol cancels a request in flight: MCP sends {@code notifications/cancelled {requestId, reason}}, ACP
 * {@code $/cancel_request {requestId}}. Supplied by the protocol layer through
 * {@link ConnectionOptions#withCancelProtocol}.
 */
public interface CancelProtocol {

    /**
     * The usual kind: a notification {@code method} that names the request in {@code requestId} (and says why in
     * {@code reason} when {@code withReason}), never sent for {@code initialize}.
     */
    static CancelProtocol byRequestId(String method, boolean withReason) {
        return new RequestIdCancel(method, withReason);
    }

    /** The method of the cancel notification, to recognise incoming cancels. */
    String method();

    /**
     * The notification that cancels an outgoing request, or {@code null} when this request must not be cancelled
     * (MCP forbids cancelling {@code initialize}).
     */
    Notification cancel(RequestId id, String method, String reason);

    /** The id of the incoming request that an incoming cancel notification names, or {@code null} if unreadable. */
    RequestId cancelledId(Notification cancel);
}
