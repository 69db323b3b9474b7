package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.testing.JsonValues;
import dev.weft.testing.Props;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool arguments become trees directly; the trees are exactly what the mapper makes of the same values. */
class McpJsonTest {

    @Test
    void plainValuesBecomeTheTreesTheMapperWouldMake() {
        Props.qt().withExamples(500).forAll(JsonValues.values(4, true)).checkAssert(value ->
                assertThat(McpJson.tree(value)).isEqualTo(value == null ? null : McpJson.MAPPER.valueToTree(value)));
    }

    @Test
    void valuesThatAreNotPlainGoThroughTheMapper() {
        record Point(int x, int y) {
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("at", new Point(1, 2));
        arguments.put("tags", List.of("a", new Point(3, 4)));
        arguments.put("gone", null);
        Map<Object, Object> numericKeys = Map.of(1, "one");
        assertThat(McpJson.tree(arguments)).isEqualTo(McpJson.MAPPER.valueToTree(arguments));
        assertThat(McpJson.tree(arguments).toString()).isEqualTo("{\"at\":{\"x\":1,\"y\":2},\"tags\":[\"a\",{\"x\":3,\"y\":4}]}");
        assertThat(McpJson.tree(numericKeys)).isEqualTo(McpJson.MAPPER.valueToTree(numericKeys));
    }
}
