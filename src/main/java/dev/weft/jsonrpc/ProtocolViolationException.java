package dev.weft.jsonrpc;

/**
 * The peer sent something the protocol forbids: an answer to this call that is not a valid response, or a result of
 * the wrong shape. The connection stays usable unless the transport ended as well.
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}. Its fields are final and immutable,
 * so it may be handed to other threads.
 */
public final class ProtocolViolationException extends RpcException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception for a call the peer answered against the protocol.
     *
     * @param what      what was wrong with the answer
     * @param method    the method of the call
     * @param id        the call's request id, or {@code null} when none was assigned
     * @param transport the transport's description ({@link Transport#describe()})
     * @param cause     the error that found it (a mapping error, say), or {@code null}
     */
    public ProtocolViolationException(String what, String method, RequestId id, String transport, Throwable cause) {
        super(what, method, id, transport, cause);
    }
}
