package dev.weft.jsonrpc;

/**
 * The peer answered the call with a JSON-RPC error. The connection stays usable.
 */
public final class PeerErrorException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    public PeerErrorException(String method, RequestId id, String transport, RpcError error) {
        super("peer returned error " + error, method, id, transport, null);
        this.error = error;
    }

    /** The error object the peer sent. */
    public RpcError error() {
        return error;
    }

    /** Shorthand for {@code error().code()}. */
    public int code() {
        return error.code();
    }
}
