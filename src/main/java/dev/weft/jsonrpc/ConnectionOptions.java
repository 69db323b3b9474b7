package dev.weft.jsonrpc;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The configuration of a {@link Connection}. Immutable; each {@code with} method returns a copy.
 *
 * @param name                 prefix of the connection's thread names
 * @param defaultTimeout       the timeout of calls that set none
 * @param requestHandlers      handlers of incoming requests, by method; other methods get
 *                             {@link RpcError#METHOD_NOT_FOUND}
 * @param notificationHandlers handlers of incoming notifications, by method
 * @param otherNotifications   the handler of notifications no other handler or call takes, or {@code null} to log
 *                             and drop them
 * @param cancelProtocol       how to cancel requests in both directions, or {@code null} to send no cancels
 * @param notificationRouter   files an incoming notification under a call's
 *                             {@linkplain CallOptions#routeKey() route key}, or returns {@code null}; runs on the
 *                             reader or on a thread that reads the transport, so it must be quick, thread-safe and
 *                             must not block; or {@code null} for no routing
 */
public record ConnectionOptions(String name, Duration defaultTimeout, Map<String, RequestHandler> requestHandlers,
                                Map<String, NotificationHandler> notificationHandlers,
                                NotificationHandler otherNotifications, CancelProtocol cancelProtocol,
                                Function<Notification, Object> notificationRouter) {
    /** No handlers, no cancel protocol, a 60 second default timeout. */
    public static final ConnectionOptions DEFAULT = new ConnectionOptions("weft-conn", Duration.ofSeconds(60),
            Map.of(), Map.of(), null, null, null);

    /**
     * Checks the components and copies the maps.
     *
     * @throws IllegalArgumentException if {@code defaultTimeout} is zero or negative
     */
    public ConnectionOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultTimeout, "defaultTimeout");
        if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
            throw new IllegalArgumentException("defaultTimeout must be positive: " + defaultTimeout);
        }
        requestHandlers = Map.copyOf(requestHandlers);
        notificationHandlers = Map.copyOf(notificationHandlers);
    }

    /**
     * {@return these options with another name}
     *
     * @param name prefix of the connection's thread names
     */
    public ConnectionOptions withName(String name) {
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, notificationHandlers, otherNotifications,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with another default timeout}
     *
     * @param defaultTimeout the timeout of calls that set none; positive
     */
    public ConnectionOptions withDefaultTimeout(Duration defaultTimeout) {
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, notificationHandlers, otherNotifications,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with a handler for incoming requests of {@code method}, replacing any other}
     *
     * @param method  the method
     * @param handler answers each request of it, on a virtual thread of its own
     */
    public ConnectionOptions withRequestHandler(String method, RequestHandler handler) {
        Map<String, RequestHandler> more = new HashMap<>(requestHandlers);
        more.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(handler, "handler"));
        return new ConnectionOptions(name, defaultTimeout, more, notificationHandlers, otherNotifications,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with a handler for incoming notifications of {@code method}, replacing any other}
     *
     * @param method  the method
     * @param handler receives each notification of it, in arrival order
     */
    public ConnectionOptions withNotificationHandler(String method, NotificationHandler handler) {
        Map<String, NotificationHandler> more = new HashMap<>(notificationHandlers);
        more.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(handler, "handler"));
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, more, otherNotifications,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with a handler for the notifications no other handler or call takes}
     *
     * @param handler the handler, or {@code null} to log and drop them
     */
    public ConnectionOptions withOtherNotifications(NotificationHandler handler) {
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, notificationHandlers, handler,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with a cancel protocol}
     *
     * @param cancelProtocol how to cancel requests in both directions, or {@code null} to send no cancels
     */
    public ConnectionOptions withCancelProtocol(CancelProtocol cancelProtocol) {
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, notificationHandlers, otherNotifications,
                cancelProtocol, notificationRouter);
    }

    /**
     * {@return these options with a notification router}
     *
     * @param router files an incoming notification under a call's route key, or returns {@code null}; quick,
     *               thread-safe and non-blocking (see the class comment); or {@code null} for no routing
     */
    public ConnectionOptions withNotificationRouter(Function<Notification, Object> router) {
        return new ConnectionOptions(name, defaultTimeout, requestHandlers, notificationHandlers, otherNotifications,
                cancelProtocol, router);
    }
}
