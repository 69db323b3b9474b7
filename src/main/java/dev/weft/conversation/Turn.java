package dev.weft.conversation;

import dev.weft.acp.AcpSession;
import dev.weft.acp.PromptResult;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Content;
import dev.weft.mcp.Tool;
import dev.weft.pool.TransportKey;
import java.util.List;
import java.util.Map;

/**
 * One turn of a conversation: the host's code, run on the conversation's own thread while it holds the conversation's
 * state lock, with the means to call tools.
 *
 * @param <T> what the turn returns
 */
@FunctionalInterface
public interface Turn<T> {

    /**
     * Runs the turn, on the conversation's thread, holding its state lock.
     *
     * @param turn what the turn may do
     * @return the turn's result, returned by {@link Conversation#run}
     * @throws Exception anything; it ends the turn and is rethrown to the thread that ran it (a checked one wrapped in
     *                   a {@link TurnFailedException})
     */
    T run(Context turn) throws Exception;

    /**
     * What a turn may do. Only on the conversation's thread, during the turn ({@link WrongThreadException} otherwise).
     * Each call blocks the turn until its outcome, while the conversation's thread runs the events that arrive: the
     * listener sees every event of a call before the turn sees its outcome.
     */
    sealed interface Context permits Conversation.TurnContext {

        /**
         * Calls one tool and returns its result.
         *
         * @param server    the server's key in the conversation's pool
         * @param tool      the tool's name
         * @param arguments the arguments, by name
         * @return the result; a tool's own error is a result with {@code isError}
         * @throws ToolCallFailedException if the call got no answer
         * @throws TurnCancelledException  if the turn was cancelled
         */
        CallToolResult callTool(TransportKey server, String tool, Map<String, ?> arguments);

        /**
         * Calls tools in parallel, each as a subtask of the turn, and returns every outcome, in the order given. A call
         * that fails does not stop the others.
         *
         * @param calls the calls
         * @return how each call ended, in the order of {@code calls}
         * @throws TurnCancelledException if the turn was cancelled (every call then has its terminal event)
         */
        List<ToolCallOutcome> callTools(List<ToolCall> calls);

        /**
         * Prompts an ACP agent's session and returns how the turn ended. The agent's updates come to the listener as
         * {@link ConversationEvent.AgentUpdate}s and its permission requests run the conversation's
         * {@linkplain ConversationOptions#permissions() handler}, all on the conversation's thread while the prompt
         * runs, before it returns. Cancelling the conversation's turn cancels the prompt (see
         * {@link dev.weft.acp.AcpSession}): every open tool call ends, and this throws {@link TurnCancelledException}.
         *
         * @param session the agent's session
         * @param prompt  the prompt's content blocks
         * @return how the agent's turn ended
         * @throws TurnCancelledException if the turn was cancelled
         * @throws dev.weft.jsonrpc.RpcException as {@link dev.weft.acp.AcpSession#prompt} throws it
         */
        PromptResult prompt(AcpSession session, List<? extends Content> prompt);

        /**
         * Prompts an ACP agent's session with text; see {@link #prompt(AcpSession, List)}.
         *
         * @param session the agent's session
         * @param text    the prompt
         * @return how the agent's turn ended
         */
        default PromptResult prompt(AcpSession session, String text) {
            return prompt(session, List.of(new Content.Text(text)));
        }

        /**
         * {@return the server's tools}
         *
         * @param server the server's key in the conversation's pool
         */
        List<Tool> listTools(TransportKey server);

        /** {@return the conversation the turn belongs to} */
        Conversation conversation();
    }
}
