package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A prompt template a server offers ({@code prompts/list}); immutable.
 *
 * @param arguments the arguments it takes (never {@code null})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prompt(String name, String title, String description, List<Argument> arguments, List<Icon> icons,
                     @JsonProperty("_meta") JsonNode meta) {
    public Prompt {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }

    /** One argument of a prompt. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Argument(String name, String title, String description, boolean required) {
    }
}
