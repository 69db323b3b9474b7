package dev.weft.pool;

import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;

/**
 * Makes the session for a key: opens a transport and runs the handshake with the options the pool gives (the pool's
 * {@linkplain SessionPoolOptions#clientOptions() client options}, their handlers routed through the pool so that
 * conversations can {@linkplain SessionPool#claim claim} the session's server-to-client traffic). The
 * {@link SessionPool} calls it at most once at a time per key, on a virtual thread forked by one of that key's callers,
 * and never while holding anything that other keys need. It may block for as long as creation takes; the pool
 * interrupts it when its creation timeout passes or the pool closes, and it must then give up and release what it
 * made.
 */
@FunctionalInterface
public interface SessionFactory {

    /**
     * Opens a live session for {@code key} with {@code options}. On failure it throws, having closed whatever it opened.
     *
     * @param key     the server to reach
     * @param options the client options to initialize with, as the pool gives them
     * @return the initialized session
     * @throws Exception why the session could not be made; every caller that waited for this attempt gets it as the
     *                   cause of a {@link SessionCreationException}
     */
    McpSession open(TransportKey key, McpClientOptions options) throws Exception;

    /** {@return the default: {@link TransportKey#open()} for the transport, then {@link McpSession#open}} */
    static SessionFactory standard() {
        return (key, options) -> McpSession.open(key.open(), options);
    }
}
