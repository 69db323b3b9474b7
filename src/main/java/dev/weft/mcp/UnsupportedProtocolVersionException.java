package dev.weft.mcp;

import java.util.List;

/**
 * The server answered {@code initialize} with a protocol revision this client does not speak; the session was closed.
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
