package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parameterised resource ({@code resources/templates/list}), an RFC 6570 {@code uriTemplate}; immutable. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResourceTemplate(String uriTemplate, String name, String title, String description, String mimeType,
                               Annotations annotations, List<Icon> icons, @JsonProperty("_meta") JsonNode meta) {
}
