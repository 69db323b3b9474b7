package dev.weft.jsonrpc;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of one call.
 *
 * <p>Immutable; each {@code with} method returns a copy. {@code onEvent} runs on the thread of each call made with
 * these options, so options that calls on several threads share need an {@code onEvent} that is thread-safe.
 *
 * @param timeout     the longest the call may take in all, or {@code null} for the connection's default
 * @param idleTimeout the longest the call may go without a routed notification (progress), or {@code null} for none
 * @param routeKey    the key under which the connection's notification router files notifications that belong to
 *                    this call (an MCP progress token), or {@code null}
 * @param onEvent     receives those notifications, in arrival order, <b>on the calling thread</b>, before the result;
 *                    or {@code null}. An exception it throws cancels the call and is rethrown by the call.
 * @param id          the request id to use, or {@code null} to let the connection assign one. Ids the connection
 *                    assigns are numbers counting up from 1; a caller that chooses its own must keep them unique among
 *                    the connection's pending calls (text ids never collide with assigned ones). A protocol layer
 *                    chooses ids when it must know them before the answer: as a progress token, or to name the call
 *                    in a failure it raises itself.
 * @param relatedTo   the peer's request whose handling makes this call (see {@link Transport#send(Message, RequestId)}),
 *                    or {@code null}: then a call made on a handler's own thread is related to that handler's request
 */
public record CallOptions(Duration timeout, Duration idleTimeout, Object routeKey, Consumer<Notification> onEvent,
                          RequestId id, RequestId relatedTo) {
    /** The connection's default timeout, no idle timeout, no events, an assigned id, related as the thread says. */
    public static final CallOptions DEFAULT = new CallOptions(null, null, null, null, null, null);

    /**
     * Checks the timeouts.
     *
     * @throws IllegalArgumentException if a timeout is zero or negative
     */
    public CallOptions {
        requirePositive(timeout, "timeout");
        requirePositive(idleTimeout, "idleTimeout");
    }

    private static void requirePositive(Duration d, String what) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /**
     * {@return these options with another timeout}
     *
     * @param timeout the longest the call may take in all, or {@code null} for the connection's default
     */
    public CallOptions withTimeout(Duration timeout) {
        return new CallOptions(timeout, idleTimeout, routeKey, onEvent, id, relatedTo);
    }

    /**
     * {@return these options with another idle timeout}
     *
     * @param idleTimeout the longest the call may go without a routed notification, or {@code null} for none
     */
    public CallOptions withIdleTimeout(Duration idleTimeout) {
        return new CallOptions(timeout, idleTimeout, routeKey, onEvent, id, relatedTo);
    }

    /**
     * {@return these options, routing the notifications filed under {@code routeKey} to {@code onEvent}, on the
     * calling thread}
     *
     * @param routeKey the key the connection's notification router files this call's notifications under
     * @param onEvent  receives them, in arrival order, before the result
     */
    public CallOptions withEvents(Object routeKey, Consumer<Notification> onEvent) {
        return new CallOptions(timeout, idleTimeout, java.util.Objects.requireNonNull(routeKey, "routeKey"),
                java.util.Objects.requireNonNull(onEvent, "onEvent"), id, relatedTo);
    }

    /**
     * {@return these options, using {@code id} as the request id instead of one the connection assigns}
     *
     * @param id the request id; unique among the connection's pending calls
     */
    public CallOptions withId(RequestId id) {
        return new CallOptions(timeout, idleTimeout, routeKey, onEvent, java.util.Objects.requireNonNull(id, "id"),
                relatedTo);
    }

    /**
     * {@return these options, relating the call to the peer's request {@code relatedTo}, whose handling makes it}
     *
     * @param relatedTo the peer's request
     */
    public CallOptions withRelatedTo(RequestId relatedTo) {
        return new CallOptions(timeout, idleTimeout, routeKey, onEvent, id,
                java.util.Objects.requireNonNull(relatedTo, "relatedTo"));
    }
}
