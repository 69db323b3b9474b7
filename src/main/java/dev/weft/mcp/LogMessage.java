package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A log message from the server ({@code notifications/message}).
 *
 * <p>Immutable apart from its JSON ({@code data} is held as given): safe to share between threads as long as nobody
 * modifies that JSON.
 *
 * @param level  its severity
 * @param logger the logger's name, or {@code null}
 * @param data   any JSON: a string, an object
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LogMessage(LogLevel level, String logger, JsonNode data) {
}
