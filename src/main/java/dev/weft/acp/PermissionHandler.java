package dev.weft.acp;

/**
 * Decides an agent's permission requests. It runs on the thread that prompts (see {@link AcpSession#prompt}), in order
 * with the turn's updates, while the agent waits: it may block (ask a person) and may take the locks that thread holds.
 * A cancel of the turn answers the agent {@code cancelled} at once, whatever the handler returns later.
 *
 * <p>What it throws is logged and answered as a refusal (the first reject option; {@code cancelled} when there is
 * none).
 *
 * <p>A client's default handler ({@link AcpClientOptions#permissions()}) serves all of its sessions, which may prompt
 * in parallel, each on its own thread: a handler shared like that must be thread-safe.
 */
@FunctionalInterface
public interface PermissionHandler {

    /**
     * Decides one request, on the prompting thread.
     *
     * @param request the tool call and the options the agent offers
     * @return the answer
     * @throws Exception anything; it is logged and answered as a refusal
     */
    PermissionOutcome decide(PermissionRequest request) throws Exception;

    /**
     * {@return a handler that allows every request} It picks the first allow-once option, else allow-always; cancelled
     * when the agent offers neither.
     */
    static PermissionHandler allowing() {
        return request -> request.allowOption().map(PermissionOutcome::select)
                .orElseGet(PermissionOutcome::cancelled);
    }

    /**
     * {@return a handler that refuses every request} It picks the first reject-once option, else reject-always;
     * cancelled when the agent offers neither.
     */
    static PermissionHandler denying() {
        return request -> request.rejectOption().map(PermissionOutcome::select)
                .orElseGet(PermissionOutcome::cancelled);
    }
}
