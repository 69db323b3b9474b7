package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;

/**
 * The contents of a resource, text or binary.
 *
 * <p>Immutable records apart from their JSON ({@code _meta} is held as given): safe to share between threads as long as
 * nobody modifies that JSON.
 */
@JsonDeserialize(using = ResourceContents.Reader.class)
public sealed interface ResourceContents {

    /** {@return the resource's URI} */
    String uri();

    /** {@return its MIME type, or {@code null}} */
    String mimeType();

    /**
     * Text contents.
     *
     * @param uri      the resource's URI
     * @param mimeType its MIME type, or {@code null}
     * @param text     the text
     * @param meta     {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Text(String uri, String mimeType, String text, @JsonProperty("_meta") JsonNode meta)
            implements ResourceContents {
    }

    /**
     * Binary contents, base64 in {@code blob}.
     *
     * @param uri      the resource's URI
     * @param mimeType its MIME type, or {@code null}
     * @param blob     the bytes, base64-encoded
     * @param meta     {@code _meta}, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Blob(String uri, String mimeType, String blob, @JsonProperty("_meta") JsonNode meta)
            implements ResourceContents {
        /** {@return the decoded bytes} */
        public byte[] bytes() {
            return java.util.Base64.getDecoder().decode(blob);
        }
    }

    /** Reads text contents when {@code text} is present, binary otherwise. */
    final class Reader extends JsonDeserializer<ResourceContents> {
        /** For Jackson, which finds this reader through the annotation on the interface. */
        public Reader() {
        }

        @Override
        public ResourceContents deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            if (node.has("blob") && !node.has("text")) {
                return context.readTreeAsValue(node, Blob.class);
            }
            return context.readTreeAsValue(node, Text.class);
        }
    }
}
