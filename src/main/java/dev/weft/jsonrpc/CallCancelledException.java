package dev.weft.jsonrpc;

/**
 * The calling thread was interrupted while it waited. When the request had reached the transport, the protocol's
 * cancel was sent before this was thrown. The thread's interrupt status is set again when this is thrown.
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}. Its fields are final and immutable,
 * so it may be handed to other threads (a conversation hands it to its turn as a call's outcome).
 */
public final class CallCancelledException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a call whose caller was interrupted.
     *
     * @param method    the method of the call
     * @param id        the call's request id, or {@code null} when none was assigned
     * @param transport the transport's description ({@link Transport#describe()})
     * @param cause     the {@link InterruptedException}, or {@code null}
     */
    public CallCancelledException(String method, RequestId id, String transport, Throwable cause) {
        super("cancelled by interrupt", method, id, transport, cause);
    }
}
