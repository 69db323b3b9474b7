package dev.weft.jsonrpc;

import java.time.Duration;

/**
 * The call was not answered within its timeout. When the request had reached the transport, the protocol's cancel was
 * sent before this was thrown; a late answer is dropped.
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}. Its fields, {@link #timeout()}
 * included, are final and immutable, so it may be handed to other threads.
 */
public final class CallTimeoutException extends RpcException {
    private static final long serialVersionUID = 1L;

    /** The timeout that expired. */
    private final Duration timeout;

    /**
     * Creates the exception for a call that timed out.
     *
     * @param method    the method of the call
     * @param id        the call's request id, or {@code null} when none was assigned
     * @param transport the transport's description ({@link Transport#describe()})
     * @param timeout   the timeout that expired
     * @param which     which timeout it was, as the message names it ({@code "timeout"}, {@code "idle timeout"})
     */
    public CallTimeoutException(String method, RequestId id, String transport, Duration timeout, String which) {
        super("no answer within " + which + " " + timeout, method, id, transport, null);
        this.timeout = timeout;
    }

    /** {@return the timeout that expired} */
    public Duration timeout() {
        return timeout;
    }
}
