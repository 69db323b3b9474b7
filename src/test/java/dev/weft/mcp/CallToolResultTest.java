package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool results and content blocks, read by hand: every block type, the optional fields, and what does not fit. */
class CallToolResultTest {

    private static JsonNode json(String text) {
        try {
            return McpJson.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyBlockTypeIsRead() {
        CallToolResult result = CallToolResult.of(json("""
                {"content": [
                  {"type": "text", "text": "hi", "_meta": {"m": 1}},
                  {"type": "text", "text": "noted", "annotations": {"audience": ["user"], "priority": 0.5}},
                  {"type": "image", "data": "aW1n", "mimeType": "image/png"},
                  {"type": "audio", "data": "YXVk", "mimeType": "audio/wav"},
                  {"type": "resource_link", "uri": "file:///a", "name": "a", "size": 3},
                  {"type": "resource", "resource": {"uri": "file:///b", "mimeType": "text/plain", "text": "b"}},
                  {"type": "tool_use", "id": "t1", "name": "x", "input": {}}
                ],
                "structuredContent": {"n": 1}, "isError": false, "_meta": {"trace": "t"}, "later": "ignored"}
                """));
        assertThat(result.content()).containsExactly(
                new Content.Text("hi", null, json("{\"m\":1}")),
                new Content.Text("noted", new Annotations(List.of("user"), 0.5, null), null),
                new Content.Image("aW1n", "image/png", null, null),
                new Content.Audio("YXVk", "audio/wav", null, null),
                new Content.ResourceLink("file:///a", "a", null, null, null, 3L, null, null, null),
                new Content.EmbeddedResource(new ResourceContents.Text("file:///b", "text/plain", "b", null), null, null),
                new Content.Unknown("tool_use", json("{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"x\",\"input\":{}}")));
        assertThat(result.structuredContent()).isEqualTo(json("{\"n\":1}"));
        assertThat(result.isError()).isFalse();
        assertThat(result.meta()).isEqualTo(json("{\"trace\":\"t\"}"));
        assertThat(result.text()).isEqualTo("hi\nnoted");
    }

    @Test
    void absentPartsAreEmptyOrNull() {
        CallToolResult result = CallToolResult.of(json("{\"isError\": true, \"structuredContent\": null}"));
        assertThat(result.content()).isEmpty();
        assertThat(result.isError()).isTrue();
        assertThat(result.structuredContent()).isEqualTo(NullNode.getInstance()); // as Jackson reads a JsonNode field
        assertThat(result.meta()).isNull();
        assertThat(CallToolResult.of(json("{\"content\":[{\"type\":\"text\"}]}")).content())
                .containsExactly(new Content.Text(null, null, null));
    }

    @Test
    void whatDoesNotFitIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> CallToolResult.of(json("[]"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an object");
        assertThatThrownBy(() -> CallToolResult.of(json("{\"content\": {}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"content\" must be an array");
        assertThatThrownBy(() -> CallToolResult.of(json("{\"content\": [], \"isError\": \"yes\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"isError\" must be a boolean");
        assertThatThrownBy(() -> CallToolResult.of(json("{\"content\": [42]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content block must be an object");
        assertThatThrownBy(() -> CallToolResult.of(json("{\"content\": [{\"type\":\"text\",\"text\":{}}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> CallToolResult.of(json("{\"content\": [{\"type\":\"image\",\"data\":[1]}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Image");
    }

    @Test
    void blocksInsideOtherRecordsAreReadTheSameWay() {
        SamplingRequest.Message message = new SamplingRequest.Message("user",
                json("[{\"type\": \"text\", \"text\": \"q\"}, {\"type\": \"image\", \"data\": \"aQ==\"}]"));
        assertThat(message.blocks()).containsExactly(new Content.Text("q"), new Content.Image("aQ==", null, null, null));
        SamplingRequest.Message broken = new SamplingRequest.Message("user",
                json("{\"type\": \"text\", \"text\": []}"));
        assertThatThrownBy(broken::blocks).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a string");
    }
}
