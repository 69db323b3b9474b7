package dev.weft.conversation;

import java.io.Serial;

/** A tool call got no answer; the cause says why (the transport's end, a timeout, the session not made). */
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
