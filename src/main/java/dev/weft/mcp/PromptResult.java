package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The result of {@code prompts/get}: the prompt's messages with its arguments filled in.
 *
 * <p>Immutable apart from its JSON ({@code _meta} and the JSON of its messages' content blocks are held as given): safe
 * to share between threads as long as nobody modifies that JSON.
 *
 * @param description what the prompt is for, or {@code null}
 * @param messages    the messages (never {@code null})
 * @param meta        {@code _meta}, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PromptResult(String description, List<Message> messages, @JsonProperty("_meta") JsonNode meta) {
    /** Copies the messages; {@code null} stands for none. */
    public PromptResult {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /**
     * One message: a role ({@code user} or {@code assistant}) and one content block.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content the message's content
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, Content content) {
    }
}
