package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.RequestId;
import dev.weft.mcp.ElicitationRequest;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.Root;
import dev.weft.mcp.SamplingRequest;
import dev.weft.mcp.SamplingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a handler may do while it handles one request: report progress, log to the client, ask the client for sampling,
 * elicitation or its roots, and learn who is asking. Everything it sends is related to the request, so over Streamable
 * HTTP it travels on that request's stream.
 *
 * <p>Cancellation is an interrupt: when the client cancels the request (or the session ends), the handler's thread is
 * interrupted, a blocking call here throws ({@link dev.weft.jsonrpc.CallCancelledException}), and no answer is sent.
 *
 * <p>Thread-safe: a handler may hand its context to threads of its own. Requests to the client block the calling
 * thread until the client answers.
 */
public final class RequestContext {
    private final ServerSession session;
    private final Connection connection;
    private final RequestId requestId;
    private final JsonNode progressToken; // null when the client asked for no progress
    private final ReentrantLock progressLock = new ReentrantLock();
    private double lastProgress = Double.NEGATIVE_INFINITY; // the last value sent; progressLock

    RequestContext(ServerSession session, Connection connection, RequestId requestId, JsonNode params) {
        this.session = session;
        this.connection = connection;
        this.requestId = requestId;
        JsonNode token = params == null ? null : params.path("_meta").get("progressToken");
        this.progressToken = token != null && (token.isTextual() || token.isIntegralNumber()) ? token : null;
    }

    /** {@return the id of the request being handled} */
    public RequestId requestId() {
        return requestId;
    }

    /**
     * {@return the client's name and version, as it introduced itself} Empty when this session never saw its
     * {@code initialize} (a stateless HTTP server serves each request in a session of its own).
     */
    public Optional<Implementation> clientInfo() {
        return session.clientInfo();
    }

    /** {@return the protocol revision of this session} */
    public String protocolVersion() {
        return session.protocolVersionOrLatest();
    }

    /** {@return the progress token the client sent with this request, if it asked for progress} */
    public Optional<JsonNode> progressToken() {
        return Optional.ofNullable(progressToken);
    }

    /** {@return whether the client asked for progress on this request (it sent a progress token)} */
    public boolean wantsProgress() {
        return progressToken != null;
    }

    /**
     * Reports progress, if the client asked for it (else does nothing). {@code progress} must grow from one report to
     * the next; a report that does not is dropped, as the protocol requires.
     *
     * @param progress the progress so far
     * @param total    the total, or {@code null} when unknown
     * @param message  a human-readable message, or {@code null}
     */
    public void progress(double progress, Double total, String message) {
        if (progressToken == null) {
            return;
        }
        progressLock.lock();
        try {
            if (!(progress > lastProgress)) {
                return;
            }
            lastProgress = progress;
            ObjectNode params = McpProtocol.mapper().createObjectNode();
            params.set("progressToken", progressToken);
            params.put("progress", progress);
            if (total != null) {
                params.put("total", total);
            }
            if (message != null) {
                params.put("message", message);
            }
            // Sent under the lock so that reports leave in the order of their values, which must grow; only the
            // threads reporting on this one request share the lock.
            connection.notify("notifications/progress", params, requestId);
        } finally {
            progressLock.unlock();
        }
    }

    /**
     * Sends a log message to the client if {@code level} is at or above the level the client set
     * ({@code logging/setLevel}; {@link LogLevel#INFO} until it sets one).
     *
     * @param level  the message's severity
     * @param logger a logger name, or {@code null}
     * @param data   anything JSON can carry: a string, a map, a record
     */
    public void log(LogLevel level, String logger, Object data) {
        session.log(connection, level, logger, data, requestId);
    }

    /**
     * Asks the client to sample its model ({@code sampling/createMessage}); blocks until it answers.
     *
     * @param request the messages and the model preferences
     * @return the client's answer
     * @throws UnsupportedOperationException if the client did not declare sampling
     */
    public SamplingResult sample(SamplingRequest request) {
        session.requireClientCapability("sampling");
        JsonNode result = connection.call("sampling/createMessage", McpProtocol.toJson(request),
                CallOptions.DEFAULT.withRelatedTo(requestId));
        return McpProtocol.fromJson(result, SamplingResult.class);
    }

    /**
     * Asks the client to elicit information from its user ({@code elicitation/create}, form or URL mode); blocks until
     * it answers.
     *
     * @param request the form or the URL to show the user
     * @return the user's answer
     * @throws UnsupportedOperationException if the client did not declare elicitation (or its URL mode, for a URL)
     */
    public ElicitationResult elicit(ElicitationRequest request) {
        ObjectNode params = McpProtocol.mapper().createObjectNode();
        switch (request) {
            case ElicitationRequest.Form form -> {
                session.requireClientCapability("elicitation");
                params.put("message", form.message());
                params.set("requestedSchema", form.requestedSchema());
                if (form.meta() != null) {
                    params.set("_meta", form.meta());
                }
            }
            case ElicitationRequest.Url url -> {
                session.requireClientCapability("elicitation", "url");
                params.put("mode", "url");
                params.put("message", url.message());
                params.put("url", url.url());
                params.put("elicitationId", url.elicitationId());
                if (url.meta() != null) {
                    params.set("_meta", url.meta());
                }
            }
        }
        JsonNode result = connection.call("elicitation/create", params,
                CallOptions.DEFAULT.withRelatedTo(requestId));
        return McpProtocol.fromJson(result, ElicitationResult.class);
    }

    /**
     * Asks the client for its roots ({@code roots/list}); blocks until it answers.
     *
     * @return the client's roots
     * @throws UnsupportedOperationException if the client did not declare roots
     */
    public List<Root> roots() {
        session.requireClientCapability("roots");
        JsonNode result = connection.call("roots/list", null, CallOptions.DEFAULT.withRelatedTo(requestId));
        List<Root> roots = new ArrayList<>();
        for (JsonNode root : result.path("roots")) {
            roots.add(McpProtocol.fromJson(root, Root.class));
        }
        return roots;
    }

    /**
     * Closes the stream that carries this request's answer, without ending the request, where the transport has such
     * streams (Streamable HTTP): the client reconnects and resumes it after the server's retry delay, and gets what
     * was sent meanwhile. A server does this to shed a long-held connection (SEP-1699).
     *
     * @return whether there was a stream to close; {@code false} when the transport has none
     */
    public boolean closeStream() {
        return session.closeStream(requestId);
    }

    @Override
    public String toString() {
        return "RequestContext[" + requestId + " on " + session + "]";
    }
}
