package dev.weft.mcp;

import java.util.List;

/**
 * The MCP protocol revisions this client speaks.
 *
 * <p>Constants only, with no state: {@link #SUPPORTED} is an unmodifiable list, both are safe to read from any thread,
 * and nothing here blocks.
 */
public final class ProtocolVersions {
    /** The revision a session asks for first. */
    public static final String LATEST = "2025-11-25";

    /** Every revision a server may answer with, newest first; a session refuses any other. */
    public static final List<String> SUPPORTED = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    private ProtocolVersions() {
    }
}
