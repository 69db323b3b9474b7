package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A resource a server lists ({@code resources/list}). Fields other than {@code uri} and {@code name} may be
 * {@code null}.
 *
 * <p>Immutable apart from its JSON ({@code _meta} is held as given): safe to share between threads as long as nobody
 * modifies that JSON.
 *
 * @param uri         the resource's URI, which {@code resources/read} takes
 * @param name        a programmatic name
 * @param title       a display name
 * @param description what it is
 * @param mimeType    its MIME type
 * @param size        its size in bytes
 * @param annotations hints for the client about the audience and priority
 * @param icons       icons for it
 * @param meta        {@code _meta}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Resource(String uri, String name, String title, String description, String mimeType, Long size,
                       Annotations annotations, List<Icon> icons, @JsonProperty("_meta") JsonNode meta) {
    /** Copies the icons; {@code null} stays {@code null}. */
    public Resource {
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        icons = icons == null ? null : icons.stream().filter(java.util.Objects::nonNull).toList();
    }
}
