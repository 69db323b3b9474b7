package dev.weft.jsonrpc;

/**
 * The peer answered the call with a JSON-RPC error. The connection stays usable.
 *
 * <p>Thrown to the thread that waits for the call, like every {@link RpcException}. Its fields are final; the error's
 * {@code data} is JSON held as given, so the exception is safe to hand to other threads as long as nobody modifies that
 * JSON.
 */
public final class PeerErrorException extends RpcException {
    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    /**
     * Creates the exception for a call the peer answered with an error.
     *
     * @param method    the method of the call
     * @param id        the call's request id, or {@code null} when none was assigned
     * @param transport the transport's description ({@link Transport#describe()})
     * @param error     the error object the peer sent
     */
    public PeerErrorException(String method, RequestId id, String transport, RpcError error) {
        super("peer returned error " + error, method, id, transport, null);
        this.error = error;
    }

    /** {@return the error object the peer sent} Not serialized: {@code null} after deserialization. */
    public RpcError error() {
        return error;
    }

    /** {@return the error's code} Shorthand for {@code error().code()}. */
    public int code() {
        return error.code();
    }
}
