package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A parameterised resource ({@code resources/templates/list}), an RFC 6570 {@code uriTemplate}. Fields other than
 * {@code uriTemplate} and {@code name} may be {@code null}.
 *
 * <p>Immutable apart from its JSON ({@code _meta} is held as given): safe to share between threads as long as nobody
 * modifies that JSON.
 *
 * @param uriTemplate the URI template the resources' URIs match
 * @param name        a programmatic name
 * @param title       a display name
 * @param description what the resources are
 * @param mimeType    their MIME type, when they share one
 * @param annotations hints for the client about the audience and priority
 * @param icons       icons for it
 * @param meta        {@code _meta}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceTemplate(String uriTemplate, String name, String title, String description, String mimeType,
                               Annotations annotations, List<Icon> icons, @JsonProperty("_meta") JsonNode meta) {
    /** Copies the icons; {@code null} stays {@code null}. */
    public ResourceTemplate {
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        icons = icons == null ? null : icons.stream().filter(java.util.Objects::nonNull).toList();
    }
}
