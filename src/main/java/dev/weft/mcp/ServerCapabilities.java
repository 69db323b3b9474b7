package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What a server declared it can do in its {@code initialize} result.
 *
 * <p>Immutable apart from its JSON: it copies the {@code capabilities} object when made, but {@link #json()} returns
 * that copy itself, so it is safe to share between threads as long as nobody modifies that JSON.
 *
 * @param json the {@code capabilities} object as it came, for capabilities this class has no accessor for
 */
public record ServerCapabilities(JsonNode json) {
    /** Copies the JSON; {@code null} stands for no capabilities. */
    public ServerCapabilities {
        json = json == null ? MissingNode.getInstance() : json.deepCopy();
    }

    /** {@return whether the server offers tools} */
    public boolean tools() {
        return json.has("tools");
    }

    /** {@return whether the server offers resources} */
    public boolean resources() {
        return json.has("resources");
    }

    /** {@return whether the server lets clients subscribe to resource updates} */
    public boolean resourceSubscriptions() {
        return json.path("resources").path("subscribe").asBoolean(false);
    }

    /** {@return whether the server offers prompts} */
    public boolean prompts() {
        return json.has("prompts");
    }

    /** {@return whether the server sends log messages} */
    public boolean logging() {
        return json.has("logging");
    }

    /** {@return whether the server answers {@code completion/complete}} */
    public boolean completions() {
        return json.has("completions");
    }

    /** {@return whether the server declared task support} */
    public boolean tasks() {
        return json.has("tasks");
    }

    /**
     * {@return whether the server sends {@code notifications/<kind>/list_changed} for {@code tools}, {@code resources}
     * or {@code prompts}}
     *
     * @param kind {@code tools}, {@code resources} or {@code prompts}
     */
    public boolean listChanged(String kind) {
        return json.path(kind).path("listChanged").asBoolean(false);
    }
}
