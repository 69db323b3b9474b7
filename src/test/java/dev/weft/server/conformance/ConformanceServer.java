package dev.weft.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Completion;
import dev.weft.mcp.Content;
import dev.weft.mcp.ElicitationRequest;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceContents;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.SamplingRequest;
import dev.weft.mcp.SamplingResult;
import dev.weft.mcp.Tool;
import dev.weft.server.McpServer;
import dev.weft.server.RequestContext;
import java.time.Duration;
import java.util.List;

/**
 * The fixtures the {@code @modelcontextprotocol/conformance} server scenarios expect, on Weft's {@link McpServer}: the
 * tools, resources, prompts and completions of the suite's reference server ({@code everything-server.ts} of the
 * conformance repository), with the same names and the same answers.
 */
public final class ConformanceServer {
    static final String IMAGE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    static final String AUDIO = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

    private ConformanceServer() {
    }

    /** The fixture server. */
    public static McpServer build() {
        return McpServer.builder("mcp-conformance-test-server", "1.0.0")
                .tool(tool("test_simple_text", "Tests simple text content response"),
                        (args, ctx) -> CallToolResult.text("This is a simple text response for testing."))
                .tool(tool("test_image_content", "Tests image content response"),
                        (args, ctx) -> result(new Content.Image(IMAGE, "image/png", null, null)))
                .tool(tool("test_audio_content", "Tests audio content response"),
                        (args, ctx) -> result(new Content.Audio(AUDIO, "audio/wav", null, null)))
                .tool(tool("test_embedded_resource", "Tests embedded resource content response"),
                        (args, ctx) -> result(embedded("test://embedded-resource", "text/plain",
                                "This is an embedded resource content.")))
                .tool(tool("test_multiple_content_types",
                                "Tests response with multiple content types (text, image, resource)"),
                        (args, ctx) -> result(new Content.Text("Multiple content types test:"),
                                new Content.Image(IMAGE, "image/png", null, null),
                                embedded("test://mixed-content-resource", "application/json",
                                        "{\"test\":\"data\",\"value\":123}")))
                .tool(tool("test_tool_with_logging", "Tests tool that emits log messages during execution"),
                        ConformanceServer::logging)
                .tool(tool("test_tool_with_progress", "Tests tool that reports progress notifications"),
                        ConformanceServer::progress)
                .tool(tool("test_error_handling", "Tests error response handling"), (args, ctx) -> {
                    throw new IllegalStateException("This tool intentionally returns an error for testing");
                })
                .tool(tool("test_reconnection", "Tests SSE stream disconnection and client reconnection (SEP-1699)"),
                        (args, ctx) -> {
                            ctx.closeStream();
                            Thread.sleep(Duration.ofMillis(100)); // the reference tool's pacing: it answers later
                            return CallToolResult.text("Reconnection test completed successfully. If you received"
                                    + " this, the client properly reconnected after stream closure.");
                        })
                .tool(tool("test_sampling", "Tests server-initiated sampling (LLM completion request)",
                        "prompt", "The prompt to send to the LLM"), ConformanceServer::sampling)
                .tool(tool("test_elicitation", "Tests server-initiated elicitation (user input request)",
                        "message", "The message to show the user"), ConformanceServer::elicitation)
                .tool(tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034"),
                        (args, ctx) -> elicit(ctx, "Please review and update the form fields with defaults",
                                defaultsSchema(), "Elicitation completed"))
                .tool(tool("test_elicitation_sep1330_enums",
                                "Tests elicitation with enum schema improvements per SEP-1330"),
                        (args, ctx) -> elicit(ctx, "Please select options from the enum fields", enumsSchema(),
                                "Elicitation completed"))
                .tool(new Tool("json_schema_2020_12_tool", null,
                                "Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
                                json("""
                                        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                         "$defs": {"address": {"type": "object", "properties": {
                                             "street": {"type": "string"}, "city": {"type": "string"}}}},
                                         "properties": {"name": {"type": "string"},
                                                        "address": {"$ref": "#/$defs/address"}},
                                         "additionalProperties": false}"""), null, null, null, null, null),
                        (args, ctx) -> CallToolResult.text("JSON Schema 2020-12 tool called with: " + args))
                .resource(new Resource("test://static-text", "static-text", "Static Text Resource",
                                "A static text resource for testing", "text/plain", null, null, null, null),
                        (uri, vars, ctx) -> List.of(new ResourceContents.Text(uri, "text/plain",
                                "This is the content of the static text resource.", null)))
                .resource(new Resource("test://static-binary", "static-binary", "Static Binary Resource",
                                "A static binary resource (image) for testing", "image/png", null, null, null, null),
                        (uri, vars, ctx) -> List.of(new ResourceContents.Blob(uri, "image/png", IMAGE, null)))
                .resourceTemplate(new ResourceTemplate("test://template/{id}/data", "template", "Resource Template",
                                "A resource template with parameter substitution", "application/json", null, null,
                                null),
                        (uri, vars, ctx) -> {
                            ObjectNode data = McpProtocol.mapper().createObjectNode().put("id", vars.get("id"))
                                    .put("templateTest", true).put("data", "Data for ID: " + vars.get("id"));
                            return List.of(new ResourceContents.Text(uri, "application/json", data.toString(), null));
                        })
                .resource(new Resource("test://watched-resource", "watched-resource", "Watched Resource",
                                "A resource that auto-updates every 3 seconds", "text/plain", null, null, null, null),
                        (uri, vars, ctx) -> List.of(new ResourceContents.Text(uri, "text/plain",
                                "Watched resource content", null)))
                .prompt(new Prompt("test_simple_prompt", "Simple Test Prompt", "A simple prompt without arguments",
                                List.of(), null, null),
                        (arguments, ctx) -> prompt(new Content.Text("This is a simple prompt for testing.")))
                .prompt(new Prompt("test_prompt_with_arguments", "Prompt With Arguments",
                                "A prompt with required arguments", List.of(
                                new Prompt.Argument("arg1", null, "First test argument", true),
                                new Prompt.Argument("arg2", null, "Second test argument", true)), null, null),
                        (arguments, ctx) -> prompt(new Content.Text("Prompt with arguments: arg1='"
                                + arguments.get("arg1") + "', arg2='" + arguments.get("arg2") + "'")))
                .prompt(new Prompt("test_prompt_with_embedded_resource", "Prompt With Embedded Resource",
                                "A prompt that includes an embedded resource", List.of(
                                new Prompt.Argument("resourceUri", null, "URI of the resource to embed", true)), null,
                                null),
                        (arguments, ctx) -> prompt(embedded(arguments.get("resourceUri"), "text/plain",
                                "Embedded resource content for testing."),
                                new Content.Text("Please process the embedded resource above.")))
                .prompt(new Prompt("test_prompt_with_image", "Prompt With Image", "A prompt that includes image content",
                                List.of(), null, null),
                        (arguments, ctx) -> prompt(new Content.Image(IMAGE, "image/png", null, null),
                                new Content.Text("Please analyze the image above.")))
                .completions((ref, argument, value, resolved, ctx) -> new Completion(List.of(), 0, false))
                .build();
    }

