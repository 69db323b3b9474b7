package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.IncomingRequest;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.ProtocolViolationException;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.jsonrpc.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A client session with one MCP server: a {@link Connection} after its {@code initialize} handshake.
 *
 * <p><b>Blocking and threads.</b> Every request method blocks the calling thread (a virtual thread, ideally) until the
 * answer, the timeout, an interrupt, or the end of the transport, and any number of threads may call at once. A
 * request's progress runs its listener on the calling thread, before the result. The server's own requests (sampling,
 * elicitation, roots) run the host's {@link Handlers} on a virtual thread each; the session's notifications run the
 * host's {@link ServerEvents} on one virtual thread, in order. Nothing the host supplies runs on the connection's
 * reader.
 *
 * <p><b>Failures, typed by outcome</b> (all unchecked):
 * <ul>
 *   <li>{@link dev.weft.jsonrpc.PeerErrorException}: the server answered with a JSON-RPC error; the session is fine.</li>
 *   <li>{@link ToolErrorException}: the tool reported an error, when asked for with
 *       {@link RequestOptions#throwOnToolError()} (otherwise the result has {@code isError}).</li>
 *   <li>{@link dev.weft.jsonrpc.TransportClosedException}: the transport ended (its cause says how: the process's exit
 *       code and stderr tail, a session that expired); at once for every call in flight and every later call.</li>
 *   <li>{@link dev.weft.jsonrpc.CallTimeoutException} and {@link dev.weft.jsonrpc.CallCancelledException}: the timeout
 *       passed or the calling thread was interrupted; {@code notifications/cancelled} was sent.</li>
 *   <li>{@link dev.weft.jsonrpc.ExchangeFailedException}: over HTTP, this one exchange failed (a status other than
 *       2xx, a stream that broke and could not be resumed).</li>
 *   <li>{@link ProtocolViolationException}: the server's answer does not fit the protocol.</li>
 * </ul>
 * Each names the method, the request id and the transport.
 *
 * <p>{@link #close()} ends the session: pending calls fail, handlers are interrupted and waited for, and the transport
 * is closed (a subprocess is stopped, an HTTP session is deleted).
 */
public final class McpSession implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(McpSession.class.getName());
    private static final int MAX_PAGES = 10_000;

    private final Connection connection;
    private final McpClientOptions options;
    private final AtomicLong nextId = new AtomicLong(1);
    private volatile Handshake handshake;

    /** What the server said in its {@code initialize} result. */
    private record Handshake(String protocolVersion, Implementation serverInfo, ServerCapabilities capabilities,
                             String instructions) {
    }

    private McpSession(Transport transport, McpClientOptions options) {
        this.options = options;
        this.connection = Connection.open(transport, connectionOptions(options));
    }

    /**
     * Opens a session over {@code transport}: runs the {@code initialize} handshake and sends
     * {@code notifications/initialized}. The session owns the transport from now on; when the handshake fails, the
     * transport is closed before this throws.
     *
     * @param transport the transport, not yet read by anyone
     * @param options   the client info, the handlers and the timeouts
     * @return the initialized session; any thread may use it
     * @throws UnsupportedProtocolVersionException the server answered with a revision this client does not speak
     * @throws dev.weft.jsonrpc.RpcException       the handshake failed (see the class comment)
     */
    public static McpSession open(Transport transport, McpClientOptions options) {
        McpSession session = new McpSession(Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(options, "options"));
        try {
            session.initialize();
            return session;
        } catch (RuntimeException | Error e) {
            session.close();
            throw e;
        }
    }

    /**
     * Opens a session with the {@linkplain McpClientOptions#defaults() default options}; see
     * {@link #open(Transport, McpClientOptions)}.
     *
     * @param transport the transport, not yet read by anyone
     * @return the initialized session; any thread may use it
     */
    public static McpSession open(Transport transport) {
        return open(transport, McpClientOptions.defaults());
    }

    private ConnectionOptions connectionOptions(McpClientOptions options) {
        ConnectionOptions c = ConnectionOptions.DEFAULT.withName(options.threadName())
                .withDefaultTimeout(options.requestTimeout())
                .withCancelProtocol(McpProtocol.cancellation())
                .withNotificationRouter(McpSession::progressRoute)
                .withRequestHandler("ping", request -> McpJson.object())
                .withOtherNotifications(this::onNotification);
        if (options.sampling() != null) {
            c = c.withRequestHandler("sampling/createMessage", this::onSampling);
        }
        if (options.elicitation() != null) {
            c = c.withRequestHandler("elicitation/create", this::onElicitation);
        }
        if (options.roots() != null) {
            c = c.withRequestHandler("roots/list", this::onRootsList);
        }
        return c;
    }

    private void initialize() {
        ObjectNode params = McpJson.object();
        params.put("protocolVersion", options.protocolVersion());
        params.set("capabilities", clientCapabilities());
        params.set("clientInfo", McpJson.tree(options.clientInfo()));
        RequestId id = nextId();
        JsonNode result = connection.call("initialize", params,
                CallOptions.DEFAULT.withId(id).withTimeout(options.initializeTimeout()));
        String version = result.path("protocolVersion").asText(null);
        if (version == null) {
            throw violation("initialize", id, "the result has no protocolVersion", null);
        }
        if (!ProtocolVersions.SUPPORTED.contains(version)) {
            throw new UnsupportedProtocolVersionException(version, ProtocolVersions.SUPPORTED, describe());
        }
        Implementation serverInfo;
        try {
            serverInfo = McpJson.read(result.get("serverInfo"), Implementation.class);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw violation("initialize", id, "the result has no valid serverInfo", e);
        }
        handshake = new Handshake(version, serverInfo, new ServerCapabilities(result.get("capabilities")),
                result.path("instructions").asText(null));
        connection.notify("notifications/initialized", null);
        LOG.log(System.Logger.Level.DEBUG, () -> "session with " + serverInfo.name() + " " + serverInfo.version()
                + " on " + describe() + ", protocol " + version);
    }

    private ObjectNode clientCapabilities() {
        ObjectNode capabilities = McpJson.object();
        if (options.roots() != null) {
            capabilities.putObject("roots").put("listChanged", true);
        }
        if (options.sampling() != null) {
            capabilities.putObject("sampling");
        }
        if (options.elicitation() != null) {
            ObjectNode elicitation = capabilities.putObject("elicitation");
            elicitation.putObject("form");
            elicitation.putObject("url");
        }
        return capabilities;
    }

    // ---- what the server said -------------------------------------------------------------------------------------

    /** {@return the protocol revision the server chose} */
    public String protocolVersion() {
        return handshake.protocolVersion();
    }

    /** {@return the server's name and version} */
    public Implementation serverInfo() {
        return handshake.serverInfo();
    }

    /** {@return what the server can do} */
    public ServerCapabilities serverCapabilities() {
        return handshake.capabilities();
    }

    /** {@return the server's instructions for using it, if it gave any} */
    public Optional<String> instructions() {
        return Optional.ofNullable(handshake.instructions());
    }

    // ---- requests -------------------------------------------------------------------------------------------------

    /** Sends {@code ping} and waits for the answer; a way to tell a live server from a stale connection. */
    public void ping() {
        request("ping", null, RequestOptions.DEFAULT);
    }

    /** {@return every tool the server offers, following each {@code nextCursor}} */
    public List<Tool> listTools() {
        return listAll("tools/list", "tools", Tool.class);
    }

    /**
     * Calls a tool and returns its result, {@code isError} included.
     *
     * @param name      the tool's name
     * @param arguments the arguments, by name, or {@code null} for none
     * @return the result
     */
    public CallToolResult callTool(String name, Map<String, ?> arguments) {
        return callTool(name, arguments, RequestOptions.DEFAULT);
    }

    /**
     * Calls a tool with options: a timeout, an idle timeout, progress, throwing on {@code isError}.
     *
     * @param name      the tool's name
     * @param arguments the arguments, by name, or {@code null} for none
     * @param options   the request's options
     * @return the result
     */
    public CallToolResult callTool(String name, Map<String, ?> arguments, RequestOptions options) {
        return callTool(name, McpJson.tree(arguments), options);
    }

    /**
     * Calls a tool with arguments as a JSON object.
     *
     * @param name      the tool's name
     * @param arguments the arguments, a JSON object, or {@code null} for none
     * @param options   the request's options
     * @return the result
     * @throws ToolErrorException when the tool reports an error and {@code options} asked for an exception
     */
    public CallToolResult callTool(String name, JsonNode arguments, RequestOptions options) {
        Objects.requireNonNull(name, "name");
        ObjectNode params = McpJson.object().put("name", name);
        if (arguments != null && !arguments.isNull()) {
            if (!arguments.isObject()) {
                throw new IllegalArgumentException("tool arguments must be a JSON object, got " + arguments);
            }
            params.set("arguments", arguments);
        }
        RequestId id = nextId();
        JsonNode result = send("tools/call", params, options, id);
        CallToolResult mapped;
        try {
            mapped = CallToolResult.of(result);
        } catch (IllegalArgumentException e) {
            throw violation("tools/call", id, "not a CallToolResult: " + e.getMessage(), e);
        }
        if (mapped.isError() && options.throwOnToolError()) {
            throw new ToolErrorException(name, id, describe(), mapped);
        }
        return mapped;
    }

    /** {@return every resource the server lists, following each {@code nextCursor}} */
    public List<Resource> listResources() {
        return listAll("resources/list", "resources", Resource.class);
    }

    /** {@return every resource template the server lists, following each {@code nextCursor}} */
    public List<ResourceTemplate> listResourceTemplates() {
        return listAll("resources/templates/list", "resourceTemplates", ResourceTemplate.class);
    }

    /**
     * Reads a resource; a resource may have several contents (a directory, say).
     *
     * @param uri the resource's URI
     * @return its contents
     */
    public List<ResourceContents> readResource(String uri) {
        return readResource(uri, RequestOptions.DEFAULT);
    }

    /**
     * Reads a resource with options.
     *
     * @param uri     the resource's URI
     * @param options the request's options
     * @return its contents
     */
    public List<ResourceContents> readResource(String uri, RequestOptions options) {
        RequestId id = nextId();
        JsonNode result = send("resources/read", McpJson.object().put("uri", Objects.requireNonNull(uri, "uri")),
                options, id);
        return mapList("resources/read", id, result.path("contents"), ResourceContents.class);
    }

    /**
     * Asks for {@code notifications/resources/updated} when the resource changes (see {@link ServerEvents}).
     *
     * @param uri the resource's URI
     */
    public void subscribe(String uri) {
        request("resources/subscribe", McpJson.object().put("uri", Objects.requireNonNull(uri, "uri")),
                RequestOptions.DEFAULT);
    }

    /**
     * Stops the updates {@link #subscribe} asked for.
     *
     * @param uri the resource's URI
     */
    public void unsubscribe(String uri) {
        request("resources/unsubscribe", McpJson.object().put("uri", Objects.requireNonNull(uri, "uri")),
                RequestOptions.DEFAULT);
    }

    /** {@return every prompt the server offers, following each {@code nextCursor}} */
    public List<Prompt> listPrompts() {
        return listAll("prompts/list", "prompts", Prompt.class);
    }

    /**
     * Gets a prompt with its arguments filled in.
     *
     * @param name      the prompt's name
     * @param arguments its arguments, by name, or {@code null}
     * @return the prompt's messages
     */
    public PromptResult getPrompt(String name, Map<String, String> arguments) {
        return getPrompt(name, arguments, RequestOptions.DEFAULT);
    }

    /**
     * Gets a prompt with options.
     *
     * @param name      the prompt's name
     * @param arguments its arguments, by name, or {@code null}
     * @param options   the request's options
     * @return the prompt's messages
     */
    public PromptResult getPrompt(String name, Map<String, String> arguments, RequestOptions options) {
        ObjectNode params = McpJson.object().put("name", Objects.requireNonNull(name, "name"));
        if (arguments != null) {
            params.set("arguments", McpJson.MAPPER.valueToTree(arguments));
        }
        RequestId id = nextId();
        return map("prompts/get", id, send("prompts/get", params, options, id), PromptResult.class);
    }

    /**
     * Asks for completions of an argument's value ({@code completion/complete}).
     *
     * @param ref      the prompt or resource template
     * @param argument the argument's name
     * @param value    what the user has typed so far
     * @param context  the values of the other arguments already chosen, or {@code null}
     * @return the suggestions
     */
    public Completion complete(Completion.Reference ref, String argument, String value, Map<String, String> context) {
        ObjectNode params = McpJson.object();
        params.set("ref", ref.toJson());
        params.putObject("argument").put("name", Objects.requireNonNull(argument, "argument"))
                .put("value", Objects.requireNonNull(value, "value"));
        if (context != null && !context.isEmpty()) {
            params.putObject("context").set("arguments", McpJson.MAPPER.valueToTree(context));
        }
        RequestId id = nextId();
        JsonNode result = send("completion/complete", params, RequestOptions.DEFAULT, id);
        return map("completion/complete", id, result.path("completion"), Completion.class);
    }

    /**
     * Sets the lowest level of the log messages the server sends ({@code logging/setLevel}).
     *
     * @param level the level
     */
    public void setLogLevel(LogLevel level) {
        request("logging/setLevel", McpJson.object().put("level", level.wireName()), RequestOptions.DEFAULT);
    }

    /** Tells the server that the roots changed ({@code notifications/roots/list_changed}); it will ask again. */
    public void notifyRootsChanged() {
        connection.notify("notifications/roots/list_changed", null);
    }

    /**
     * Sends any request and returns its raw result: for methods this class has no typed form of (tasks, extensions).
     * Progress and timeouts work as for the typed methods.
     *
     * @param method  the method
     * @param params  an object or array node, or {@code null}
     * @param options the request's options
     * @return the raw result
     */
    public JsonNode request(String method, JsonNode params, RequestOptions options) {
        return send(method, params, options, nextId());
    }

    /**
     * Sends any notification.
     *
     * @param method the method
     * @param params an object or array node, or {@code null}
     */
    public void notify(String method, JsonNode params) {
        connection.notify(method, params);
    }

    // ---- lifecycle ------------------------------------------------------------------------------------------------

    /** {@return whether the session is open: its transport has not ended and it was not closed} */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** {@return why the session ended, once it has: the transport's error, or a close} */
    public Optional<Throwable> closedCause() {
        return connection.closedCause();
    }

    /**
     * Blocks until the session ends, and returns why.
     *
     * @return why the session ended: the transport's error, or a close
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    public Throwable awaitClosed() throws InterruptedException {
        return connection.awaitClosed();
    }

    /**
     * Like {@link #awaitClosed()}, giving up after {@code timeout}.
     *
     * @param timeout how long to wait
     * @return why the session ended, or {@code null} if it was still open after {@code timeout}
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    public Throwable awaitClosed(Duration timeout) throws InterruptedException {
        return connection.awaitClosed(timeout);
    }

    /** {@return the number of this session's requests waiting for an answer} */
    public int pendingRequests() {
        return connection.pendingCalls();
    }

    /** {@return the transport's description, as errors name it} */
    public String describe() {
        return connection.describe();
    }

    /** Ends the session: see the class comment. Idempotent; any thread. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        Handshake h = handshake;
        return "McpSession[" + (h == null ? "" : h.serverInfo().name() + " " + h.serverInfo().version() + ", ")
                + describe() + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- internals ------------------------------------------------------------------------------------------------

    private RequestId nextId() {
        return RequestId.of(nextId.getAndIncrement());
    }

    private JsonNode send(String method, JsonNode params, RequestOptions options, RequestId id) {
        Objects.requireNonNull(options, "options");
        CallOptions call = CallOptions.DEFAULT.withId(id);
        if (options.timeout() != null) {
            call = call.withTimeout(options.timeout());
        }
        if (options.idleTimeout() != null) {
            call = call.withIdleTimeout(options.idleTimeout());
        }
        if (options.wantsProgress()) {
            // The request id doubles as the progress token: unique among this session's requests in flight.
            long token = ((RequestId.Number) id).value();
            ObjectNode withToken = params == null ? McpJson.object() : ((ObjectNode) params).deepCopy();
            JsonNode meta = withToken.get("_meta");
            ObjectNode metaObject = meta instanceof ObjectNode o ? o : withToken.putObject("_meta");
            metaObject.put("progressToken", token);
            params = withToken;
            Consumer<Progress> listener = options.onProgress();
            call = call.withEvents(token, notification -> {
                if (listener != null) {
                    listener.accept(progressOf(notification.params()));
                }
            });
        }
        return connection.call(method, params, call);
    }

    private static Progress progressOf(JsonNode params) {
        JsonNode total = params.get("total");
        return new Progress(params.path("progress").asDouble(),
                total != null && total.isNumber() ? total.doubleValue() : null,
                params.path("message").asText(null));
    }

    /** Files a {@code notifications/progress} under its token (as the session set it); runs on the reader. */
    private static Object progressRoute(Notification notification) {
        if (!"notifications/progress".equals(notification.method()) || notification.params() == null) {
            return null;
        }
        JsonNode token = notification.params().get("progressToken");
        if (token == null) {
            return null;
        }
        if (token.isIntegralNumber() && token.canConvertToLong()) {
            return token.longValue();
        }
        return token.isTextual() ? token.textValue() : null;
    }

    private <T> List<T> listAll(String method, String field, Class<T> type) {
        List<T> all = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            RequestId id = nextId();
            ObjectNode params = cursor == null ? null : McpJson.object().put("cursor", cursor);
            JsonNode result = send(method, params, RequestOptions.DEFAULT, id);
            all.addAll(mapList(method, id, result.path(field), type));
            JsonNode next = result.get("nextCursor");
            if (next == null || next.isNull()) {
                return all;
            }
            if (!next.isTextual()) {
                throw violation(method, id, "nextCursor is not a string: " + next, null);
            }
            cursor = next.textValue();
            if (!cursors.add(cursor)) {
                throw violation(method, id, "nextCursor " + cursor + " was already given: the list does not end",
                        null);
            }
        }
        throw violation(method, null, "more than " + MAX_PAGES + " pages", null);
    }

    private <T> List<T> mapList(String method, RequestId id, JsonNode array, Class<T> type) {
        if (!array.isArray()) {
            throw violation(method, id, "expected an array of " + type.getSimpleName() + ", got " + array, null);
        }
        List<T> items = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            items.add(map(method, id, item, type));
        }
        return items;
    }

    private <T> T map(String method, RequestId id, JsonNode json, Class<T> type) {
        try {
            return McpJson.read(json, type);
        } catch (IllegalArgumentException e) {
            throw violation(method, id, e.getMessage(), e);
        }
    }

    private ProtocolViolationException violation(String method, RequestId id, String what, Throwable cause) {
        return new ProtocolViolationException(what, method, id, describe(), cause);
    }

    // ---- the server's requests and notifications (handler and dispatcher threads) ---------------------------------

    private JsonNode onSampling(IncomingRequest request) throws Exception {
        SamplingRequest sampling = McpJson.read(request.params(), SamplingRequest.class);
        SamplingResult result = options.sampling().createMessage(sampling);
        if (result == null) {
            throw new RpcErrorException(RpcError.internalError("the sampling handler returned no result"));
        }
        return McpJson.tree(result);
    }

    private JsonNode onElicitation(IncomingRequest request) throws Exception {
        JsonNode params = request.params() == null ? McpJson.object() : request.params();
        String mode = params.path("mode").asText("form");
        ElicitationRequest elicitation = switch (mode) {
            case "form" -> new ElicitationRequest.Form(params.path("message").asText(""),
                    params.path("requestedSchema"), params.get("_meta"));
            case "url" -> {
                if (!params.path("url").isTextual() || !params.path("elicitationId").isTextual()) {
                    throw new IllegalArgumentException("URL mode needs url and elicitationId");
                }
                yield new ElicitationRequest.Url(params.path("message").asText(""), params.get("url").textValue(),
                        params.get("elicitationId").textValue(), params.get("_meta"));
            }
            default -> throw new IllegalArgumentException("unknown elicitation mode " + mode);
        };
        ElicitationResult result = options.elicitation().elicit(elicitation);
        if (result == null) {
            throw new RpcErrorException(RpcError.internalError("the elicitation handler returned no result"));
        }
        ObjectNode answer = McpJson.object().put("action", result.action().wireName());
        if (result.action() == ElicitationResult.Action.ACCEPT && elicitation instanceof ElicitationRequest.Form form) {
            ObjectNode content = McpJson.MAPPER.valueToTree(result.content());
            if (options.applyElicitationDefaults()) {
                ElicitationDefaults.fill(form.requestedSchema(), content);
            }
            answer.set("content", content);
        }
        return answer;
    }

    private JsonNode onRootsList(IncomingRequest request) throws Exception {
        List<Root> roots = options.roots().roots();
        ObjectNode result = McpJson.object();
        ArrayNode array = result.putArray("roots");
        for (Root root : roots == null ? List.<Root>of() : roots) {
            array.add(McpJson.tree(root));
        }
        return result;
    }

    /** Runs on the connection's dispatcher thread, in arrival order. */
    private void onNotification(Notification notification) {
        ServerEvents events = options.events();
        JsonNode params = notification.params() == null ? McpJson.object() : notification.params();
        switch (notification.method()) {
            case "notifications/message" -> events.onLog(McpJson.read(params, LogMessage.class));
            case "notifications/tools/list_changed" -> events.onToolsChanged();
            case "notifications/resources/list_changed" -> events.onResourcesChanged();
            case "notifications/prompts/list_changed" -> events.onPromptsChanged();
            case "notifications/resources/updated" -> events.onResourceUpdated(params.path("uri").asText());
            case "notifications/elicitation/complete" ->
                    events.onElicitationComplete(params.path("elicitationId").asText());
            default -> events.onNotification(notification.method(), params);
        }
    }
}
