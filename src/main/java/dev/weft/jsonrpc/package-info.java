/**
 * JSON-RPC 2.0: the message model, a codec with size limits, the transport SPI and the {@link dev.weft.jsonrpc.Connection}
 * that correlates requests with responses, dispatches incoming requests and propagates cancellation.
 *
 * <p>The {@link dev.weft.jsonrpc.Transport} SPI lives here, beside its only consumer, so that package dependencies point
 * one way: {@code dev.weft.transport} implements it.
 *
 * <p>Every outcome of a call is a subclass of the sealed {@link dev.weft.jsonrpc.RpcException}: the peer's own error
 * ({@link dev.weft.jsonrpc.PeerErrorException}), the transport's end ({@link dev.weft.jsonrpc.TransportClosedException}),
 * a timeout, a cancellation, or a protocol violation. Each names the method, the request id and the transport.
 */
package dev.weft.jsonrpc;