    private static CallToolResult logging(JsonNode args, RequestContext ctx) throws InterruptedException {
        ctx.log(LogLevel.INFO, null, "Tool execution started");
        Thread.sleep(Duration.ofMillis(50)); // the reference tool's pacing between messages, not a wait for anything
        ctx.log(LogLevel.INFO, null, "Tool processing data");
        Thread.sleep(Duration.ofMillis(50));
        ctx.log(LogLevel.INFO, null, "Tool execution completed");
        return CallToolResult.text("Tool with logging executed successfully");
    }

    private static CallToolResult progress(JsonNode args, RequestContext ctx) throws InterruptedException {
        for (int step : new int[] {0, 50, 100}) {
            ctx.progress(step, 100.0, "Completed step " + step + " of 100");
            if (step < 100) {
                Thread.sleep(Duration.ofMillis(50)); // the reference tool's pacing between reports
            }
        }
        return CallToolResult.text(ctx.progressToken().map(JsonNode::asText).orElse("0"));
    }

    private static CallToolResult sampling(JsonNode args, RequestContext ctx) {
        try {
            SamplingResult result = ctx.sample(new SamplingRequest(List.of(new SamplingRequest.Message("user",
                    McpProtocol.toJson(new Content.Text(args.path("prompt").asText())))), null, 100, null, null, null,
                    null, null, null, null, null));
            String text = result.content() instanceof Content.Text t ? t.text() : "No response";
            return CallToolResult.text("LLM response: " + text);
        } catch (RuntimeException e) {
            return CallToolResult.text("Sampling not supported or error: " + e.getMessage());
        }
    }

