/**
 * A pool of MCP client sessions, one live session per server: {@link dev.weft.pool.SessionPool}, keyed by
 * {@link dev.weft.pool.TransportKey}.
 *
 * <p>The pool is where the runtime answers the first of the four failures it exists to prevent: a cold session made
 * twice for one server by two callers that race, or made on a thread that the session itself needs. Concurrent cold
 * callers of one key get the same session; different keys are made in parallel; a failure reaches every caller that
 * waited for it; a dead session is replaced by the next caller.
 */
package dev.weft.pool;
