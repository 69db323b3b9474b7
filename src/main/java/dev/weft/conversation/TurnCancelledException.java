package dev.weft.conversation;

import java.io.Serial;

/**
 * The turn was cancelled ({@link Conversation#cancel()}, or the thread waiting for it was interrupted): its tool calls
 * were cancelled, each with its terminal event, and the conversation is paused, ready for the next turn.
 *
 * <p>Thrown by {@link Conversation#run} to the thread that waits for the turn, and by the turn's calls
 * ({@link Turn.Context}) to the turn on the conversation's thread. It holds nothing but its message (and at times a
 * cause), so it may be handed to other threads.
 */
public final class TurnCancelledException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which turn, and why it was cancelled
     */
    public TurnCancelledException(String message) {
        super(message);
    }
}
