package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A server's request for information from the user ({@code elicitation/create}); immutable. */
public sealed interface ElicitationRequest {

    /** The message to show the user. */
    String message();

    /**
     * Form mode: ask the user for the fields of {@code requestedSchema}, a flat object schema of primitive fields (each
     * may carry a {@code default}, SEP-1034; enums as {@code enum}, {@code oneOf} with {@code const}/{@code title},
     * legacy {@code enumNames}, or multi-select arrays, SEP-1330).
     */
    record Form(String message, JsonNode requestedSchema, JsonNode meta) implements ElicitationRequest {
        public Form {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(requestedSchema, "requestedSchema");
        }
    }

    /**
     * URL mode (SEP-1036): send the user to {@code url} (out of band: nothing the user enters there passes through the
     * client); {@code notifications/elicitation/complete} with {@code elicitationId} says when it is done.
     */
    record Url(String message, String url, String elicitationId, JsonNode meta) implements ElicitationRequest {
        public Url {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(elicitationId, "elicitationId");
        }
    }
}
