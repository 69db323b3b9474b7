package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.IncomingRequest;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.jsonrpc.RpcException;
import dev.weft.jsonrpc.Transport;
import dev.weft.transport.HttpServerSession;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Completion;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.ProtocolVersions;
import dev.weft.mcp.ResourceContents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of one MCP session: a {@link Connection} whose request handlers answer the protocol's methods from
 * the server's current {@link Registry}.
 *
 * <p>Each request runs on a virtual thread of its own (the connection forks it), so a slow tool delays nobody else, in
 * this session or another; a cancel from the client interrupts it. Nothing here takes a lock while serving: the
 * registry is an immutable snapshot, and the session's own state is volatile fields and concurrent sets.
 *
 * <p>Thread-safe.
 */
final class ServerSession implements ServedSession {
    private static final System.Logger LOG = System.getLogger(McpServer.class.getName());
    private static final int PAGE_SIZE = 100;
    /** MCP's error code for a resource that does not exist. */
    static final int RESOURCE_NOT_FOUND = -32002;

    private record Handshake(String protocolVersion, Implementation clientInfo, JsonNode capabilities) {
    }

    private final McpServer server;
    private final Transport transport;
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private volatile Connection connection; // set once by open, before any handler can need it
    private volatile Handshake handshake; // null until initialize
    private volatile LogLevel logLevel; // null until the client sets one: every level is sent

    private ServerSession(McpServer server, Transport transport) {
        this.server = server;
        this.transport = transport;
    }

    /** Serves {@code transport}: opens the connection (its reader starts) and returns at once. */
    static ServerSession open(McpServer server, Transport transport) {
        ServerSession session = new ServerSession(server, transport);
        session.connection = Connection.open(transport, session.options());
        return session;
    }

    private ConnectionOptions options() {
        return ConnectionOptions.DEFAULT.withName("weft-mcp-server")
                .withDefaultTimeout(server.requestTimeout())
                .withCancelProtocol(McpProtocol.cancellation())
                .withRequestHandler("initialize", this::initialize)
                .withRequestHandler("ping", request -> McpProtocol.mapper().createObjectNode())
                .withRequestHandler("tools/list", request -> page(request, "tools", server.registry().tools()
                        .values().stream().map(t -> McpProtocol.toJson(t.tool())).toList()))
                .withRequestHandler("tools/call", this::callTool)
                .withRequestHandler("resources/list", request -> page(request, "resources", server.registry()
                        .resources().values().stream().map(r -> McpProtocol.toJson(r.resource())).toList()))
                .withRequestHandler("resources/templates/list", request -> page(request, "resourceTemplates",
                        server.registry().templates().stream().map(t -> McpProtocol.toJson(t.template())).toList()))
                .withRequestHandler("resources/read", this::readResource)
                .withRequestHandler("resources/subscribe", request -> {
                    subscriptions.add(requiredText(request.params(), "uri"));
                    return McpProtocol.mapper().createObjectNode();
                })
                .withRequestHandler("resources/unsubscribe", request -> {
                    subscriptions.remove(requiredText(request.params(), "uri"));
                    return McpProtocol.mapper().createObjectNode();
                })
                .withRequestHandler("prompts/list", request -> page(request, "prompts", server.registry().prompts()
                        .values().stream().map(p -> McpProtocol.toJson(p.prompt())).toList()))
                .withRequestHandler("prompts/get", this::getPrompt)
                .withRequestHandler("completion/complete", this::complete)
                .withRequestHandler("logging/setLevel", request -> {
                    logLevel = LogLevel.parse(requiredText(request.params(), "level"));
                    return McpProtocol.mapper().createObjectNode();
                })
                .withNotificationHandler("notifications/initialized", n -> LOG.log(System.Logger.Level.DEBUG,
                        () -> describe() + ": client initialized"))
                .withOtherNotifications(n -> LOG.log(System.Logger.Level.DEBUG,
                        () -> describe() + ": notification " + n.method() + " ignored"));
    }

    // ---- handlers -------------------------------------------------------------------------------------------------

