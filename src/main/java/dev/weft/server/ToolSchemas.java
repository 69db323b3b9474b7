package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weft.mcp.Tool;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a tool's arguments against its input schema: JSON Schema 2020-12 unless the schema names another draft with
 * {@code $schema}. A schema is compiled once, when the tool is registered. Nothing is ever fetched: a {@code $ref} to
 * a remote document fails the schema at registration rather than making the server reach out.
 *
 * <p>Immutable; thread-safe (compiled schemas are shared by every request).
 */
final class ToolSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaLoader(loader ->
                    loader.fetchRemoteResources(false)));

    private ToolSchemas() {
    }

    /**
     * Compiles {@code tool}'s input schema.
     *
     * @return the compiled schema, or {@code null} when the tool has none
     * @throws IllegalArgumentException when the schema cannot be compiled; the message names the tool
     */
    static Schema compile(Tool tool) {
        JsonNode schema = tool.inputSchema();
        if (schema == null || schema.isNull()) {
            return null;
        }
        try {
            Schema compiled = REGISTRY.getSchema(schema);
            compiled.initializeValidators(); // resolve references now, not on the first call
            return compiled;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the input schema of tool " + tool.name() + " is not usable: "
                    + e.getMessage(), e);
        }
    }

    /** What is wrong with {@code arguments}, one line per error; empty when they fit. */
    static List<String> problems(Schema schema, JsonNode arguments) {
        if (schema == null) {
            return List.of();
        }
        List<Error> errors = schema.validate(arguments);
        return errors.stream().map(Error::getMessage).distinct().collect(Collectors.toList());
    }
}
