package dev.weft.pool;

import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.transport.HttpAuthorizer;
import dev.weft.transport.StreamableHttpTransport;
import java.util.Objects;

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

    /**
     * {@return the standard factory, with {@code authorizer} on every server reached over HTTP}
     *
     * <p>One authorizer serves every server of the pool: it keeps what it learns and the tokens it gets per server
     * (an {@code OAuthAuthorizer} from {@code dev.weft.auth}, say). A server that asks for authorization is authorized
     * for while its session is made, so the pool's {@linkplain SessionPoolOptions#creationTimeout() creation timeout}
     * bounds the whole flow: when a person must approve in a browser, give it minutes, not the default 60 s. The
     * pool's callers of one key share that one authorization, as they share the session.
     *
     * @param authorizer authorizes the requests to servers over HTTP
     */
    static SessionFactory authorizing(HttpAuthorizer authorizer) {
        Objects.requireNonNull(authorizer, "authorizer");
        return (key, options) -> McpSession.open(switch (key) {
            case TransportKey.Http http -> StreamableHttpTransport.open(http.httpSpec().withAuthorizer(authorizer));
            case TransportKey.Stdio stdio -> stdio.open();
        }, options);
    }
}
