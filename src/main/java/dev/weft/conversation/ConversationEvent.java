package dev.weft.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.acp.AcpSession;
import dev.weft.acp.SessionUpdate;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.LogMessage;
import dev.weft.mcp.Progress;
import dev.weft.pool.TransportKey;

/**
 * What a conversation's listener sees, on the conversation's own thread, in arrival order.
 *
 * <p>Each tool call has one {@link ToolCallStarted}, any number of {@link ToolCallProgress}, and exactly one terminal
 * event: {@link ToolCallCompleted} or {@link ToolCallFailed}, which comes before the turn sees the call's outcome. A
 * server's notifications that come while one of the conversation's calls is in flight on its session come as
 * {@link ServerLog} and {@link ServerNotice}.
 *
 * <p>Events are made where things happen (on the conversation's thread, a call's own thread, a session's notification
 * thread) and reach the listener through the conversation's mailbox. Their records hold their parts as given, without a
 * copy: an event is safe to share between threads as long as nobody modifies the JSON it carries.
 */
public sealed interface ConversationEvent {

    /** An event of one tool call. */
    sealed interface ToolCallEvent extends ConversationEvent {
        /** {@return the call's number in the conversation, from 1} */
        long callId();
    }

    /**
     * The call was made: it goes to its server now.
     *
     * @param callId the call's number in the conversation, from 1
     * @param call   the call
     */
    record ToolCallStarted(long callId, ToolCall call) implements ToolCallEvent {}

    /**
     * The server reported progress on the call.
     *
     * @param callId   the call's number in the conversation, from 1
     * @param progress what the server reported
     */
    record ToolCallProgress(long callId, Progress progress) implements ToolCallEvent {}

    /**
     * Terminal: the server answered; a tool's own error is a result with {@code isError}.
     *
     * @param callId the call's number in the conversation, from 1
     * @param result the result
     */
    record ToolCallCompleted(long callId, CallToolResult result) implements ToolCallEvent {}

    /**
     * Terminal: the call got no answer (the transport died, it timed out, the session could not be made), or it was
     * cancelled.
     *
     * @param callId    the call's number in the conversation, from 1
     * @param cause     the last attempt's exception, as the session or the pool threw it
     * @param cancelled whether the call was cancelled, rather than failed
     * @param attempts how many times it was tried (retries included; 0 when cancelled before it was tried)
     */
    record ToolCallFailed(long callId, RuntimeException cause, boolean cancelled, int attempts)
            implements ToolCallEvent {}

    /**
     * An ACP agent's update during one of the conversation's prompts (or between them), in arrival order; a tool call
     * the agent left open when its turn ended gets one terminal update of the client's
     * ({@link SessionUpdate.ToolCallUpdate#synthesized()}).
     *
     * @param session the agent's session
     * @param update  the update
     */
    record AgentUpdate(AcpSession session, SessionUpdate update) implements ConversationEvent {}

    /**
     * A server logged to its client ({@code notifications/message}) while one of the conversation's calls ran on it.
     *
     * @param server  the server's key
     * @param message the log message
     */
    record ServerLog(TransportKey server, LogMessage message) implements ConversationEvent {}

    /**
     * Another notification of a server while one of the conversation's calls ran on it: a list changed
     * ({@code notifications/tools/list_changed} and its siblings), a resource was updated, or anything else.
     *
     * @param server the server's key
     * @param method the notification's method
     * @param params the notification's parameters, or {@code null}
     */
    record ServerNotice(TransportKey server, String method, JsonNode params) implements ConversationEvent {}
}
