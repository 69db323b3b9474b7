package dev.weft.jsonrpc;

import java.io.IOException;

/**
 * A frame exceeded the configured size limit. This ends the transport: the rest of an oversized frame cannot be
 * skipped safely on every transport, and a peer that sends one is broken or hostile.
 *
 * <p>Immutable, so it may be shared between threads: it is made on the thread that reads the frame and reported to the
 * threads of the calls it fails.
 */
public final class FrameTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The limit in bytes. */
    private final long limit;

    /**
     * Creates the exception.
     *
     * @param limit     the limit in bytes
     * @param transport the transport's description ({@link Transport#describe()})
     */
    public FrameTooLargeException(long limit, String transport) {
        super("frame exceeds the limit of " + limit + " bytes on " + transport);
        this.limit = limit;
    }

    /** {@return the limit in bytes} */
    public long limit() {
        return limit;
    }
}
