package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records' lists are their own: a change to the list a caller passed in does not reach the record, the record's
 * lists cannot be changed, and an optional list left out stays {@code null}, whether the record is made in code or read
 * from JSON.
 */
class RecordListsTest {

    private static final JsonNode SCHEMA = McpJson.object().put("type", "object");

    @Test
    void listsPassedInAreCopied() {
        List<String> sizes = new ArrayList<>(List.of("48x48"));
        Icon icon = new Icon("https://example.com/i.png", "image/png", sizes, null);
        List<String> audience = new ArrayList<>(List.of("user"));
        Annotations annotations = new Annotations(audience, 0.5, null);
        List<Icon> icons = new ArrayList<>(List.of(icon));
        List<String> stops = new ArrayList<>(List.of("END"));

        Tool tool = new Tool("t", null, null, SCHEMA, null, null, null, icons, null);
        Prompt prompt = new Prompt("p", null, null, null, icons, null);
        Resource resource = new Resource("test://r", "r", null, null, null, null, annotations, icons, null);
        ResourceTemplate template = new ResourceTemplate("test://{id}", "t", null, null, null, annotations, icons,
                null);
        Content.ResourceLink link = new Content.ResourceLink("test://r", "r", null, null, null, null, annotations,
                icons, null);
        SamplingRequest sampling = new SamplingRequest(List.of(), null, 10, null, stops, null, null, null, null, null,
                null);

        sizes.add("any");
        audience.add("assistant");
        icons.clear();
        stops.clear();

        assertThat(icon.sizes()).containsExactly("48x48");
        assertThat(annotations.audience()).containsExactly("user");
        for (List<Icon> kept : List.of(tool.icons(), prompt.icons(), resource.icons(), template.icons(),
                link.icons())) {
            assertThat(kept).containsExactly(icon);
            assertUnmodifiable(kept);
        }
        assertThat(sampling.stopSequences()).containsExactly("END");
        assertUnmodifiable(icon.sizes());
        assertUnmodifiable(annotations.audience());
        assertUnmodifiable(sampling.stopSequences());
    }

    @Test
    void optionalListsLeftOutStayNull() {
        assertThat(new Icon("https://example.com/i.png", null, null, null).sizes()).isNull();
        assertThat(new Annotations(null, null, null).audience()).isNull();
        assertThat(new Tool("t", null, null, SCHEMA, null, null, null, null, null).icons()).isNull();
        assertThat(new Prompt("p", null, null, null, null, null).icons()).isNull();
        assertThat(new Resource("test://r", "r", null, null, null, null, null, null, null).icons()).isNull();
        assertThat(new ResourceTemplate("test://{id}", "t", null, null, null, null, null, null).icons()).isNull();
        assertThat(new Content.ResourceLink("test://r", "r", null, null, null, null, null, null, null).icons())
                .isNull();
        assertThat(new SamplingRequest(List.of(), null, 10, null, null, null, null, null, null, null, null)
                .stopSequences()).isNull();
    }

    @Test
    void listsReadFromJsonCannotBeChanged() {
        String icons = "\"icons\": [{\"src\": \"https://example.com/i.png\", \"sizes\": [\"48x48\", \"any\"]}]";
        String annotations = "\"annotations\": {\"audience\": [\"user\"]}";
        Tool tool = read("{\"name\": \"t\", \"inputSchema\": {\"type\": \"object\"}, " + icons + "}", Tool.class);
        Resource resource = read("{\"uri\": \"test://r\", \"name\": \"r\", " + annotations + ", " + icons + "}",
                Resource.class);
        SamplingRequest sampling = read("{\"messages\": [], \"maxTokens\": 10, \"stopSequences\": [\"END\"]}",
                SamplingRequest.class);

        assertThat(tool.icons()).hasSize(1);
        assertThat(tool.icons().getFirst().sizes()).containsExactly("48x48", "any");
        assertUnmodifiable(tool.icons());
        assertUnmodifiable(tool.icons().getFirst().sizes());
        assertThat(resource.annotations().audience()).containsExactly("user");
        assertUnmodifiable(resource.annotations().audience());
        assertUnmodifiable(resource.icons());
        assertThat(sampling.stopSequences()).containsExactly("END");
        assertUnmodifiable(sampling.stopSequences());

        Tool bare = read("{\"name\": \"t\", \"inputSchema\": {\"type\": \"object\"}}", Tool.class);
        assertThat(bare.icons()).isNull();
    }

    @Test
    void aNullEntryInADecorativeListIsDroppedNotARefusal() {
        Tool tool = read("{\"name\": \"t\", \"inputSchema\": {\"type\": \"object\"}, \"icons\": [null, {\"src\":"
                + " \"https://example.com/i.png\", \"sizes\": [null, \"any\"]}], \"annotations\": null}", Tool.class);
        Resource resource = read("{\"uri\": \"test://r\", \"name\": \"r\", \"annotations\": {\"audience\": [\"user\","
                + " null]}}", Resource.class);

        assertThat(tool.icons()).hasSize(1);
        assertThat(tool.icons().getFirst().sizes()).containsExactly("any");
        assertThat(resource.annotations().audience()).containsExactly("user");
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return McpJson.read(McpJson.MAPPER.readTree(json), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertUnmodifiable(List<?> list) {
        assertThatThrownBy(list::clear).isInstanceOf(UnsupportedOperationException.class);
    }
}
