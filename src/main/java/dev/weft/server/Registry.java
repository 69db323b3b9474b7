package dev.weft.server;

import com.networknt.schema.Schema;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.Tool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server offers: its tools, resources, resource templates and prompts with their handlers, in registration
 * order. Immutable: a change makes a new registry, which the server publishes in one step, so a session serving a
 * request reads one consistent snapshot and never takes a lock.
 */
record Registry(Map<String, RegisteredTool> tools, Map<String, RegisteredResource> resources,
                List<RegisteredTemplate> templates, Map<String, RegisteredPrompt> prompts) {

    /** A tool, its handler, and its compiled input schema ({@code null} when it has none). */
    record RegisteredTool(Tool tool, ToolHandler handler, Schema inputSchema) {
    }

    record RegisteredResource(Resource resource, ResourceHandler handler) {
    }

    record RegisteredTemplate(ResourceTemplate template, UriTemplate matcher, ResourceHandler handler) {
    }

    record RegisteredPrompt(Prompt prompt, PromptHandler handler) {
    }

    static final Registry EMPTY = new Registry(Map.of(), Map.of(), List.of(), Map.of());

    Registry {
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
        resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        templates = List.copyOf(templates);
        prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
    }

    Registry withTool(Tool tool, ToolHandler handler) {
        Map<String, RegisteredTool> more = new LinkedHashMap<>(tools);
        more.put(tool.name(), new RegisteredTool(tool, handler, ToolSchemas.compile(tool)));
        return new Registry(more, resources, templates, prompts);
    }

    Registry withoutTool(String name) {
        Map<String, RegisteredTool> fewer = new LinkedHashMap<>(tools);
        fewer.remove(name);
        return new Registry(fewer, resources, templates, prompts);
    }

    Registry withResource(Resource resource, ResourceHandler handler) {
        Map<String, RegisteredResource> more = new LinkedHashMap<>(resources);
        more.put(resource.uri(), new RegisteredResource(resource, handler));
        return new Registry(tools, more, templates, prompts);
    }

    Registry withoutResource(String uri) {
        Map<String, RegisteredResource> fewer = new LinkedHashMap<>(resources);
        fewer.remove(uri);
        return new Registry(tools, fewer, templates, prompts);
    }

    Registry withTemplate(ResourceTemplate template, ResourceHandler handler) {
        List<RegisteredTemplate> more = new ArrayList<>(templates);
        more.removeIf(t -> t.template().uriTemplate().equals(template.uriTemplate()));
        more.add(new RegisteredTemplate(template, UriTemplate.parse(template.uriTemplate()), handler));
        return new Registry(tools, resources, more, prompts);
    }

    Registry withPrompt(Prompt prompt, PromptHandler handler) {
        Map<String, RegisteredPrompt> more = new LinkedHashMap<>(prompts);
        more.put(prompt.name(), new RegisteredPrompt(prompt, handler));
        return new Registry(tools, resources, templates, more);
    }

    Registry withoutPrompt(String name) {
        Map<String, RegisteredPrompt> fewer = new LinkedHashMap<>(prompts);
        fewer.remove(name);
        return new Registry(tools, resources, templates, fewer);
    }
}
