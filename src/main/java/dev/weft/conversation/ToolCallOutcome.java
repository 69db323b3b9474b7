package dev.weft.conversation;

import dev.weft.mcp.CallToolResult;

/** How one tool call of a turn ended, as the turn sees it. */
public sealed interface ToolCallOutcome {

    /** The call. */
    ToolCall call();

    /** The server answered (a tool's own error included, as a result with {@code isError}). */
    record Completed(ToolCall call, CallToolResult result) implements ToolCallOutcome {}

    /** No answer: see {@link ConversationEvent.ToolCallFailed}. */
    record Failed(ToolCall call, RuntimeException cause, boolean cancelled) implements ToolCallOutcome {}
}
