package dev.weft.pool;

import java.io.Serial;

/**
 * Making the session for a key failed. Every caller that waited for that attempt gets an exception of its own with the
 * same {@linkplain #getCause() cause}; the pool holds nothing for the key afterwards, and the next call tries again.
 *
 * <p>Thrown to the thread that called {@link SessionPool#session}. Its field is final and immutable, so it may be
 * handed to other threads; the cause is held as given, and may be shared with the exceptions other callers got on
 * their own threads.
 */
public final class SessionCreationException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient TransportKey key;

    /**
     * Creates the exception.
     *
     * @param key   the key whose session could not be made
     * @param cause why, shared by every caller that waited for the attempt
     */
    public SessionCreationException(TransportKey key, Throwable cause) {
        super("creating the session for " + key + " failed: " + cause, cause);
        this.key = key;
    }

    /** {@return the key whose session could not be made} Not serialized: {@code null} after deserialization. */
    public TransportKey key() {
        return key;
    }
}
