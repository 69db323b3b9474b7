package dev.weft.acp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * How a prompt turn ended.
 *
 * <p>Immutable apart from its JSON ({@code usage}, and the tool calls' JSON, are held as given): safe to share between
 * threads as long as nobody modifies that JSON.
 *
 * @param stopReason why it ended; {@link StopReason#CANCELLED} for every turn the client cancelled, whatever the agent
 *                   answered after the cancel ({@code end_turn}, an error) or if it did not answer in time
 * @param toolCalls  every tool call of the turn, in the order they began, in their final state: each has ended
 *                   ({@code COMPLETED} or {@code FAILED}), by the agent's update or by the client's
 * @param usage      the token counts the agent reported with its answer ({@code usage}, an unstable field), or
 *                   {@code null}
 * @param answered   whether the agent answered the prompt: {@code false} only when the client cancelled and the agent
 *                   did not answer within the drain time
 */
public record PromptResult(StopReason stopReason, List<SessionUpdate.ToolCall> toolCalls, JsonNode usage,
                           boolean answered) {
    /** Checks and copies. */
    public PromptResult {
        Objects.requireNonNull(stopReason, "stopReason");
        toolCalls = List.copyOf(toolCalls);
    }

    /** {@return whether the turn was cancelled} */
    public boolean cancelled() {
        return stopReason == StopReason.CANCELLED;
    }
}
