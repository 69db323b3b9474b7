package dev.weft.mcp;

import java.util.List;

/**
 * The server answered {@code initialize} with a protocol revision this client does not speak; the session was closed.
 */
public final class UnsupportedProtocolVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String offered;

    public UnsupportedProtocolVersionException(String offered, List<String> supported, String transport) {
        super("initialize on " + transport + ": the server offers protocol " + offered + "; this client speaks "
                + supported);
        this.offered = offered;
    }

    /** The revision the server answered with. */
    public String offered() {
        return offered;
    }
}
