package dev.weft.pool;

import java.io.Serial;

/**
 * The pool holds its maximum number of sessions, every one of them is busy with a request, and a session for another
 * key was asked for. Nothing was created or closed.
 */
public final class SessionPoolFullException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient TransportKey key;

    public SessionPoolFullException(TransportKey key, int maxSessions) {
        super("no session for " + key + ": the pool holds its maximum of " + maxSessions
                + " sessions and none is idle");
        this.key = key;
    }

    /** The key whose session could not be made. */
    public TransportKey key() {
        return key;
    }
}
