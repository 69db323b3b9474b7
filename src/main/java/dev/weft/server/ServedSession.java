package dev.weft.server;

import dev.weft.mcp.Implementation;
import java.util.Optional;

/**
 * One client's session with an {@link McpServer}, as the host sees it. Thread-safe.
 */
public interface ServedSession extends AutoCloseable {
    /** The client's name and version, once it has initialized. */
    Optional<Implementation> clientInfo();

    /** The protocol revision agreed at initialization, once it has initialized. */
    Optional<String> protocolVersion();

    /** Whether the session is still open. */
    boolean isOpen();

    /**
     * Blocks until the session has ended (the client went away, or {@link #close()}) and every handler has finished;
     * returns why it ended.
     */
    Throwable awaitClosed() throws InterruptedException;

    /** Ends the session: its handlers are interrupted and waited for, its transport closed. Idempotent; bounded. */
    @Override
    void close();

    /** The transport's description, for logs. */
    String describe();
}
