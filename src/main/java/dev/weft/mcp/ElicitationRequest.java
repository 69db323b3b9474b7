package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A server's request for information from the user ({@code elicitation/create}).
 *
 * <p>Immutable records apart from their JSON ({@code requestedSchema} and {@code meta} are held as given): safe to
 * share between threads as long as nobody modifies that JSON.
 */
public sealed interface ElicitationRequest {

    /** {@return the message to show the user} */
    String message();

    /**
     * Form mode: ask the user for the fields of {@code requestedSchema}, a flat object schema of primitive fields (each
     * may carry a {@code default}, SEP-1034; enums as {@code enum}, {@code oneOf} with {@code const}/{@code title},
     * legacy {@code enumNames}, or multi-select arrays, SEP-1330).
     *
     * @param message         the message to show the user
     * @param requestedSchema the schema of the fields to ask for
     * @param meta            {@code _meta}, or {@code null}
     */
    record Form(String message, JsonNode requestedSchema, JsonNode meta) implements ElicitationRequest {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code message} or {@code requestedSchema} is {@code null}
         */
        public Form {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(requestedSchema, "requestedSchema");
        }
    }

    /**
     * URL mode (SEP-1036): send the user to {@code url} (out of band: nothing the user enters there passes through the
     * client); {@code notifications/elicitation/complete} with {@code elicitationId} says when it is done.
     *
     * @param message       the message to show the user
     * @param url           where to send the user
     * @param elicitationId the id the completion notification names
     * @param meta          {@code _meta}, or {@code null}
     */
    record Url(String message, String url, String elicitationId, JsonNode meta) implements ElicitationRequest {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code message}, {@code url} or {@code elicitationId} is {@code null}
         */
        public Url {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(elicitationId, "elicitationId");
        }
    }
}
