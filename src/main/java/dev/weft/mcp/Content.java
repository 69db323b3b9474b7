package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.List;

/**
 * A content block of a tool result, a prompt message or a sampling message. A type this revision does not know arrives
 * as {@link Unknown} with its JSON intact, so that a newer peer never breaks a call.
 *
 * <p>Immutable records apart from their JSON ({@code _meta}, and an {@link Unknown} block's {@code json}, are held as
 * given): safe to share between threads as long as nobody modifies that JSON.
 */
@JsonDeserialize(using = Content.Reader.class)
public sealed interface Content {

    /** {@return the block's {@code type} on the wire} */
    @JsonProperty(value = "type", access = JsonProperty.Access.READ_ONLY)
    String type();

    /**
     * Plain text.
     *
     * @param text        the text
     * @param annotations hints for the client about the audience and priority, or {@code null}
     * @param meta        {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Text(String text, Annotations annotations, @JsonProperty("_meta") JsonNode meta) implements Content {
        /**
         * Plain text without annotations.
         *
         * @param text the text
         */
        public Text(String text) {
            this(text, null, null);
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /**
     * An image, base64 in {@code data}.
     *
     * @param data        the image, base64-encoded
     * @param mimeType    its MIME type, such as {@code image/png}
     * @param annotations hints for the client about the audience and priority, or {@code null}
     * @param meta        {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Image(String data, String mimeType, Annotations annotations, @JsonProperty("_meta") JsonNode meta)
            implements Content {
        @Override
        public String type() {
            return "image";
        }
    }

    /**
     * Audio, base64 in {@code data}.
     *
     * @param data        the audio, base64-encoded
     * @param mimeType    its MIME type, such as {@code audio/wav}
     * @param annotations hints for the client about the audience and priority, or {@code null}
     * @param meta        {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Audio(String data, String mimeType, Annotations annotations, @JsonProperty("_meta") JsonNode meta)
            implements Content {
        @Override
        public String type() {
            return "audio";
        }
    }

    /**
     * A link to a resource the client may read (it need not be listed by {@code resources/list}).
     *
     * @param uri         the resource's URI
     * @param name        a programmatic name
     * @param title       a display name, or {@code null}
     * @param description what it is, or {@code null}
     * @param mimeType    its MIME type, or {@code null}
     * @param size        its size in bytes, or {@code null}
     * @param annotations hints for the client about the audience and priority, or {@code null}
     * @param icons       icons for it, or {@code null}
     * @param meta        {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record ResourceLink(String uri, String name, String title, String description, String mimeType, Long size,
                        Annotations annotations, List<Icon> icons, @JsonProperty("_meta") JsonNode meta)
            implements Content {
        /** Copies the icons; {@code null} stays {@code null}. */
        public ResourceLink {
            // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
            icons = icons == null ? null : icons.stream().filter(java.util.Objects::nonNull).toList();
        }

        @Override
        public String type() {
            return "resource_link";
        }
    }

    /**
     * A resource embedded whole.
     *
     * @param resource    the resource's contents
     * @param annotations hints for the client about the audience and priority, or {@code null}
     * @param meta        {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record EmbeddedResource(ResourceContents resource, Annotations annotations, @JsonProperty("_meta") JsonNode meta)
            implements Content {
        @Override
        public String type() {
            return "resource";
        }
    }

    /**
     * A block of a type this revision does not define (such as sampling's {@code tool_use}); {@code json} is all of it.
     *
     * @param type the block's {@code type}
     * @param json the whole block, as it arrived and as it is written back
     */
    record Unknown(String type, @com.fasterxml.jackson.annotation.JsonValue JsonNode json) implements Content {
    }

    /** Reads a block by its {@code type}, for Jackson wherever a {@code Content} is a field; see {@link #of}. */
    final class Reader extends JsonDeserializer<Content> {
        /** For Jackson, which finds this reader through the annotation on the interface. */
        public Reader() {
        }

        @Override
        public Content deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            try {
                return of(node);
            } catch (IllegalArgumentException e) {
                throw com.fasterxml.jackson.databind.exc.MismatchedInputException.from(parser, Content.class,
                        e.getMessage());
            }
        }
    }

    /**
     * Reads a block from its JSON by its {@code type}: text by hand (the common case, on every tool call), the others
     * through Jackson; a type this revision does not know becomes {@link Unknown}.
     *
     * @param node the block's JSON
     * @return the block
     * @throws IllegalArgumentException when the block is not an object or does not fit its type
     */
    static Content of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a content block must be an object, got " + node);
        }
        String type = node.path("type").asText("");
        Class<? extends Content> record = switch (type) {
            case "text" -> {
                JsonNode text = node.get("text");
                if (text != null && text.isContainerNode()) {
                    throw new IllegalArgumentException("\"text\" of a text block must be a string, got " + text);
                }
                JsonNode annotations = node.get("annotations");
                yield annotations == null || annotations.isNull()
                        ? null : Text.class; // annotated text is rare: Jackson reads it
            }
            case "image" -> Image.class;
            case "audio" -> Audio.class;
            case "resource_link" -> ResourceLink.class;
            case "resource" -> EmbeddedResource.class;
            default -> Unknown.class;
        };
        if (record == null) {
            JsonNode text = node.get("text");
            return new Text(text == null || text.isNull() ? null : text.asText(), null, node.get("_meta"));
        }
        if (record == Unknown.class) {
            return new Unknown(type, node);
        }
        return McpJson.read(node, record);
    }
}
