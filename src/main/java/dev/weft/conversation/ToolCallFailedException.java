package dev.weft.conversation;

import java.io.Serial;

/**
 * A tool call got no answer; the cause says why (the transport's end, a timeout, the session not made).
 *
 * <p>Thrown by {@link Turn.Context#callTool} to the turn, on the conversation's thread; a turn that lets it through has
 * {@link Conversation#run} throw it to the thread that waits there. Its field is final; the call's arguments are JSON
 * held as given, so it is safe to hand to other threads as long as nobody modifies that JSON.
 */
public final class ToolCallFailedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient ToolCall call;

    /**
     * Creates the exception.
     *
     * @param call  the call that failed
     * @param cause why: the session's or the pool's exception
     */
    public ToolCallFailedException(ToolCall call, RuntimeException cause) {
        super("tool " + call.tool() + " on " + call.server() + " failed: " + cause, cause);
        this.call = call;
    }

    /** {@return the call that failed} Not serialized: {@code null} after deserialization. */
    public ToolCall call() {
        return call;
    }
}
