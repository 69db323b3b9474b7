/**
 * Transports for {@link dev.weft.jsonrpc.Connection}: a subprocess over stdio (and our own stdin/stdout, for servers),
 * and in-memory pairs with fault injection for tests.
 */
package dev.weft.transport;
