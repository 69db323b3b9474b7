package dev.weft.mcp;

import java.util.Map;
import java.util.Objects;

/**
 * The user's answer to an elicitation.
 *
 * <p>Its map is an unmodifiable copy, but the values in it are held as given (a multi-select field's value is a list):
 * safe to share between threads as long as nobody modifies them.
 *
 * @param action  what the user did
 * @param content the values entered, for {@link Action#ACCEPT} in form mode; otherwise empty. Fields the user left out
 *                are filled with the schema's defaults before the answer goes out (see
 *                {@link McpClientOptions#applyElicitationDefaults()}).
 */
public record ElicitationResult(Action action, Map<String, Object> content) {
    /** What the user did. */
    public enum Action {
        /** The user accepted: submitted the form, or agreed to go to the URL. */
        ACCEPT,
        /** The user explicitly declined. */
        DECLINE,
        /** The user dismissed the request without choosing. */
        CANCEL;

        /** {@return the name on the wire, such as {@code "accept"}} */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * Parses a wire name.
         *
         * @param wireName {@code accept}, {@code decline} or {@code cancel}, in any case
         * @return the action
         * @throws IllegalArgumentException if it is none of {@code accept}, {@code decline}, {@code cancel}
         */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Action parse(String wireName) {
            return valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Checks the action and copies the content; {@code null} content stands for none.
     *
     * @throws NullPointerException if {@code action} is {@code null}
     */
    public ElicitationResult {
        Objects.requireNonNull(action, "action");
        content = content == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(content));
    }

    /**
     * {@return an answer that says the user accepted with these values (form mode) or agreed to go to the URL (URL
     * mode, empty values)}
     *
     * @param content the values entered, by field name
     */
    public static ElicitationResult accept(Map<String, ?> content) {
        return new ElicitationResult(Action.ACCEPT, Map.copyOf(content));
    }

    /** {@return an answer that says the user explicitly declined} */
    public static ElicitationResult decline() {
        return new ElicitationResult(Action.DECLINE, Map.of());
    }

    /** {@return an answer that says the user dismissed the request without choosing} */
    public static ElicitationResult cancel() {
        return new ElicitationResult(Action.CANCEL, Map.of());
    }
}
