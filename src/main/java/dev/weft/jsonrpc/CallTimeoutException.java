package dev.weft.jsonrpc;

import java.time.Duration;

/**
 * The call was not answered within its timeout. When the request had reached the transport, the protocol's cancel was
 * sent before this was thrown; a late answer is dropped.
 */
public final class CallTimeoutException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public CallTimeoutException(String method, RequestId id, String transport, Duration timeout, String which) {
        super("no answer within " + which + " " + timeout, method, id, transport, null);
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}
