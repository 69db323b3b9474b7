package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.Content;
import java.util.List;
import java.util.Objects;

/**
 * One {@code session/update} of an agent: what it says, thinks, plans and does during a turn. Immutable records, one
 * per kind the ACP v1 schema defines; a kind this revision does not know (an agent's extension, or a newer schema's
 * {@code notice} and {@code compaction_*}) arrives as {@link Other} with its JSON intact, so a newer agent never breaks a
 * turn.
 *
 * <p>Hosts see these in arrival order, on the thread that prompts (see {@link AcpSession#prompt}). Tool calls come as
 * one {@link ToolCall} and any number of {@link ToolCallUpdate}s, which change only the fields they carry; the client
 * keeps the merged state ({@link ToolCall#merge}) and ends every tool call that the agent left open when a turn ends
 * with exactly one terminal update of its own ({@link ToolCallUpdate#synthesized()}).
 */
public sealed interface SessionUpdate {

    /** The update's {@code sessionUpdate} kind on the wire. */
    String kind();

    /** A chunk of the user's message, as the agent replays it ({@code session/load}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserMessageChunk(Content content, String messageId) implements SessionUpdate {
        @Override
        public String kind() {
            return "user_message_chunk";
        }
    }

    /** A chunk of the agent's reply. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentMessageChunk(Content content, String messageId) implements SessionUpdate {
        @Override
        public String kind() {
            return "agent_message_chunk";
        }
    }

    /** A chunk of the agent's reasoning. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentThoughtChunk(Content content, String messageId) implements SessionUpdate {
        @Override
        public String kind() {
            return "agent_thought_chunk";
        }
    }

    /**
     * A tool call the agent makes, or the merged state of one.
     *
     * @param toolCallId its id, unique within the session
     * @param title      what it does, for a person
     * @param toolKind   its kind, or {@code null}
     * @param status     where it is, or {@code null} (which means pending)
     * @param content    what it produced so far (never {@code null})
     * @param locations  the files it works on (never {@code null})
     * @param rawInput   its input as the agent sent it, or {@code null}
     * @param rawOutput  its output as the agent sent it, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolCall(String toolCallId, String title, @JsonProperty("kind") ToolKind toolKind, ToolCallStatus status,
                    List<ToolCallContent> content, List<Location> locations, JsonNode rawInput, JsonNode rawOutput)
            implements SessionUpdate {
        public ToolCall {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? List.of() : List.copyOf(content);
            locations = locations == null ? List.of() : List.copyOf(locations);
        }

        @Override
        public String kind() {
            return "tool_call";
        }

        /** The status, with an absent one read as {@link ToolCallStatus#PENDING}. */
        public ToolCallStatus statusOrPending() {
            return status == null ? ToolCallStatus.PENDING : status;
        }

