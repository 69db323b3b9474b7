package dev.weft.conversation;

import dev.weft.mcp.CallToolResult;

/**
 * How one tool call of a turn ended, as the turn sees it.
 *
 * <p>Made on the call's own thread and read by the turn on the conversation's thread. Both records hold their parts as
 * given, without a copy: an outcome is safe to share between threads as long as nobody modifies the JSON it carries
 * (the call's arguments, the result's).
 */
public sealed interface ToolCallOutcome {

    /** {@return the call} */
    ToolCall call();

    /**
     * The server answered (a tool's own error included, as a result with {@code isError}).
     *
     * @param call   the call
     * @param result the result
     */
    record Completed(ToolCall call, CallToolResult result) implements ToolCallOutcome {}

    /**
     * No answer: see {@link ConversationEvent.ToolCallFailed}.
     *
     * @param call      the call
     * @param cause     the last attempt's exception, as the session or the pool threw it
     * @param cancelled whether the call was cancelled, rather than failed
     */
    record Failed(ToolCall call, RuntimeException cause, boolean cancelled) implements ToolCallOutcome {}
}
