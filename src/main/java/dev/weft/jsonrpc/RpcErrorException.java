package dev.weft.jsonrpc;

import java.util.Objects;

/**
 * Thrown by a request handler to answer with a specific JSON-RPC error. Any other exception from a handler is answered
 * with {@link RpcError#INTERNAL_ERROR}.
 *
 * <p>Thrown on the handler's thread and caught there by the connection, which answers with its error. Its field is
 * final; the error's {@code data} is JSON held as given, so the exception is safe to hand to other threads as long as
 * nobody modifies that JSON.
 */
public final class RpcErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    /**
     * Creates the exception.
     *
     * @param error the error to answer with
     */
    public RpcErrorException(RpcError error) {
        super(Objects.requireNonNull(error, "error").toString());
        this.error = error;
    }

    /** {@return the error to send} Not serialized: {@code null} after deserialization. */
    public RpcError error() {
        return error;
    }

    /**
     * {@return an exception that answers with {@link RpcError#INVALID_PARAMS}}
     *
     * @param message what is wrong with the params
     */
    public static RpcErrorException invalidParams(String message) {
        return new RpcErrorException(RpcError.invalidParams(message));
    }
}