        /** This call with the fields {@code update} carries replaced, as ACP merges a {@code tool_call_update}. */
        public ToolCall merge(ToolCallUpdate update) {
            return new ToolCall(toolCallId,
                    update.title() != null ? update.title() : title,
                    update.toolKind() != null ? update.toolKind() : toolKind,
                    update.status() != null ? update.status() : status,
                    update.content() != null ? update.content() : content,
                    update.locations() != null ? update.locations() : locations,
                    update.rawInput() != null ? update.rawInput() : rawInput,
                    update.rawOutput() != null ? update.rawOutput() : rawOutput);
        }
    }

    /**
     * A change to a tool call: only the fields that are not {@code null} change.
     *
     * @param synthesized {@code true} when Weft, not the agent, sent this update: the terminal update of a tool call the
     *                    agent left open when its turn ended (cancelled, failed, or ended without closing it)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolCallUpdate(String toolCallId, String title, @JsonProperty("kind") ToolKind toolKind,
                          ToolCallStatus status, List<ToolCallContent> content, List<Location> locations,
                          JsonNode rawInput, JsonNode rawOutput, @JsonProperty(access = JsonProperty.Access.READ_ONLY)
                          boolean synthesized) implements SessionUpdate {
        public ToolCallUpdate {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? null : List.copyOf(content);
            locations = locations == null ? null : List.copyOf(locations);
        }

        @Override
        public String kind() {
            return "tool_call_update";
        }

        /** The terminal update Weft sends for a tool call the agent left open. */
        static ToolCallUpdate closedByClient(String toolCallId, String why) {
            return new ToolCallUpdate(toolCallId, null, null, ToolCallStatus.FAILED, null, null, null,
                    AcpJson.object().put("weft", why), true);
        }
    }

    /** A file a tool call works on; {@code line} counts from 1, or is {@code null}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Location(String path, Integer line) {
    }

    /** The agent's plan; each plan replaces the one before. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(List<PlanEntry> entries) implements SessionUpdate {
        public Plan {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "plan";
        }
    }

    /** One step of a plan. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanEntry(String content, Priority priority, Status status) {
        /** How much a step matters. */
        public enum Priority {
            @JsonProperty("high") HIGH,
            @JsonEnumDefaultValue @JsonProperty("medium") MEDIUM,
            @JsonProperty("low") LOW
        }

        /** Where a step is. */
        public enum Status {
            @JsonEnumDefaultValue @JsonProperty("pending") PENDING,
            @JsonProperty("in_progress") IN_PROGRESS,
            @JsonProperty("completed") COMPLETED
        }
    }

    /** The slash commands the agent offers now. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AvailableCommandsUpdate(List<Command> availableCommands) implements SessionUpdate {
        public AvailableCommandsUpdate {
            availableCommands = availableCommands == null ? List.of() : List.copyOf(availableCommands);
        }

        @Override
        public String kind() {
            return "available_commands_update";
        }
    }

    /** A slash command; {@code input} describes its argument ({@code {hint}}), or is {@code null}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Command(String name, String description, JsonNode input) {
    }

    /** The session's mode changed (the agent's own choice, or after {@code session/set_mode}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CurrentModeUpdate(String currentModeId) implements SessionUpdate {
        @Override
        public String kind() {
            return "current_mode_update";
        }
    }

    /** The session's configuration options changed; {@code configOptions} as the agent sent them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConfigOptionUpdate(JsonNode configOptions) implements SessionUpdate {
        @Override
        public String kind() {
            return "config_option_update";
        }
    }

    /** The session's title or time of last change; each field may be {@code null}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SessionInfoUpdate(String title, String updatedAt) implements SessionUpdate {
        @Override
        public String kind() {
            return "session_info_update";
        }
    }

    /**
     * How much of its context window the session uses, and what it has cost.
     *
     * @param used tokens in the context window now
     * @param size the context window's size in tokens
     * @param cost the session's cumulative cost, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UsageUpdate(long used, long size, Cost cost) implements SessionUpdate {
        @Override
        public String kind() {
            return "usage_update";
        }
    }

    /** An amount of money; {@code currency} is an ISO 4217 code. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cost(double amount, String currency) {
    }

    /** An update of a kind this revision does not define; {@code update} is all of it. */
    record Other(String kind, JsonNode update) implements SessionUpdate {
    }

    /**
     * Reads the {@code update} of a {@code session/update}.
     *
     * @throws IllegalArgumentException if it is not an object with a {@code sessionUpdate} kind, or a known kind's
     *                                  fields do not fit
     */
    static SessionUpdate of(JsonNode update) {
        String kind = AcpJson.text(update, "sessionUpdate");
        return switch (kind) {
            case "user_message_chunk" -> AcpJson.read(update, UserMessageChunk.class);
            case "agent_message_chunk" -> AcpJson.read(update, AgentMessageChunk.class);
            case "agent_thought_chunk" -> AcpJson.read(update, AgentThoughtChunk.class);
            case "tool_call" -> AcpJson.read(update, ToolCall.class);
            case "tool_call_update" -> AcpJson.read(update, ToolCallUpdate.class);
            case "plan" -> AcpJson.read(update, Plan.class);
            case "available_commands_update" -> AcpJson.read(update, AvailableCommandsUpdate.class);
            case "current_mode_update" -> AcpJson.read(update, CurrentModeUpdate.class);
            case "config_option_update" -> AcpJson.read(update, ConfigOptionUpdate.class);
            case "session_info_update" -> AcpJson.read(update, SessionInfoUpdate.class);
            case "usage_update" -> AcpJson.read(update, UsageUpdate.class);
            default -> new Other(kind, update);
        };
    }
}
