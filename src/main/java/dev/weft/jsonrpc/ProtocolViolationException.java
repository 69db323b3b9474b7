package dev.weft.jsonrpc;

/**
 * The peer sent something the protocol forbids: an answer to this call that is not a valid response, or a result of
 * the wrong shape. The connection stays usable unless the transport ended as well.
 */
public final class ProtocolViolationException extends RpcException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String what, String method, RequestId id, String transport, Throwable cause) {
        super(what, method, id, transport, cause);
    }
}
