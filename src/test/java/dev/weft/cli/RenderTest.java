package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Content;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.ResourceContents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The readable forms of results; the real server's results are in {@link McpCommandsTest}. */
class RenderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String rendered(Consumer<PrintStream> render) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            render.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static String base64(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    @Test
    void binaryContentIsOneLineWithTypeAndDecodedSize() {
        CallToolResult result = new CallToolResult(List.of(
                new Content.Text("before"),
                new Content.Image(base64(1234), "image/png", null, null),
                new Content.Audio(base64(10), "audio/wav", null, null),
                new Content.Image("not base64!", null, null, null),
                new Content.Text("after\n")), null, false, null);

        assertThat(rendered(out -> Render.callResult(result, out))).isEqualTo("""
                before
                [image image/png, 1234 bytes]
                [audio audio/wav, 10 bytes]
                [image data not valid base64]
                after
                """);
    }

    @Test
    void resourceLinksAndEmbeddedResourcesAreSummarised() throws Exception {
        CallToolResult result = new CallToolResult(List.of(
                new Content.ResourceLink("file:///a.txt", "a.txt", null, null, "text/plain", 42L, null, null, null),
                new Content.ResourceLink("file:///b", "b", "Bee", null, null, null, null, null, null),
                new Content.EmbeddedResource(new ResourceContents.Text("file:///c.md", "text/markdown", "hello",
                        null), null, null),
                new Content.EmbeddedResource(new ResourceContents.Blob("file:///d", null, base64(3), null), null,
                        null),
                new Content.Unknown("tool_use", MAPPER.readTree("{\"type\":\"tool_use\"}"))), null, false, null);

        assertThat(rendered(out -> Render.callResult(result, out))).isEqualTo("""
                [resource link file:///a.txt (a.txt, text/plain, 42 bytes)]
                [resource link file:///b (Bee)]
                [resource file:///c.md (text/markdown, 5 characters)]
                [resource file:///d (3 bytes)]
                [tool_use content, 19 characters of JSON]
                """);
    }

    @Test
    void structuredContentFollowsTheContentPrettyPrinted() throws Exception {
        JsonNode structured = MAPPER.readTree("{\"temperature\":21,\"tags\":[\"a\"]}");
        CallToolResult result = new CallToolResult(List.of(new Content.Text("{...}")), structured, false, null);

        assertThat(rendered(out -> Render.callResult(result, out))).isEqualTo("""
                {...}
                structuredContent:
                {
                  "temperature": 21,
                  "tags": [
                    "a"
                  ]
                }
                """);
    }

    @Test
    void argumentsOfASchemaAreListedInOrderRequiredOnesMarked() throws Exception {
        JsonNode schema = MAPPER.readTree("""
                {"type": "object", "properties": {"b": {}, "a": {}, "c": {}}, "required": ["a", "c"]}""");

        assertThat(Render.arguments(schema)).containsExactly("b", "a*", "c*");
        assertThat(Render.arguments(MAPPER.readTree("{\"type\": \"object\"}"))).isEmpty();
        assertThat(Render.arguments(null)).isEmpty();
    }

    @Test
    void promptsShowTheirArgumentsAndMessagesTheirRoles() {
        List<Prompt> prompts = List.of(
                new Prompt("plain", null, "No arguments\nand a second line", null, null, null),
                new Prompt("weather", null, "Asks", List.of(new Prompt.Argument("city", null, null, true),
                        new Prompt.Argument("state", null, null, false)), null, null));
        PromptResult result = new PromptResult("About the weather", List.of(
                new PromptResult.Message("user", new Content.Text("What's the weather?")),
                new PromptResult.Message("assistant", new Content.Text("Sunny."))), null);

        assertThat(rendered(out -> Render.prompts(prompts, out))).isEqualTo("""
                plain  No arguments
                weather  Asks
                    arguments: city*, state
                (* required)
                """);
        assertThat(rendered(out -> Render.promptResult(result, out))).isEqualTo("""
                About the weather

                [user]
                What's the weather?
                [assistant]
                Sunny.
                """);
    }

    @Test
    void severalContentsOfAResourceEachGetAHeader() {
        List<ResourceContents> contents = List.of(
                new ResourceContents.Text("file:///a", "text/plain", "alpha", null),
                new ResourceContents.Blob("file:///b", "image/png", base64(7), null));

        assertThat(rendered(out -> Render.contents(contents, out))).isEqualTo("""
                --- file:///a (text/plain)
                alpha
                --- file:///b (image/png)
                [blob image/png, 7 bytes]
                """);
        assertThat(rendered(out -> Render.contents(contents.subList(0, 1), out))).isEqualTo("alpha\n");
    }
}
