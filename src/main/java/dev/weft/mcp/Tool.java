package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A tool a server offers ({@code tools/list}).
 *
 * <p>Immutable apart from its JSON (the {@code JsonNode} components are held as given): safe to share between threads
 * as long as nobody modifies that JSON.
 *
 * @param name         the name to call it by
 * @param title        a display name, or {@code null}
 * @param description  what it does, or {@code null}
 * @param inputSchema  the JSON Schema of its arguments (kept whole: {@code $schema}, {@code $defs} and all)
 * @param outputSchema the JSON Schema of its {@code structuredContent}, or {@code null}
 * @param annotations  behaviour hints, or {@code null}
 * @param execution    how it runs as a task ({@code taskSupport}), or {@code null}
 * @param icons        its icons, or {@code null}
 * @param meta         {@code _meta}, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tool(String name, String title, String description, JsonNode inputSchema, JsonNode outputSchema,
                   ToolAnnotations annotations, JsonNode execution, List<Icon> icons,
                   @JsonProperty("_meta") JsonNode meta) {
    /** Copies the icons; {@code null} stays {@code null}. */
    public Tool {
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        icons = icons == null ? null : icons.stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * {@return whether a call may safely run twice: the tool says it is read-only or idempotent} Hints from an
     * untrusted server are only hints; they decide retries, never authorization.
     */
    public boolean safeToRetry() {
        return annotations != null && (Boolean.TRUE.equals(annotations.readOnlyHint())
                || Boolean.TRUE.equals(annotations.idempotentHint()));
    }
}
