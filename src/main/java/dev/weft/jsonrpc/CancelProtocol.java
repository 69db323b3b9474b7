package dev.weft.jsonrpc;

/**
 * How a protocol cancels a request in flight: MCP sends {@code notifications/cancelled {requestId, reason}}.
 * Supplied by the protocol layer through {@link ConnectionOptions#withCancelProtocol}.
 */
public interface CancelProtocol {

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
