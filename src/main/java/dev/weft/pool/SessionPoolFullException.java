package dev.weft.pool;

import java.io.Serial;

/**
 * The pool holds its maximum number of sessions, every one of them is busy with a request, and a session for another
 * key was asked for. Nothing was created or closed.
 *
 * <p>Thrown to the thread that called {@link SessionPool#session}. Its field is final and immutable, so it may be
 * handed to other threads.
 */
public final class SessionPoolFullException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient TransportKey key;

    /**
     * Creates the exception.
     *
     * @param key         the key a session was asked for
     * @param maxSessions the pool's maximum, for the message
     */
    public SessionPoolFullException(TransportKey key, int maxSessions) {
        super("no session for " + key + ": the pool holds its maximum of " + maxSessions
                + " sessions and none is idle");
        this.key = key;
    }

    /** {@return the key whose session could not be made} Not serialized: {@code null} after deserialization. */
    public TransportKey key() {
        return key;
    }
}
