package dev.weft.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON on the command line: reading {@code --args}, and writing results for {@code --json} and for display. Absent
 * ({@code null}) fields of the MCP records are left out, as on the wire. Thread-safe.
 */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        return printer;
    }

    private Json() {}

    /**
     * Reads the value of an option that takes a JSON object.
     *
     * @throws UsageException when it is not valid JSON, or not an object
     */
    static ObjectNode parseObject(String text, String option) throws UsageException {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new UsageException(option + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + " (at character " + (e.getLocation() == null ? "?"
                    : e.getLocation().getCharOffset() + 1) + ")");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new UsageException(option + " must be a JSON object such as '{\"name\": \"value\"}', got "
                    + (node == null || node.isMissingNode() ? "nothing" : compact(node)));
        }
        return object;
    }

    /**
     * The members of a JSON object as strings, for arguments that are strings on the wire (a prompt's): strings as they
     * are, numbers and booleans as their JSON text.
     *
     * @throws UsageException when a member is {@code null}, an object or an array
     */
    static Map<String, String> stringMembers(ObjectNode object, String option) throws UsageException {
        Map<String, String> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            JsonNode value = member.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw new UsageException(option + ": the value of '" + member.getKey()
                        + "' must be a string, a number or a boolean, got " + compact(value));
            }
            members.put(member.getKey(), value.asText());
        }
        return members;
    }

    /** Any value (an MCP record, a list of them, a tree) as a tree, the way it would go on the wire. */
    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A new, empty object. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** One JSON document, indented, followed by a line break. */
    static void print(PrintStream out, JsonNode document) {
        out.println(pretty(document));
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new UncheckedIOException(e); // a tree always serializes
        }
    }

    static String compact(JsonNode node) {
        return node.toString();
    }
}
