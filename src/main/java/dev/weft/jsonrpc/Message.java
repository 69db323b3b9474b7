package dev.weft.jsonrpc;

/**
 * One JSON-RPC 2.0 message: a {@link Request}, a {@link Notification} or a {@link Response}.
 *
 * <p>Messages are immutable apart from their JSON: {@code params}, {@code result} and an error's {@code data} are
 * Jackson trees, held as given, that the protocol layer maps to its own records. A message is safe to share between
 * threads as long as nobody modifies that JSON. Batches are not part of the model (MCP removed them in 2025-06-18); a
 * batch frame is answered with {@link RpcError#INVALID_REQUEST}.
 */
public sealed interface Message permits Request, Notification, Response {
}