    private JsonNode initialize(IncomingRequest request) throws InterruptedException {
        JsonNode params = request.params();
        String asked = params == null ? null : params.path("protocolVersion").asText(null);
        String version = asked != null && ProtocolVersions.SUPPORTED.contains(asked) ? asked : ProtocolVersions.LATEST;
        Implementation client;
        try {
            client = McpProtocol.fromJson(params == null ? null : params.get("clientInfo"), Implementation.class);
        } catch (IllegalArgumentException e) {
            throw RpcErrorException.invalidParams("clientInfo: " + e.getMessage());
        }
        for (SharedContext<?> shared : server.sharedContexts()) {
            try {
                shared.get(); // the first session builds it; the others wait for that build only
            } catch (SharedContextException e) {
                LOG.log(System.Logger.Level.WARNING, describe() + ": " + e.getMessage(), e.getCause());
                throw new RpcErrorException(RpcError.internalError("Internal error: " + e.getMessage()));
            }
        }
        handshake = new Handshake(version, client, params == null ? null : params.get("capabilities"));
        ObjectNode result = McpProtocol.mapper().createObjectNode();
        result.put("protocolVersion", version);
        result.set("capabilities", server.capabilities());
        result.set("serverInfo", McpProtocol.toJson(server.info()));
        if (server.instructions() != null) {
            result.put("instructions", server.instructions());
        }
        LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": session with " + client.name() + " "
                + client.version() + ", protocol " + version);
        return result;
    }

    private JsonNode callTool(IncomingRequest request) throws InterruptedException {
        JsonNode params = request.params();
        String name = requiredText(params, "name");
        Registry.RegisteredTool tool = server.registry().tools().get(name);
        if (tool == null) {
            throw RpcErrorException.invalidParams("Unknown tool: " + name);
        }
        JsonNode arguments = params.get("arguments");
        if (arguments == null || arguments.isNull()) {
            arguments = McpProtocol.mapper().createObjectNode();
        } else if (!arguments.isObject()) {
            throw RpcErrorException.invalidParams("arguments of " + name + " must be an object");
        }
        List<String> problems = ToolSchemas.problems(tool.inputSchema(), arguments);
        if (!problems.isEmpty()) { // a tool's input errors are its results, so that the model can correct itself
            return McpProtocol.toJson(CallToolResult.error("Invalid arguments for tool " + name + ": "
                    + String.join("; ", problems)));
        }
        CallToolResult result;
        try {
            result = tool.handler().call(arguments, context(request));
        } catch (InterruptedException | RpcErrorException e) {
            throw e;
        } catch (CallCancelledException e) {
            throw interrupted(e); // the tool's own request to the client was cancelled with it
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": tool " + name + " failed: " + e);
            result = CallToolResult.error(message(e));
        }
        return McpProtocol.toJson(result != null ? result : new CallToolResult(List.of(), null, false, null));
    }

    private JsonNode readResource(IncomingRequest request) throws Exception {
        String uri = requiredText(request.params(), "uri");
        Registry registry = server.registry();
        List<ResourceContents> contents = null;
        Registry.RegisteredResource fixed = registry.resources().get(uri);
        if (fixed != null) {
            contents = fixed.handler().read(uri, Map.of(), context(request));
        } else {
            for (Registry.RegisteredTemplate template : registry.templates()) {
                Map<String, String> variables = template.matcher().match(uri);
                if (variables != null) {
                    contents = template.handler().read(uri, variables, context(request));
                    break;
                }
            }
            if (contents == null) {
                throw new RpcErrorException(new RpcError(RESOURCE_NOT_FOUND, "Resource not found",
                        McpProtocol.mapper().createObjectNode().put("uri", uri)));
            }
        }
        ObjectNode result = McpProtocol.mapper().createObjectNode();
        result.set("contents", McpProtocol.toJson(contents == null ? List.of() : contents));
        return result;
    }

    private JsonNode getPrompt(IncomingRequest request) throws Exception {
        JsonNode params = request.params();
        String name = requiredText(params, "name");
        Registry.RegisteredPrompt prompt = server.registry().prompts().get(name);
        if (prompt == null) {
            throw RpcErrorException.invalidParams("Unknown prompt: " + name);
        }
        Map<String, String> arguments = strings(params.get("arguments"), "arguments");
        if (prompt.prompt().arguments() != null) {
            for (var argument : prompt.prompt().arguments()) {
                if (argument.required() && !arguments.containsKey(argument.name())) {
                    throw RpcErrorException.invalidParams("prompt " + name + " needs argument " + argument.name());
                }
            }
        }
        PromptResult result = prompt.handler().get(arguments, context(request));
        return McpProtocol.toJson(result != null ? result : new PromptResult(null, List.of(), null));
    }

    private JsonNode complete(IncomingRequest request) throws Exception {
        JsonNode params = request.params();
        JsonNode ref = params == null ? null : params.get("ref");
        if (ref == null || !ref.isObject()) {
            throw RpcErrorException.invalidParams("completion/complete needs a ref");
        }
        Completion.Reference reference = switch (ref.path("type").asText("")) {
            case "ref/prompt" -> Completion.Reference.prompt(requiredText(ref, "name"));
            case "ref/resource" -> Completion.Reference.resourceTemplate(requiredText(ref, "uri"));
            default -> throw RpcErrorException.invalidParams("unknown ref type " + ref.path("type"));
        };
        JsonNode argument = params.get("argument");
        String argumentName = requiredText(argument, "name");
        String value = argument.path("value").asText("");
        Map<String, String> resolved = strings(params.path("context").get("arguments"), "context.arguments");
        CompletionHandler handler = server.completions();
        Completion completion = handler == null ? null
                : handler.complete(reference, argumentName, value, resolved, context(request));
        ObjectNode result = McpProtocol.mapper().createObjectNode();
        result.set("completion", McpProtocol.toJson(completion != null ? completion
                : new Completion(List.of(), null, false)));
        return result;
    }

    // ---- what the server sends --------------------------------------------------------------------------------------

    /** Sends a log message related to {@code relatedTo} (or to nothing), if the client's level lets it through. */
    void log(Connection on, LogLevel level, String logger, Object data, RequestId relatedTo) {
        LogLevel threshold = logLevel;
        if (threshold != null && level.ordinal() < threshold.ordinal()) {
            return;
        }
        ObjectNode params = McpProtocol.mapper().createObjectNode();
        params.put("level", level.wireName());
        if (logger != null) {
            params.put("logger", logger);
        }
        params.set("data", McpProtocol.toJson(data));
        on.notify("notifications/message", params, relatedTo);
    }

    /** Sends an unrelated notification; a session that has ended is skipped quietly. */
    void notifyUnrelated(String method, JsonNode params) {
        if (handshake == null || !connection.isOpen()) {
            return; // not initialized yet, or gone: it will list afresh, or never again
        }
        try {
            connection.notify(method, params, null);
        } catch (RpcException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": " + method + " not sent: " + e);
        }
    }

    /**
     * Closes the stream that carries the answer to {@code requestId}, when the transport has one per request
     * (Streamable HTTP); the request goes on, and the client resumes the stream. {@code false} when there is none.
     */
    boolean closeStream(RequestId requestId) {
        return transport instanceof HttpServerSession http && http.closeStream(requestId);
    }

    boolean subscribedTo(String uri) {
        return subscriptions.contains(uri);
    }

    /**
     * @throws UnsupportedOperationException if the client's capabilities lack {@code path}
     */
    void requireClientCapability(String... path) {
        Handshake h = handshake;
        JsonNode node = h == null ? null : h.capabilities();
        for (String step : path) {
            node = node == null ? null : node.get(step);
        }
        if (node == null || node.isNull()) {
            throw new UnsupportedOperationException("the client did not declare the capability "
                    + String.join(".", path) + " on " + describe());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private RequestContext context(IncomingRequest request) {
        return new RequestContext(this, request.connection(), request.id(), request.params());
    }

    /** A page of {@code items} under {@code field}, from the request's cursor, with the next cursor if more remain. */
    private static JsonNode page(IncomingRequest request, String field, List<JsonNode> items) {
        int from = 0;
        JsonNode cursor = request.params() == null ? null : request.params().get("cursor");
        if (cursor != null && !cursor.isNull()) {
            try {
                from = Integer.parseInt(cursor.asText());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > items.size()) {
                throw RpcErrorException.invalidParams("invalid cursor " + cursor);
            }
        }
        int to = Math.min(items.size(), from + PAGE_SIZE);
        ObjectNode result = McpProtocol.mapper().createObjectNode();
        ArrayNode array = result.putArray(field);
        items.subList(from, to).forEach(array::add);
        if (to < items.size()) {
            result.put("nextCursor", Integer.toString(to));
        }
        return result;
    }

    private static String requiredText(JsonNode params, String field) {
        JsonNode value = params == null ? null : params.get(field);
        if (value == null || !value.isTextual()) {
            throw RpcErrorException.invalidParams("\"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private static Map<String, String> strings(JsonNode object, String what) {
        Map<String, String> values = new LinkedHashMap<>();
        if (object == null || object.isNull()) {
            return values;
        }
        if (!object.isObject()) {
            throw RpcErrorException.invalidParams("\"" + what + "\" must be an object");
        }
        object.properties().forEach(e -> values.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue()
                : e.getValue().toString()));
        return values;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static InterruptedException interrupted(Exception cause) {
        InterruptedException e = new InterruptedException("cancelled: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    // ---- ServedSession ------------------------------------------------------------------------------------------------

    @Override
    public Optional<Implementation> clientInfo() {
        Handshake h = handshake;
        return Optional.ofNullable(h == null ? null : h.clientInfo());
    }

    @Override
    public Optional<String> protocolVersion() {
        Handshake h = handshake;
        return Optional.ofNullable(h == null ? null : h.protocolVersion());
    }

    String protocolVersionOrLatest() {
        return protocolVersion().orElse(ProtocolVersions.LATEST);
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public Throwable awaitClosed() throws InterruptedException {
        return connection.awaitClosed();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String describe() {
        return connection.describe();
    }

    @Override
    public String toString() {
        return "ServerSession[" + describe() + "]";
    }
}
