/**
 * Transports for {@link dev.weft.jsonrpc.Connection}: a subprocess over stdio (and our own stdin/stdout, for servers),
 * MCP Streamable HTTP on the Jetty client ({@link dev.weft.transport.StreamableHttpTransport}) and, for hosting, on the
 * Jetty server ({@link dev.weft.transport.StreamableHttpServer}, which hands each session to the caller as a transport),
 * and in-memory pairs with fault injection for tests.
 */
package dev.weft.transport;
