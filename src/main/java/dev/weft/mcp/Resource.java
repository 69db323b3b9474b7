package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A resource a server lists ({@code resources/list}); immutable. Fields other than {@code uri} and {@code name} may be {@code null}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Resource(String uri, String name, String title, String description, String mimeType, Long size,
                       Annotations annotations, List<Icon> icons, @JsonProperty("_meta") JsonNode meta) {
}
