package dev.weft.server;

import dev.weft.mcp.Implementation;
import java.util.Optional;

/**
 * One client's session with an {@link McpServer}, as the host sees it. Thread-safe.
 */
public interface ServedSession extends AutoCloseable {
    /** {@return the client's name and version, once it has initialized} */
    Optional<Implementation> clientInfo();

    /** {@return the protocol revision agreed at initialization, once it has initialized} */
    Optional<String> protocolVersion();

    /** {@return whether the session is still open} */
    boolean isOpen();

    /**
     * Blocks until the session has ended (the client went away, or {@link #close()}) and every handler has finished;
     * returns why it ended.
     *
     * @return why the session ended: the transport's error, or the close
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    Throwable awaitClosed() throws InterruptedException;

    /** Ends the session: its handlers are interrupted and waited for, its transport closed. Idempotent; bounded. */
    @Override
    void close();

    /** {@return the transport's description, for logs} */
    String describe();
}
