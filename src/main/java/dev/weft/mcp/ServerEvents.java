package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives the server's notifications that belong to the session rather than to one call. Every method has an empty
 * default; override what you need.
 *
 * <p><b>Threads.</b> All methods of one session run on one virtual thread of the session's own, one at a time, in
 * arrival order; never on the connection's reader, so a slow listener cannot stall calls. Progress notifications of a
 * call go to that call's listener on the calling thread instead (see {@link RequestOptions#onProgress}).
 */
public interface ServerEvents {

    /**
     * A log message ({@code notifications/message}), at or above the level set with {@code logging/setLevel}.
     *
     * @param message the message
     */
    default void onLog(LogMessage message) {
    }

    /** The tool list changed ({@code notifications/tools/list_changed}). */
    default void onToolsChanged() {
    }

    /** The resource list changed ({@code notifications/resources/list_changed}). */
    default void onResourcesChanged() {
    }

    /** The prompt list changed ({@code notifications/prompts/list_changed}). */
    default void onPromptsChanged() {
    }

    /**
     * A subscribed resource changed ({@code notifications/resources/updated}).
     *
     * @param uri the resource's URI
     */
    default void onResourceUpdated(String uri) {
    }

    /**
     * A URL-mode elicitation finished ({@code notifications/elicitation/complete}).
     *
     * @param elicitationId the id of the elicitation
     */
    default void onElicitationComplete(String elicitationId) {
    }

    /**
     * Any other notification, such as {@code notifications/tasks/status} or progress for no pending call.
     *
     * @param method the notification's method
     * @param params its params, or {@code null}
     */
    default void onNotification(String method, JsonNode params) {
    }
}
