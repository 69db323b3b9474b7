package dev.weft.mcp;

import java.util.List;

/**
 * The server answered {@code initialize} with a protocol revision this client does not speak; the session was closed.
 *
 * <p>Thrown to the thread that called {@link McpSession#open}, after the session was closed. Its field is final and
 * immutable, so it may be handed to other threads.
 */
public final class UnsupportedProtocolVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The revision the server answered with. */
    private final String offered;

    /**
     * Creates the exception.
     *
     * @param offered   the revision the server answered with
     * @param supported the revisions this client speaks
     * @param transport the transport's description
     */
    public UnsupportedProtocolVersionException(String offered, List<String> supported, String transport) {
        super("initialize on " + transport + ": the server offers protocol " + offered + "; this client speaks "
                + supported);
        this.offered = offered;
    }

    /** {@return the revision the server answered with} */
    public String offered() {
        return offered;
    }
}
