package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code tools/call}.
 *
 * <p>Immutable apart from its JSON ({@code structuredContent}, {@code _meta} and the JSON of its content blocks are
 * held as given): safe to share between threads as long as nobody modifies that JSON.
 *
 * @param content           the content blocks (never {@code null})
 * @param structuredContent the structured result matching the tool's output schema, or {@code null}
 * @param isError           whether the tool itself reports failure (input validation failures included); the call
 *                          as such succeeded
 * @param meta              {@code _meta}, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallToolResult(List<Content> content, JsonNode structuredContent, boolean isError,
                             @JsonProperty("_meta") JsonNode meta) {
    /** Copies the content blocks; {@code null} stands for none. */
    public CallToolResult {
        content = content == null ? List.of() : List.copyOf(content);
    }

    /**
     * {@return a result of one text block}
     *
     * @param text the text
     */
    public static CallToolResult text(String text) {
        return new CallToolResult(List.of(new Content.Text(text)), null, false, null);
    }

    /**
     * {@return a tool's error result ({@code isError: true}) of one text block saying what went wrong}
     *
     * @param message what went wrong
     */
    public static CallToolResult error(String message) {
        return new CallToolResult(List.of(new Content.Text(message)), null, true, null);
    }

    /**
     * A structured result ({@code structuredContent}, for a tool with an output schema), with its JSON as a text block
     * too, for clients that do not read structured content.
     *
     * @param structured the result, matching the tool's output schema
     * @return the result
     */
    public static CallToolResult structured(JsonNode structured) {
        return new CallToolResult(List.of(new Content.Text(structured.toString())), structured, false, null);
    }

    /** {@return the text of every {@link Content.Text} block, joined by newlines; for display and simple tools} */
    public String text() {
        return content.stream().filter(Content.Text.class::isInstance).map(c -> ((Content.Text) c).text())
                .collect(Collectors.joining("\n"));
    }

    /**
     * Reads a result from its JSON by hand: it is what every tool call returns, and a general mapper spends most of a
     * fast call's time on it.
     *
     * @throws IllegalArgumentException when the JSON does not fit
     */
    static CallToolResult of(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a tool result must be an object, got " + json);
        }
        JsonNode blocks = json.get("content");
        List<Content> content;
        if (blocks == null || blocks.isNull()) {
            content = List.of();
        } else if (blocks.isArray()) {
            Content[] read = new Content[blocks.size()];
            for (int i = 0; i < read.length; i++) {
                read[i] = Content.of(blocks.get(i));
            }
            content = List.of(read);
        } else {
            throw new IllegalArgumentException("\"content\" must be an array, got " + blocks);
        }
        JsonNode isError = json.get("isError");
        if (isError != null && !isError.isNull() && !isError.isBoolean()) {
            throw new IllegalArgumentException("\"isError\" must be a boolean, got " + isError);
        }
        return new CallToolResult(content, json.get("structuredContent"), isError != null && isError.asBoolean(),
                json.get("_meta"));
    }
}
