package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The mapper between MCP's JSON and this package's records: unknown fields are ignored (peers add fields in every
 * revision), absent fields stay out of what we write. Thread-safe; shared.
 */
final class McpJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private McpJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Maps a value to a tree; {@code null} stays {@code null}. Maps with string keys, lists, strings, numbers and
     * booleans (tool arguments, nearly always) are converted directly, as the mapper would (a map's {@code null} values
     * are left out); anything else goes through the mapper.
     */
    static JsonNode tree(Object value) {
        if (value == null) {
            return null;
        }
        JsonNode direct = plain(value);
        return direct != null ? direct : MAPPER.valueToTree(value);
    }

    /** The tree of a plain value, or {@code null} when {@code value} holds anything the mapper must see. */
    private static JsonNode plain(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (value) {
            case null -> {
                return nodes.nullNode();
            }
            case JsonNode node -> {
                return node;
            }
            case String text -> {
                return nodes.textNode(text);
            }
            case Boolean bool -> {
                return nodes.booleanNode(bool);
            }
            case Integer number -> {
                return nodes.numberNode(number);
            }
            case Long number -> {
                return nodes.numberNode(number);
            }
            case Double number -> {
                return nodes.numberNode(number);
            }
            case java.util.Map<?, ?> map -> {
                ObjectNode object = nodes.objectNode();
                for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!(entry.getKey() instanceof String key)) {
                        return null;
                    }
                    if (entry.getValue() == null) {
                        continue;
                    }
                    JsonNode member = plain(entry.getValue());
                    if (member == null) {
                        return null;
                    }
                    object.set(key, member);
                }
                return object;
            }
            case java.util.List<?> list -> {
                com.fasterxml.jackson.databind.node.ArrayNode array = nodes.arrayNode(list.size());
                for (Object item : list) {
                    JsonNode element = plain(item);
                    if (element == null) {
                        return null;
                    }
                    array.add(element);
                }
                return array;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Maps a tree to a record.
     *
     * @throws IllegalArgumentException when it does not fit; callers turn this into the failure their context owes
     */
    static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree == null ? object() : tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
