package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Content;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceContents;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.Tool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What MCP results look like at a terminal. Text stays text; binary data is summarised in one bracketed line such as
 * {@code [image image/png, 1234 bytes]}; lists are a name per line with an indented line of details. Stateless.
 */
final class Render {
    private static final String INDENT = "    ";

    private Render() {}

    /** Each tool: its name and the first line of its description, then its arguments, {@code *} marking required. */
    static void tools(List<Tool> tools, PrintStream out) {
        boolean anyRequired = false;
        for (Tool tool : tools) {
            out.println(titled(tool.name(), tool.description()));
            List<String> arguments = arguments(tool.inputSchema());
            if (!arguments.isEmpty()) {
                out.println(INDENT + "arguments: " + String.join(", ", arguments));
                anyRequired |= arguments.stream().anyMatch(a -> a.endsWith("*"));
            }
        }
        if (anyRequired) {
            out.println("(* required)");
        }
    }

    /** The names of the properties of an object schema, in order, each required one followed by {@code *}. */
    static List<String> arguments(JsonNode schema) {
        if (schema == null) {
            return List.of();
        }
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        List<String> names = new ArrayList<>();
        schema.path("properties").properties()
                .forEach(p -> names.add(required.contains(p.getKey()) ? p.getKey() + "*" : p.getKey()));
        return names;
    }

    /** Each content block in turn, then the structured content, pretty-printed, when there is some. */
    static void callResult(CallToolResult result, PrintStream out) {
        for (Content content : result.content()) {
            content(content, out);
        }
        if (result.structuredContent() != null && !result.structuredContent().isNull()) {
            out.println("structuredContent:");
            out.println(Json.pretty(result.structuredContent()));
        }
    }

    /** Text as it is, on lines of its own; anything else as one bracketed line. */
    static void content(Content content, PrintStream out) {
        switch (content) {
            case Content.Text text -> text(text.text(), out);
            case Content.Image image -> out.println(binary("image", image.mimeType(), image.data()));
            case Content.Audio audio -> out.println(binary("audio", audio.mimeType(), audio.data()));
            case Content.ResourceLink link -> out.println("[resource link " + link.uri() + parenthesised(
                    link.title() != null ? link.title() : link.name(), link.mimeType(),
                    link.size() == null ? null : link.size() + " bytes") + "]");
            case Content.EmbeddedResource embedded -> out.println(embedded(embedded.resource()));
            case Content.Unknown unknown -> out.println("[" + unknown.type() + " content, "
                    + Json.compact(unknown.json()).length() + " characters of JSON]");
        }
    }

    /** Every resource and every template: URI, name and MIME type, then the first line of its description. */
    static void resources(List<Resource> resources, List<ResourceTemplate> templates, PrintStream out) {
        for (Resource resource : resources) {
            out.println(listed(resource.uri(), resource.title() != null ? resource.title() : resource.name(),
                    resource.mimeType()));
            description(resource.description(), out);
        }
        if (!templates.isEmpty()) {
            out.println(resources.isEmpty() ? "Templates:" : "\nTemplates:");
        }
        for (ResourceTemplate template : templates) {
            out.println(listed(template.uriTemplate(),
                    template.title() != null ? template.title() : template.name(), template.mimeType()));
            description(template.description(), out);
        }
    }

    /** A resource's text as it is; binary contents summarised. With several contents, each under a header line. */
    static void contents(List<ResourceContents> contents, PrintStream out) {
        for (ResourceContents content : contents) {
            if (contents.size() > 1) {
                out.println("--- " + content.uri() + parenthesised(content.mimeType()));
            }
            switch (content) {
                case ResourceContents.Text text -> text(text.text(), out);
                case ResourceContents.Blob blob -> out.println(binary("blob", blob.mimeType(), blob.blob()));
            }
        }
    }

    /** Each prompt: its name and the first line of its description, then its arguments, {@code *} marking required. */
    static void prompts(List<Prompt> prompts, PrintStream out) {
        boolean anyRequired = false;
        for (Prompt prompt : prompts) {
            out.println(titled(prompt.name(), prompt.description()));
            if (!prompt.arguments().isEmpty()) {
                List<String> names = prompt.arguments().stream()
                        .map(a -> a.required() ? a.name() + "*" : a.name()).toList();
                out.println(INDENT + "arguments: " + String.join(", ", names));
                anyRequired |= prompt.arguments().stream().anyMatch(Prompt.Argument::required);
            }
        }
        if (anyRequired) {
            out.println("(* required)");
        }
    }

    /** The prompt's description, then each message under a {@code [role]} line. */
    static void promptResult(PromptResult result, PrintStream out) {
        if (result.description() != null && !result.description().isBlank()) {
            out.println(result.description().strip());
            out.println();
        }
        for (PromptResult.Message message : result.messages()) {
            out.println("[" + message.role() + "]");
            if (message.content() != null) {
                content(message.content(), out);
            }
        }
    }

    private static void text(String text, PrintStream out) {
        if (text == null) {
            return;
        }
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
    }

    private static void description(String description, PrintStream out) {
        String line = firstLine(description);
        if (!line.isEmpty()) {
            out.println(INDENT + line);
        }
    }

    private static String titled(String name, String description) {
        String line = firstLine(description);
        return line.isEmpty() ? name : name + "  " + line;
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("").strip();
    }

    /** {@code [image image/png, 1234 bytes]}; the size is that of the decoded data. */
    private static String binary(String kind, String mimeType, String base64) {
        return "[" + kind + joined(" ", mimeType, size(base64)) + "]";
    }

    private static String size(String base64) {
        try {
            return base64 == null ? "no data" : Base64.getMimeDecoder().decode(base64).length + " bytes";
        } catch (IllegalArgumentException e) {
            return "data not valid base64";
        }
    }

    private static String embedded(ResourceContents resource) {
        if (resource == null) {
            return "[resource]";
        }
        return switch (resource) {
            case ResourceContents.Text text -> "[resource " + text.uri() + parenthesised(text.mimeType(),
                    text.text() == null ? null : text.text().length() + " characters") + "]";
            case ResourceContents.Blob blob -> "[resource " + blob.uri() + parenthesised(blob.mimeType(),
                    size(blob.blob())) + "]";
        };
    }

    /** {@code uri  name (mime)}, leaving out what is absent. */
    private static String listed(String uri, String name, String mimeType) {
        return uri + (name == null || name.isBlank() ? "" : "  " + name.strip()) + parenthesised(mimeType);
    }

    /** {@code " (a, b)"} of the parts present, or nothing. */
    private static String parenthesised(String... parts) {
        String inner = joined("", parts);
        return inner.isEmpty() ? "" : " (" + inner + ")";
    }

    /** {@code prefix + "a, b"} of the parts that are neither null nor blank, or {@code ""} when none is. */
    private static String joined(String prefix, String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part.strip());
            }
        }
        return present.isEmpty() ? "" : prefix + String.join(", ", present);
    }
}
