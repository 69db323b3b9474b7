package dev.weft.jsonrpc;

/**
 * The transport ended before the call was answered, or had already ended when the call was made.
 *
 * <p>The {@linkplain #getCause() cause} is the transport's own terminal error: an {@link java.io.EOFException} for a
 * clean end of stream, the I/O error, or a richer exception such as a process exit carrying its exit code and the tail
 * of its standard error. It is the same cause for every call on the connection (the end is sticky).
 */
public final class TransportClosedException extends RpcException {
    private static final long serialVersionUID = 1L;

    public TransportClosedException(String method, RequestId id, String transport, Throwable cause) {
        super("transport closed: " + cause, method, id, transport, cause);
    }
}
