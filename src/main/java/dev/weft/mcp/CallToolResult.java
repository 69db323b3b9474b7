package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code tools/call}; immutable.
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
    public CallToolResult {
        content = content == null ? List.of() : List.copyOf(content);
    }

    /** The text of every {@link Content.Text} block, joined by newlines; for display and simple tools. */
    public String text() {
        return content.stream().filter(Content.Text.class::isInstance).map(c -> ((Content.Text) c).text())
                .collect(Collectors.joining("\n"));
    }
}
