package dev.weft.jsonrpc;

/**
 * Receives one kind of incoming notification. Notifications are delivered in arrival order on one virtual thread per
 * connection (never the reader), so a slow handler delays later notifications but never the connection's reading.
 * An exception is logged and does not stop delivery. When the connection ends, its dispatcher is interrupted and
 * notifications still queued are dropped: nothing is delivered after the end.
 */
@FunctionalInterface
public interface NotificationHandler {
    /**
     * Handles one notification, on the connection's notification thread.
     *
     * @param notification the notification
     * @throws Exception anything; it is logged, and the next notification is delivered
     */
    void handle(Notification notification) throws Exception;
}
