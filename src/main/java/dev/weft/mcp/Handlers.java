package dev.weft.mcp;

/**
 * The handlers a host registers for the requests an MCP server sends to its client.
 *
 * <p>Holds no state: it only groups the handler interfaces. Each request runs its handler on a virtual thread of its
 * own, so one handler may run on several threads at once and must be thread-safe; it may block, and the server waits
 * for its answer meanwhile.
 */
public final class Handlers {
    private Handlers() {
    }

    /**
     * Answers {@code sampling/createMessage}. Runs on a virtual thread of its own per request (never the connection's
     * reader), so it may block; a cancel from the server interrupts it. Throw
     * {@link dev.weft.jsonrpc.RpcErrorException} to answer with a specific error (for example the user refused).
     */
    @FunctionalInterface
    public interface Sampling {
        /**
         * Samples the host's model.
         *
         * @param request the messages and the model preferences
         * @return the model's answer
         * @throws Exception anything; it becomes a JSON-RPC error
         */
        SamplingResult createMessage(SamplingRequest request) throws Exception;
    }

    /**
     * Answers {@code elicitation/create}, in form or URL mode. Threads as for {@link Sampling}. A handler that does
     * not support URL mode throws {@link dev.weft.jsonrpc.RpcErrorException} or declines.
     */
    @FunctionalInterface
    public interface Elicitation {
        /**
         * Asks the user.
         *
         * @param request the form or the URL to show the user
         * @return the user's answer
         * @throws Exception anything; it becomes a JSON-RPC error
         */
        ElicitationResult elicit(ElicitationRequest request) throws Exception;
    }

    /** Answers {@code roots/list}. Threads as for {@link Sampling}. */
    @FunctionalInterface
    public interface Roots {
        /**
         * Lists the host's roots, now.
         *
         * @return the roots
         * @throws Exception anything; it becomes a JSON-RPC error
         */
        java.util.List<Root> roots() throws Exception;
    }
}
