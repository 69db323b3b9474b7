package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A JSON-RPC error object.
 *
 * <p>Holds {@code data} as given, without a copy: safe to share between threads as long as nobody modifies that JSON.
 * An error without {@code data} is immutable.
 *
 * @param code    the error code; the standard codes are the constants of this record
 * @param message a short description
 * @param data    extra information, or {@code null}
 */
public record RpcError(int code, String message, JsonNode data) {
    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON sent is not a valid request object. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** Internal error of the receiver. */
    public static final int INTERNAL_ERROR = -32603;

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public RpcError {
        Objects.requireNonNull(message, "message");
    }

    /**
     * Creates an error without data.
     *
     * @param code    the error code
     * @param message a short description
     */
    public RpcError(int code, String message) {
        this(code, message, null);
    }

    /**
     * {@return a {@link #PARSE_ERROR}}
     *
     * @param message a short description
     */
    public static RpcError parseError(String message) {
        return new RpcError(PARSE_ERROR, message);
    }

    /**
     * {@return an {@link #INVALID_REQUEST}}
     *
     * @param message a short description
     */
    public static RpcError invalidRequest(String message) {
        return new RpcError(INVALID_REQUEST, message);
    }

    /**
     * {@return a {@link #METHOD_NOT_FOUND} that names the method}
     *
     * @param method the method that was called
     */
    public static RpcError methodNotFound(String method) {
        return new RpcError(METHOD_NOT_FOUND, "Method not found: " + method);
    }

    /**
     * {@return an {@link #INVALID_PARAMS}}
     *
     * @param message what is wrong with the params
     */
    public static RpcError invalidParams(String message) {
        return new RpcError(INVALID_PARAMS, message);
    }

    /**
     * {@return an {@link #INTERNAL_ERROR}}
     *
     * @param message a short description
     */
    public static RpcError internalError(String message) {
        return new RpcError(INTERNAL_ERROR, message);
    }

    @Override
    public String toString() {
        return code + " " + message + (data == null ? "" : " " + data);
    }
}
