package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's request that the client sample its language model ({@code sampling/createMessage}).
 *
 * <p>Immutable apart from its JSON (the {@code JsonNode} components, and each message's {@code content}, are held as
 * given): safe to share between threads as long as nobody modifies that JSON.
 *
 * @param messages         the conversation so far
 * @param systemPrompt     a system prompt, or {@code null}
 * @param maxTokens        the most tokens to sample
 * @param temperature      or {@code null}
 * @param stopSequences    or {@code null}
 * @param modelPreferences hints and priorities for choosing a model, or {@code null}
 * @param includeContext   {@code none}, {@code thisServer} or {@code allServers}, or {@code null}
 * @param metadata         provider-specific metadata, or {@code null}
 * @param tools            tools the model may use (only when the client declared {@code sampling.tools}), or {@code null}
 * @param toolChoice       how the model should choose among them, or {@code null}
 * @param meta             {@code _meta}, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SamplingRequest(List<Message> messages, String systemPrompt, int maxTokens, Double temperature,
                              List<String> stopSequences, JsonNode modelPreferences, String includeContext,
                              JsonNode metadata, JsonNode tools, JsonNode toolChoice,
                              @JsonProperty("_meta") JsonNode meta) {
    /** Copies the messages ({@code null} stands for none) and the stop sequences ({@code null} stays {@code null}). */
    public SamplingRequest {
        messages = messages == null ? List.of() : List.copyOf(messages);
        stopSequences = stopSequences == null ? null : List.copyOf(stopSequences);
    }

    /**
     * One message of the conversation: a role and its content, which is one block or (since 2025-11-25) an array of
     * blocks, kept as it came; {@link #blocks()} reads it either way.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content one content block or an array of them
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, JsonNode content) {
        /** {@return the content as blocks, whether it came as one block or as an array} */
        public List<Content> blocks() {
            List<Content> blocks = new ArrayList<>();
            if (content == null) {
                return blocks;
            }
            if (content.isArray()) {
                content.forEach(block -> blocks.add(McpJson.read(block, Content.class)));
            } else {
                blocks.add(McpJson.read(content, Content.class));
            }
            return blocks;
        }
    }
}
