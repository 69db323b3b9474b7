package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.Content;
import java.util.List;
import java.util.Objects;

/**
 * One {@code session/update} of an agent: what it says, thinks, plans and does during a turn. One record per kind the
 * ACP v1 schema defines; a kind this revision does not know (an agent's extension, or a newer schema's {@code notice}
 * and {@code compaction_*}) arrives as {@link Other} with its JSON intact, so a newer agent never breaks a turn.
 *
 * <p>Immutable records apart from their JSON (the {@code JsonNode} components, and the JSON of content blocks, are held
 * as given): safe to share between threads as long as nobody modifies that JSON.
 *
 * <p>Hosts see these in arrival order, on the thread that prompts (see {@link AcpSession#prompt}). Tool calls come as
 * one {@link ToolCall} and any number of {@link ToolCallUpdate}s, which change only the fields they carry; the client
 * keeps the merged state ({@link ToolCall#merge}) and ends every tool call that the agent left open when a turn ends
 * with exactly one terminal update of its own ({@link ToolCallUpdate#synthesized()}).
 */
public sealed interface SessionUpdate {

    /** {@return the update's {@code sessionUpdate} kind on the wire} */
    String kind();

    /**
     * A chunk of the user's message, as the agent replays it ({@code session/load}).
     *
     * @param content   the chunk
     * @param messageId the id of the message it belongs to, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record UserMessageChunk(Content content, String messageId) implements SessionUpdate {
        @Override
        public String kind() {
            return "user_message_chunk";
        }
    }

    /**
     * A chunk of the agent's reply.
     *
     * @param content   the chunk
     * @param messageId the id of the message it belongs to, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentMessageChunk(Content content, String messageId) implements SessionUpdate {
        @Override
        public String kind() {
            return "agent_message_chunk";
        }
    }

    /**
     * A chunk of the agent's reasoning.
     *
     * @param content   the chunk
     * @param messageId the id of the message it belongs to, or {@code null}
     */
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
        /** Checks the id and copies the lists; a {@code null} list stands for an empty one. */
        public ToolCall {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? List.of() : List.copyOf(content);
            locations = locations == null ? List.of() : List.copyOf(locations);
        }

        @Override
        public String kind() {
            return "tool_call";
        }

        /** {@return the status, with an absent one read as {@link ToolCallStatus#PENDING}} */
        public ToolCallStatus statusOrPending() {
            return status == null ? ToolCallStatus.PENDING : status;
        }

        /**
         * {@return this call with the fields {@code update} carries replaced, as ACP merges a {@code tool_call_update}}
         *
         * @param update an update of this call
         */
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
     * @param toolCallId  the id of the call it changes
     * @param title       a new title, or {@code null}
     * @param toolKind    a new kind, or {@code null}
     * @param status      a new status, or {@code null}
     * @param content     the new content, replacing the old, or {@code null}
     * @param locations   the new locations, replacing the old, or {@code null}
     * @param rawInput    a new raw input, or {@code null}
     * @param rawOutput   a new raw output, or {@code null}
     * @param synthesized {@code true} when Weft, not the agent, sent this update: the terminal update of a tool call the
     *                    agent left open when its turn ended (cancelled, failed, or ended without closing it)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolCallUpdate(String toolCallId, String title, @JsonProperty("kind") ToolKind toolKind,
                          ToolCallStatus status, List<ToolCallContent> content, List<Location> locations,
                          JsonNode rawInput, JsonNode rawOutput, @JsonProperty(access = JsonProperty.Access.READ_ONLY)
                          boolean synthesized) implements SessionUpdate {
        /** Checks the id and copies the lists that are present. */
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

    /**
     * A file a tool call works on.
     *
     * @param path the file's absolute path
     * @param line a line in it, counting from 1, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Location(String path, Integer line) {
    }

    /**
     * The agent's plan; each plan replaces the one before.
     *
     * @param entries the plan's steps (never {@code null})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Plan(List<PlanEntry> entries) implements SessionUpdate {
        /** Copies the entries; {@code null} stands for none. */
        public Plan {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "plan";
        }
    }

    /**
     * One step of a plan.
     *
     * @param content  what the step is, for a person
     * @param priority how much it matters
     * @param status   where it is
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlanEntry(String content, Priority priority, Status status) {
        /** How much a step matters. */
        public enum Priority {
            /** High. */
            @JsonProperty("high") HIGH,
            /** Medium; also any priority this revision does not know. */
            @JsonEnumDefaultValue @JsonProperty("medium") MEDIUM,
            /** Low. */
            @JsonProperty("low") LOW
        }

        /** Where a step is. */
        public enum Status {
            /** Not started; also any status this revision does not know. */
            @JsonEnumDefaultValue @JsonProperty("pending") PENDING,
            /** Being worked on. */
            @JsonProperty("in_progress") IN_PROGRESS,
            /** Done. */
            @JsonProperty("completed") COMPLETED
        }
    }

    /**
     * The slash commands the agent offers now.
     *
     * @param availableCommands every command it offers (never {@code null})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AvailableCommandsUpdate(List<Command> availableCommands) implements SessionUpdate {
        /** Copies the commands; {@code null} stands for none. */
        public AvailableCommandsUpdate {
            availableCommands = availableCommands == null ? List.of() : List.copyOf(availableCommands);
        }

        @Override
        public String kind() {
            return "available_commands_update";
        }
    }

    /**
     * A slash command.
     *
     * @param name        its name, without the slash
     * @param description what it does
     * @param input       what its argument is ({@code {hint}}), or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Command(String name, String description, JsonNode input) {
    }

    /**
     * The session's mode changed (the agent's own choice, or after {@code session/set_mode}).
     *
     * @param currentModeId the mode now
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CurrentModeUpdate(String currentModeId) implements SessionUpdate {
        @Override
        public String kind() {
            return "current_mode_update";
        }
    }

    /**
     * The session's configuration options changed.
     *
     * @param configOptions the options, as the agent sent them
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConfigOptionUpdate(JsonNode configOptions) implements SessionUpdate {
        @Override
        public String kind() {
            return "config_option_update";
        }
    }

    /**
     * The session's title or time of last change.
     *
     * @param title     its title, or {@code null}
     * @param updatedAt when it last changed (ISO 8601), or {@code null}
     */
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

    /**
     * An amount of money.
     *
     * @param amount   the amount
     * @param currency an ISO 4217 code
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cost(double amount, String currency) {
    }

    /**
     * An update of a kind this revision does not define; {@code update} is all of it.
     *
     * @param kind   its {@code sessionUpdate} kind
     * @param update the whole update, as it arrived
     */
    record Other(String kind, JsonNode update) implements SessionUpdate {
    }

    /**
     * Reads the {@code update} of a {@code session/update}.
     *
     * @param update the update's JSON
     * @return the update
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
