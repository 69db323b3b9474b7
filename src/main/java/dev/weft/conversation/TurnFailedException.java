package dev.weft.conversation;

import java.io.Serial;

/**
 * A turn threw a checked exception; it is the cause.
 *
 * <p>Thrown by {@link Conversation#run} to the thread that waits for the turn; the turn threw its cause on the
 * conversation's thread. It holds nothing but its message and cause, so it may be handed to other threads.
 */
public final class TurnFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param cause the checked exception the turn threw
     */
    public TurnFailedException(Throwable cause) {
        super("the turn failed: " + cause, cause);
    }
}
