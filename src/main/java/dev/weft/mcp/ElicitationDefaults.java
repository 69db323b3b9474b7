package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Fills the fields a user left out of an accepted form with the defaults its schema declares (SEP-1034), so that a
 * form the user accepted without touching a field answers with that field's default, as the server expects.
 */
final class ElicitationDefaults {
    private ElicitationDefaults() {
    }

    /** Puts {@code properties.<name>.default} into {@code content} for every name {@code content} lacks. */
    static void fill(JsonNode schema, ObjectNode content) {
        JsonNode properties = schema == null ? null : schema.get("properties");
        if (properties == null || !properties.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode fallback = property.getValue().get("default");
            if (fallback != null && !fallback.isNull() && !content.has(property.getKey())) {
                content.set(property.getKey(), fallback.deepCopy());
            }
        }
    }
}
