package dev.weft.acp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent asks whether it may run a tool call ({@code session/request_permission}).
 *
 * <p>Immutable apart from the tool call's JSON (held as given): safe to share between threads as long as nobody
 * modifies that JSON.
 *
 * @param sessionId the session
 * @param toolCall  the tool call as the client knows it: its merged state, with the fields the request carries laid
 *                  over it
 * @param options   the answers the agent offers
 */
public record PermissionRequest(String sessionId, SessionUpdate.ToolCall toolCall, List<PermissionOption> options) {
    /** Checks and copies. */
    public PermissionRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(toolCall, "toolCall");
        options = List.copyOf(options);
    }

    /**
     * {@return the first option of the given kind}
     *
     * @param kind the kind
     */
    public Optional<PermissionOption> option(PermissionOption.Kind kind) {
        return options.stream().filter(option -> option.kind() == kind).findFirst();
    }

    /** {@return the first option that lets the call run once, else the first that lets it run always} */
    public Optional<PermissionOption> allowOption() {
        return option(PermissionOption.Kind.ALLOW_ONCE).or(() -> option(PermissionOption.Kind.ALLOW_ALWAYS));
    }

    /** {@return the first option that refuses the call once, else the first that refuses it always} */
    public Optional<PermissionOption> rejectOption() {
        return option(PermissionOption.Kind.REJECT_ONCE).or(() -> option(PermissionOption.Kind.REJECT_ALWAYS));
    }
}
