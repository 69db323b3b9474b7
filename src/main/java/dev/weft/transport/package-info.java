/**
 * Transports for {@link dev.weft.jsonrpc.Connection}: a subprocess over stdio (and our own stdin/stdout, for servers),
 * MCP Streamable HTTP on the Jetty client ({@link dev.weft.transport.StreamableHttpTransport}), and in-memory pairs
 * with fault injection for tests.
 */
package dev.weft.transport;
