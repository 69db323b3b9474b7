package dev.weft.conversation;

import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Progress;

/**
 * What a conversation's listener sees, on the conversation's own thread, in arrival order. Each tool call has one
 * {@link ToolCallStarted}, any number of {@link ToolCallProgress}, and exactly one terminal event:
 * {@link ToolCallCompleted} or {@link ToolCallFailed}, which comes before the turn sees the call's outcome.
 */
public sealed interface ConversationEvent {

    /** The call this event is about: its number in the conversation (from 1) and what was called. */
    long callId();

    /** The call was made: it goes to its server now. */
    record ToolCallStarted(long callId, ToolCall call) implements ConversationEvent {}

    /** The server reported progress on the call. */
    record ToolCallProgress(long callId, Progress progress) implements ConversationEvent {}

    /** Terminal: the server answered; a tool's own error is a result with {@code isError}. */
    record ToolCallCompleted(long callId, CallToolResult result) implements ConversationEvent {}

    /**
     * Terminal: the call got no answer (the transport died, it timed out, the session could not be made), or it was
     * cancelled.
     *
     * @param attempts how many times it was sent or tried (retries included)
     */
    record ToolCallFailed(long callId, RuntimeException cause, boolean cancelled, int attempts)
            implements ConversationEvent {}
}
