package dev.weft.mcp;

import dev.weft.jsonrpc.RequestId;

/**
 * The tool ran and reported failure: its {@code tools/call} result had {@code isError: true} (input validation
 * failures included). Thrown only when the caller asked for it with {@link RequestOptions#throwOnToolError()}; the
 * session is fine. Names the tool, the request id and the transport.
 *
 * <p>Thrown to the thread that called the tool. Its fields are final; {@link #result()} holds the result's JSON as
 * given, so the exception is safe to hand to other threads as long as nobody modifies that JSON.
 */
public final class ToolErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int EXCERPT = 500;

    /** The tool's name. */
    private final String tool;
    private final transient RequestId id;
    /** The transport's description. */
    private final String transport;
    private final transient CallToolResult result;

    /**
     * Creates the exception.
     *
     * @param tool      the tool's name
     * @param id        the request id of the call
     * @param transport the transport's description
     * @param result    the result, whose text goes into the message (its first 500 characters)
     */
    public ToolErrorException(String tool, RequestId id, String transport, CallToolResult result) {
        super("tools/call " + tool + " (id " + id + ") on " + transport + ": the tool reported an error: "
                + excerpt(result.text()));
        this.tool = tool;
        this.id = id;
        this.transport = transport;
        this.result = result;
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
    }

    /** {@return the tool's name} */
    public String tool() {
        return tool;
    }

    /** {@return the request id of the call} Not serialized: {@code null} after deserialization. */
    public RequestId id() {
        return id;
    }

    /** {@return the transport's description} */
    public String transport() {
        return transport;
    }

    /** {@return the result as the tool returned it} Not serialized: {@code null} after deserialization. */
    public CallToolResult result() {
        return result;
    }
}
