package dev.weft.conversation;

import java.io.Serial;

/** A turn threw a checked exception; it is the cause. */
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
