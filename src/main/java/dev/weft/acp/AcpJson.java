package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The mapper between ACP's JSON and this package's records: unknown fields are ignored (agents add fields, and
 * {@code _meta} everywhere), an enum value this revision does not know reads as the enum's fallback, absent fields stay
 * out of what we write. Thread-safe; shared.
 */
final class AcpJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    private AcpJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Maps a value to a tree; {@code null} stays {@code null}. */
    static JsonNode tree(Object value) {
        return value == null ? null : MAPPER.valueToTree(value);
    }

    /**
     * Maps a tree to a record.
     *
     * @throws IllegalArgumentException when it does not fit; callers turn this into the failure their context owes
     */
    static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree == null ? object() : tree, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The text of a required string field. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing string field \"" + field + "\"");
        }
        return value.asText();
    }
}