    private static CallToolResult elicitation(JsonNode args, RequestContext ctx) {
        return elicit(ctx, args.path("message").asText(), json("""
                {"type": "object", "properties": {"response": {"type": "string", "description": "User's response"}},
                 "required": ["response"]}"""), "User response");
    }

    private static CallToolResult elicit(RequestContext ctx, String message, JsonNode schema, String label) {
        try {
            ElicitationResult result = ctx.elicit(new ElicitationRequest.Form(message, schema, null));
            return CallToolResult.text(label + ": action=" + result.action().wireName() + ", content="
                    + McpProtocol.toJson(result.content()));
        } catch (RuntimeException e) {
            return CallToolResult.text("Elicitation not supported or error: " + e.getMessage());
        }
    }

    private static JsonNode defaultsSchema() {
        return json("""
                {"type": "object", "properties": {
                   "name": {"type": "string", "description": "User name", "default": "John Doe"},
                   "age": {"type": "integer", "description": "User age", "default": 30},
                   "score": {"type": "number", "description": "User score", "default": 95.5},
                   "status": {"type": "string", "description": "User status",
                              "enum": ["active", "inactive", "pending"], "default": "active"},
                   "verified": {"type": "boolean", "description": "Verification status", "default": true}},
                 "required": []}""");
    }

    private static JsonNode enumsSchema() {
        return json("""
                {"type": "object", "properties": {
                   "untitledSingle": {"type": "string", "description": "Select one option",
                                      "enum": ["option1", "option2", "option3"]},
                   "titledSingle": {"type": "string", "description": "Select one option with titles",
                                    "oneOf": [{"const": "value1", "title": "First Option"},
                                              {"const": "value2", "title": "Second Option"},
                                              {"const": "value3", "title": "Third Option"}]},
                   "legacyEnum": {"type": "string", "description": "Select one option (legacy)",
                                  "enum": ["opt1", "opt2", "opt3"],
                                  "enumNames": ["Option One", "Option Two", "Option Three"]},
                   "untitledMulti": {"type": "array", "description": "Select multiple options", "minItems": 1,
                                     "maxItems": 3, "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
                   "titledMulti": {"type": "array", "description": "Select multiple options with titles",
                                   "minItems": 1, "maxItems": 3,
                                   "items": {"anyOf": [{"const": "value1", "title": "First Choice"},
                                                       {"const": "value2", "title": "Second Choice"},
                                                       {"const": "value3", "title": "Third Choice"}]}}},
                 "required": []}""");
    }

    private static Tool tool(String name, String description) {
        return new Tool(name, null, description, json("{\"type\": \"object\", \"properties\": {}}"), null, null, null,
                null, null);
    }

    private static Tool tool(String name, String description, String argument, String about) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(argument).put("type", "string").put("description", about);
        ArrayNode required = schema.putArray("required");
        required.add(argument);
        return new Tool(name, null, description, schema, null, null, null, null, null);
    }

    private static CallToolResult result(Content... content) {
        return new CallToolResult(List.of(content), null, false, null);
    }

    private static Content embedded(String uri, String mimeType, String text) {
        return new Content.EmbeddedResource(new ResourceContents.Text(uri, mimeType, text, null), null, null);
    }

    private static PromptResult prompt(Content... content) {
        return new PromptResult(null, java.util.Arrays.stream(content)
                .map(c -> new PromptResult.Message("user", c)).toList(), null);
    }

    private static JsonNode json(String text) {
        try {
            return McpProtocol.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
