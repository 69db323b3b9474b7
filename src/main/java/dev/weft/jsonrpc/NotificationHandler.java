package dev.weft.jsonrpc;

/**
 * Receives one kind of incoming notification. Notifications are delivered in arrival order on one virtual thread per
 * connection (never the reader), so a slow handler delays later notifications but never the connection's reading.
 * An exception is logged and does not stop delivery.
 */
@FunctionalInterface
public interface NotificationHandler {
    void handle(Notification notification) throws Exception;
}
