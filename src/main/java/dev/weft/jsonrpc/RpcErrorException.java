package dev.weft.jsonrpc;

import java.util.Objects;

/**
 * Thrown by a request handler to answer with a specific JSON-RPC error. Any other exception from a handler is answered
 * with {@link RpcError#INTERNAL_ERROR}.
 */
public final class RpcErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RpcError error;

    public RpcErrorException(RpcError error) {
        super(Objects.requireNonNull(error, "error").toString());
        this.error = error;
    }

    /** The error to send. */
    public RpcError error() {
        return error;
    }

    public static RpcErrorException invalidParams(String message) {
        return new RpcErrorException(RpcError.invalidParams(message));
    }
}
