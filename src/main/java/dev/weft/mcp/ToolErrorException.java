package dev.weft.mcp;

import dev.weft.jsonrpc.RequestId;

/**
 * The tool ran and reported failure: its {@code tools/call} result had {@code isError: true} (input validation
 * failures included). Thrown only when the caller asked for it with {@link RequestOptions#throwOnToolError()}; the
 * session is fine. Names the tool, the request id and the transport.
 */
public final class ToolErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int EXCERPT = 500;

    private final String tool;
    private final transient RequestId id;
    private final String transport;
    private final transient CallToolResult result;

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

    /** The tool's name. */
    public String tool() {
        return tool;
    }

    /** The request id of the call. */
    public RequestId id() {
        return id;
    }

    /** The transport's description. */
    public String transport() {
        return transport;
    }

    /** The result as the tool returned it. */
    public CallToolResult result() {
        return result;
    }
}
