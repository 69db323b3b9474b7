package dev.weft.jsonrpc;

/**
 * One JSON-RPC 2.0 message: a {@link Request}, a {@link Notification} or a {@link Response}.
 *
 * <p>Messages are immutable values; {@code params} and {@code result} are Jackson trees that the protocol layer maps to
 * its own records. Batches are not part of the model (MCP removed them in 2025-06-18); a batch frame is answered with
 * {@link RpcError#INVALID_REQUEST}.
 */
public sealed interface Message permits Request, Notification, Response {
}
