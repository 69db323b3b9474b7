package dev.weft.jsonrpc;

/**
 * The outcome of a call that did not produce a result, typed by what happened. Every instance names what was attempted
 * and with what: the method, the request id (when one was assigned) and the transport.
 *
 * <p>Catch the subclass that matches the outcome you handle:
 * <ul>
 *   <li>{@link PeerErrorException}: the peer answered with a JSON-RPC error; the connection is fine.</li>
 *   <li>{@link TransportClosedException}: the transport ended before the answer came; the cause is the transport's own
 *       error. The connection is dead: every later call fails the same way.</li>
 *   <li>{@link CallTimeoutException}: no answer within the call's timeout; a cancel was sent.</li>
 *   <li>{@link CallCancelledException}: the caller was interrupted; a cancel was sent and the interrupt flag is set.</li>
 *   <li>{@link ProtocolViolationException}: the peer sent something the protocol forbids for this call.</li>
 *   <li>{@link ExchangeFailedException}: the transport failed this one exchange (an HTTP status, a broken stream that
 *       could not be resumed); the connection goes on.</li>
 * </ul>
 *
 * <p>Thrown to the thread that waits for the call: the caller of {@link Connection#call}, or of a method built on it
 * (which may rethrow one that a thread of its own received). Its fields are final and hold immutable values, so an
 * instance may be handed to other threads; its cause is held as given.
 */
public abstract sealed class RpcException extends RuntimeException
        permits PeerErrorException, TransportClosedException, CallTimeoutException, CallCancelledException,
                ProtocolViolationException, ExchangeFailedException {
    private static final long serialVersionUID = 1L;

    /** The method of the call, or {@code null}. */
    private final String method;
    private final transient RequestId id;
    /** The transport's description. */
    private final String transport;

    RpcException(String what, String method, RequestId id, String transport, Throwable cause) {
        super(describe(what, method, id, transport), cause);
        this.method = method;
        this.id = id;
        this.transport = transport;
    }

    private static String describe(String what, String method, RequestId id, String transport) {
        StringBuilder sb = new StringBuilder(what.length() + 64);
        if (method != null) {
            sb.append(method);
            if (id != null) {
                sb.append(" (id ").append(id).append(')');
            }
            sb.append(" on ");
        }
        return sb.append(transport).append(": ").append(what).toString();
    }

    /** {@return the method of the call, or {@code null} when the failure concerns no particular call} */
    public String method() {
        return method;
    }

    /**
     * {@return the request id of the call, or {@code null} when none was assigned (the call never reached the
     * transport)} Not serialized: {@code null} after deserialization.
     */
    public RequestId id() {
        return id;
    }

    /** {@return a description of the transport, as {@link Transport#describe()} gives it} */
    public String transport() {
        return transport;
    }
}
