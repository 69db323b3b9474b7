package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.weft.mcp.Content;
import java.io.IOException;

/**
 * What a tool call produced or shows: a content block, a diff of a file, or a terminal whose output it streams. A type
 * this revision does not know arrives as {@link Unknown} with its JSON intact.
 *
 * <p>Immutable records apart from their JSON (an {@link Unknown} entry's {@code json}, and a content block's JSON, are
 * held as given): safe to share between threads as long as nobody modifies that JSON.
 */
@JsonDeserialize(using = ToolCallContent.Reader.class)
public sealed interface ToolCallContent {

    /** {@return the entry's {@code type} on the wire} */
    @JsonProperty(value = "type", access = JsonProperty.Access.READ_ONLY)
    String type();

    /**
     * A content block (text, an image, a resource...).
     *
     * @param content the block
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Block(Content content) implements ToolCallContent {
        @Override
        public String type() {
            return "content";
        }
    }

    /**
     * A change to a file: {@code oldText} is {@code null} for a new file.
     *
     * @param path    the file's absolute path
     * @param oldText its text before, or {@code null} for a new file
     * @param newText its text after
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Diff(String path, String oldText, String newText) implements ToolCallContent {
        @Override
        public String type() {
            return "diff";
        }
    }

    /**
     * A terminal the agent made ({@code terminal/create}); its output belongs to this tool call.
     *
     * @param terminalId the terminal's id
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonDeserialize(using = JsonDeserializer.None.class)
    record Terminal(String terminalId) implements ToolCallContent {
        @Override
        public String type() {
            return "terminal";
        }
    }

    /**
     * An entry of a type this revision does not define; {@code json} is all of it.
     *
     * @param type the entry's {@code type}
     * @param json the whole entry, as it arrived and as it is written back
     */
    record Unknown(String type, @JsonValue JsonNode json) implements ToolCallContent {
    }

    /** Reads an entry by its {@code type}. */
    final class Reader extends JsonDeserializer<ToolCallContent> {
        /** For Jackson, which finds this reader through the annotation on the interface. */
        public Reader() {
        }

        @Override
        public ToolCallContent deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            String type = node.path("type").asText("");
            try {
                return switch (type) {
                    case "content" -> AcpJson.read(node, Block.class);
                    case "diff" -> AcpJson.read(node, Diff.class);
                    case "terminal" -> AcpJson.read(node, Terminal.class);
                    default -> new Unknown(type, node);
                };
            } catch (IllegalArgumentException e) {
                throw MismatchedInputException.from(parser, ToolCallContent.class, e.getMessage());
            }
        }
    }
}
