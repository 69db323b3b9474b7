package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The result of {@code prompts/get}: the prompt's messages with its arguments filled in; immutable.
 *
 * @param messages the messages (never {@code null})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromptResult(String description, List<Message> messages, @JsonProperty("_meta") JsonNode meta) {
    public PromptResult {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /** One message: a role ({@code user} or {@code assistant}) and one content block. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, Content content) {
    }
}
