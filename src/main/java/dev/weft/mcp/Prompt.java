package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A prompt template a server offers ({@code prompts/list}).
 *
 * <p>Immutable apart from its JSON ({@code _meta} is held as given): safe to share between threads as long as nobody
 * modifies that JSON.
 *
 * @param name        a programmatic name, which {@code prompts/get} takes
 * @param title       a display name, or {@code null}
 * @param description what it is for, or {@code null}
 * @param arguments   the arguments it takes (never {@code null})
 * @param icons       icons for it, or {@code null}
 * @param meta        {@code _meta}, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Prompt(String name, String title, String description, List<Argument> arguments, List<Icon> icons,
                     @JsonProperty("_meta") JsonNode meta) {
    /** Copies the arguments ({@code null} stands for none) and the icons ({@code null} stays {@code null}). */
    public Prompt {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        icons = icons == null ? null : icons.stream().filter(java.util.Objects::nonNull).toList();
    }

    /**
     * One argument of a prompt.
     *
     * @param name        its name, the key in {@code prompts/get}'s {@code arguments}
     * @param title       a display name, or {@code null}
     * @param description what it means, or {@code null}
     * @param required    whether {@code prompts/get} must give it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Argument(String name, String title, String description, boolean required) {
    }
}
