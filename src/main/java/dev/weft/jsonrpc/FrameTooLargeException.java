package dev.weft.jsonrpc;

import java.io.IOException;

/**
 * A frame exceeded the configured size limit. This ends the transport: the rest of an oversized frame cannot be
 * skipped safely on every transport, and a peer that sends one is broken or hostile.
 */
public final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public FrameTooLargeException(long limit, String transport) {
        super("frame exceeds the limit of " + limit + " bytes on " + transport);
        this.limit = limit;
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }
}
