package dev.weft.jsonrpc;

import java.io.IOException;

/**
 * The cause of a {@link TransportClosedException} when the host itself closed the connection, as opposed to the
 * transport ending on its own.
 *
 * <p>Immutable: the one instance that {@link Connection#close()} makes is the cause shared by every call that the close
 * fails, each thrown on its own thread.
 */
public final class ConnectionClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param transport the transport's description ({@link Transport#describe()})
     */
    public ConnectionClosedException(String transport) {
        super("connection closed by the host: " + transport);
    }
}
