package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The answer to {@code completion/complete}: suggested values for an argument; immutable.
 *
 * @param values  at most 100 suggestions (never {@code null})
 * @param total   how many there are in all, or {@code null}
 * @param hasMore whether there are more than {@code values}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Completion(List<String> values, Integer total, boolean hasMore) {
    /** Copies the values; {@code null} stands for none. */
    public Completion {
        values = values == null ? List.of() : List.copyOf(values);
    }

    /** What is being completed: a prompt's argument or a resource template's variable. */
    public sealed interface Reference {
        /** {@return the {@code ref} object on the wire} */
        com.fasterxml.jackson.databind.node.ObjectNode toJson();

        /**
         * {@return a reference to a prompt}
         *
         * @param name the prompt's name
         */
        static Reference prompt(String name) {
            return new PromptRef(name);
        }

        /**
         * {@return a reference to a resource template}
         *
         * @param uriTemplate the template's URI template
         */
        static Reference resourceTemplate(String uriTemplate) {
            return new ResourceRef(uriTemplate);
        }
    }

    /**
     * A prompt, by name.
     *
     * @param name the prompt's name
     */
    public record PromptRef(String name) implements Reference {
        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
            return McpJson.object().put("type", "ref/prompt").put("name", name);
        }
    }

    /**
     * A resource template, by its URI template.
     *
     * @param uri the template's URI template
     */
    public record ResourceRef(String uri) implements Reference {
        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
            return McpJson.object().put("type", "ref/resource").put("uri", uri);
        }
    }
}
