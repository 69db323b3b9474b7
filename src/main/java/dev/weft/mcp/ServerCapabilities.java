package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What a server declared it can do in its {@code initialize} result; immutable.
 *
 * @param json the {@code capabilities} object as it came, for capabilities this class has no accessor for
 */
public record ServerCapabilities(JsonNode json) {
    public ServerCapabilities {
        json = json == null ? MissingNode.getInstance() : json.deepCopy();
    }

    public boolean tools() {
        return json.has("tools");
    }

    public boolean resources() {
        return json.has("resources");
    }

    public boolean resourceSubscriptions() {
        return json.path("resources").path("subscribe").asBoolean(false);
    }

    public boolean prompts() {
        return json.has("prompts");
    }

    public boolean logging() {
        return json.has("logging");
    }

    public boolean completions() {
        return json.has("completions");
    }

    public boolean tasks() {
        return json.has("tasks");
    }

    /** Whether the server sends {@code notifications/<kind>/list_changed} for {@code tools}, {@code resources} or {@code prompts}. */
    public boolean listChanged(String kind) {
        return json.path(kind).path("listChanged").asBoolean(false);
    }
}
