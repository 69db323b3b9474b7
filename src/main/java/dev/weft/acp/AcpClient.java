package dev.weft.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CancelProtocol;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.IncomingRequest;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.ProtocolViolationException;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.jsonrpc.Transport;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedTransferQueue;
import java.util.function.Consumer;

/**
 * A client of one ACP agent: the agent's process (or any transport), its connection, and the sessions made on it.
 *
 * <pre>{@code
 * try (AcpClient agent = AcpClient.start(List.of("my-agent", "--acp"), AcpClientOptions.defaults()
 *         .withFileSystem(RootedFileSystem.of(project)).withPermissions(PermissionHandler.allowing()))) {
 *     AcpSession session = agent.newSession(project, List.of());
 *     PromptResult result = session.prompt("fix the failing test", update -> screen.show(update));
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * The connection's reader only reads and routes. The agent's {@code session/update}s go to the session's running
 * prompt, whose own thread runs the host's listener (see {@link AcpSession#prompt}); its permission requests run the
 * {@link PermissionHandler} on that same thread; its file system and terminal requests run the host's
 * {@link ClientFileSystem} and {@link ClientTerminals} each on a virtual thread of its own. {@code initialize} is
 * answered before anything else is sent (agents on SDK 2.4 refuse requests before it).
 *
 * <h2>The agent's end</h2>
 * When the agent exits, closes its output, or the transport fails, every request in flight (a prompt included) fails
 * at once with a {@link dev.weft.jsonrpc.TransportClosedException} whose cause is the transport's error (for a process:
 * its exit code and the tail of its standard error). Agents exit on end of input without answering what is open, so
 * nothing waits for an answer that cannot come.
 *
 * <p>Thread-safe: sessions may prompt in parallel, each from its own thread.
 */
public final class AcpClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AcpClient.class.getName());
    /** The ACP version this client speaks. */
    public static final int PROTOCOL_VERSION = 1;
    /** ACP's error code for a session, file or terminal that does not exist. */
    public static final int RESOURCE_NOT_FOUND = -32002;
    /** ACP's error code for a request that needs {@link #authenticate} first. */
    public static final int AUTH_REQUIRED = -32000;
    /**
     * ACP's generic request cancellation, in both directions: an agent that withdraws one of its requests (a permission
     * prompt) interrupts its handler; a prompt is cancelled with {@code session/cancel} instead (see
     * {@link AcpSession}), and this is sent for one only when the client gives up waiting for its answer.
     */
    static final CancelProtocol CANCEL = CancelProtocol.byRequestId("$/cancel_request", false);

    private final AcpClientOptions options;
    private static final int EARLY_SESSIONS = 16;
    private static final int EARLY_UPDATES = 64;

    private final Map<String, AcpSession> sessions = new ConcurrentHashMap<>();
    // updates for sessions not known yet (sent before session/new answered), by session id; the dispatcher adds
    private final Map<String, List<SessionUpdate>> early = new ConcurrentHashMap<>();
    private volatile Connection connection; // set once, before any message can arrive for a session
    private volatile AgentInfo agent;

    private AcpClient(AcpClientOptions options) {
        this.options = options;
    }

    /**
     * Starts the agent {@code argv} (an argument vector, never a shell string) and initializes it.
     *
     * @param argv    the agent's program and arguments
     * @param options the client's options
     * @return the initialized client; any thread may use it
     * @throws IOException if the process cannot be started
     * @throws dev.weft.jsonrpc.RpcException if {@code initialize} fails (the process is then stopped)
     */
    public static AcpClient start(List<String> argv, AcpClientOptions options) throws IOException {
        return start(ProcessSpec.of(argv.toArray(String[]::new)), options);
    }

    /**
     * Starts the agent as {@code spec} says and initializes it; see {@link #start(List, AcpClientOptions)}.
     *
     * @param spec    the agent's command, environment and directory
     * @param options the client's options
     * @return the initialized client; any thread may use it
     * @throws IOException if the process cannot be started
     */
    public static AcpClient start(ProcessSpec spec, AcpClientOptions options) throws IOException {
        return connect(StdioTransport.spawn(spec), options);
    }

    /**
     * Speaks ACP over {@code transport} (which the client owns from now on) and initializes the agent.
     *
     * @param transport the transport, not yet read by anyone
     * @param options   the client's options
     * @return the initialized client; any thread may use it
     * @throws dev.weft.jsonrpc.RpcException if {@code initialize} fails (the transport is then closed)
     */
    public static AcpClient connect(Transport transport, AcpClientOptions options) {
        Objects.requireNonNull(transport, "transport");
        AcpClient client = new AcpClient(Objects.requireNonNull(options, "options"));
        client.connection = Connection.open(transport, client.connectionOptions());
        try {
            client.agent = client.initialize();
        } catch (RuntimeException | Error e) {
            client.connection.close();
            throw e;
        }
        return client;
    }

    private ConnectionOptions connectionOptions() {
        ConnectionOptions connectionOptions = ConnectionOptions.DEFAULT.withName(options.name())
                .withDefaultTimeout(options.requestTimeout())
                .withCancelProtocol(CANCEL)
                .withNotificationHandler("session/update", this::onUpdate)
                .withRequestHandler("session/request_permission", this::onPermission);
        if (options.fileSystem() != null) {
            connectionOptions = connectionOptions
                    .withRequestHandler("fs/read_text_file", this::onReadTextFile)
                    .withRequestHandler("fs/write_text_file", this::onWriteTextFile);
        }
        if (options.terminals() != null) {
            connectionOptions = connectionOptions
                    .withRequestHandler("terminal/create", this::onTerminalCreate)
                    .withRequestHandler("terminal/output", this::onTerminalOutput)
                    .withRequestHandler("terminal/wait_for_exit", this::onTerminalWaitForExit)
                    .withRequestHandler("terminal/kill", request -> onTerminal(request, false))
                    .withRequestHandler("terminal/release", request -> onTerminal(request, true));
        }
        return connectionOptions;
    }

    private AgentInfo initialize() {
        ObjectNode params = AcpJson.object();
        params.put("protocolVersion", PROTOCOL_VERSION);
        ObjectNode capabilities = params.putObject("clientCapabilities");
        ObjectNode fs = capabilities.putObject("fs");
        fs.put("readTextFile", options.fileSystem() != null);
        fs.put("writeTextFile", options.fileSystem() != null);
        capabilities.put("terminal", options.terminals() != null);
        params.putObject("clientInfo").put("name", options.clientName()).put("version", options.clientVersion());
        JsonNode result = connection.call("initialize", params);
        AgentInfo info;
        try {
            info = AcpJson.read(result, AgentInfo.class);
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException("initialize result is not valid: " + e.getMessage(), "initialize",
                    null, connection.describe(), e);
        }
        if (info.protocolVersion() != PROTOCOL_VERSION) {
            throw new ProtocolViolationException("the agent speaks ACP version " + info.protocolVersion()
                    + "; this client speaks " + PROTOCOL_VERSION, "initialize", null, connection.describe(), null);
        }
        return info;
    }

    /** {@return what the agent said about itself when it was initialized} */
    public AgentInfo agent() {
        return agent;
    }

    /**
     * Authenticates with one of the agent's {@linkplain AgentInfo#authMethods() methods}.
     *
     * @param methodId the method's {@linkplain AgentInfo.AuthMethod#id() id}
     * @throws dev.weft.jsonrpc.PeerErrorException if the agent refuses
     */
    public void authenticate(String methodId) {
        ObjectNode params = AcpJson.object();
        params.put("methodId", Objects.requireNonNull(methodId, "methodId"));
        connection.call("authenticate", params);
    }

    /**
     * Makes a new session working in {@code cwd}.
     *
     * @param cwd        the session's working directory; made absolute
     * @param mcpServers MCP servers the agent should connect to for this session
     * @return the session
     */
    public AcpSession newSession(Path cwd, List<McpServerConfig> mcpServers) {
        ObjectNode params = sessionParams(null, cwd, mcpServers);
        JsonNode result = connection.call("session/new", params);
        String sessionId;
        try {
            sessionId = AcpJson.text(result, "sessionId");
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException("session/new result is not valid: " + e.getMessage(), "session/new",
                    null, connection.describe(), e);
        }
        AcpSession session = new AcpSession(this, sessionId, cwd.toAbsolutePath(), modesOf(result));
        sessions.put(sessionId, session);
        List<SessionUpdate> before = early.remove(sessionId);
        if (before != null) { // sent before the answer that named the session: all queued by now (see onUpdate)
            before.forEach(session::noteBetweenPrompts);
        }
        return session;
    }

    /**
     * Loads a session the agent kept: the agent replays its history, which {@code replay} receives on the calling
     * thread, in order, before this method returns.
     *
     * @param sessionId  the agent's id of the session
     * @param cwd        the session's working directory; made absolute
     * @param mcpServers MCP servers the agent should connect to for this session
     * @param replay     receives the session's history
     * @return the session
     * @throws UnsupportedOperationException if the agent cannot load sessions
     * @throws IllegalStateException         if this client has that session open already
     */
    public AcpSession loadSession(String sessionId, Path cwd, List<McpServerConfig> mcpServers,
                                  Consumer<SessionUpdate> replay) {
        Objects.requireNonNull(replay, "replay");
        if (!agent.agentCapabilities().loadSession()) {
            throw new UnsupportedOperationException(connection.describe() + ": the agent cannot load sessions");
        }
        LinkedTransferQueue<SessionUpdate> replayed = new LinkedTransferQueue<>();
        AcpSession session = new AcpSession(this, sessionId, cwd.toAbsolutePath(), null);
        session.listenBetweenPrompts(replayed::offer); // on the dispatcher: only queues
        if (sessions.putIfAbsent(sessionId, session) != null) {
            throw new IllegalStateException("session " + AcpSession.shortId(sessionId) + " is open already");
        }
        JsonNode result;
        try {
            result = connection.call("session/load", sessionParams(sessionId, cwd, mcpServers));
        } catch (RuntimeException | Error e) {
            sessions.remove(sessionId, session);
            throw e;
        }
        // The answer came after every replayed update was queued: give them to the host here, in order.
        session.listenBetweenPrompts(null);
        session.modesLoaded(modesOf(result));
        SessionUpdate update;
        while ((update = replayed.poll()) != null) {
            session.noteBetweenPrompts(update);
            replay.accept(update);
        }
        return session;
    }

    private ObjectNode sessionParams(String sessionId, Path cwd, List<McpServerConfig> mcpServers) {
        ObjectNode params = AcpJson.object();
        if (sessionId != null) {
            params.put("sessionId", sessionId);
        }
        params.put("cwd", cwd.toAbsolutePath().normalize().toString());
        ArrayNode servers = params.putArray("mcpServers");
        for (McpServerConfig server : mcpServers) {
            servers.add(AcpJson.tree(McpServerConfig.toWire(server)));
        }
        return params;
    }

    private static SessionModes modesOf(JsonNode result) {
        JsonNode modes = result == null ? null : result.get("modes");
        if (modes == null || !modes.isObject()) {
            return null;
        }
        try {
            return AcpJson.read(modes, SessionModes.class);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "unreadable session modes ignored: " + e.getMessage());
            return null;
        }
    }

    /**
     * {@return the open session {@code sessionId}, if this client has it}
     *
     * @param sessionId the agent's id of the session
     */
    public Optional<AcpSession> session(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /** {@return whether the agent's connection is still open} */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** {@return why the connection ended, once it has: the transport's error, or the client's close} */
    public Optional<Throwable> closedCause() {
        return connection.closedCause();
    }

    /** {@return what the client speaks to: the agent's command line, or the transport's description} */
    public String describe() {
        return connection.describe();
    }

    /**
     * Closes the client: the connection ends (every prompt in flight fails), the agent's process is stopped (its
     * standard input closed, then signals after a grace period), and every terminal of its sessions is killed.
     * Idempotent; any thread.
     */
    @Override
    public void close() {
        connection.close();
        for (AcpSession session : sessions.values()) {
            session.closeLocally();
        }
        sessions.clear();
    }

    @Override
    public String toString() {
        return "AcpClient[" + describe() + (isOpen() ? "" : ", closed") + "]";
    }

    // ---- for sessions -------------------------------------------------------------------------------------------------

    Connection connection() {
        return connection;
    }

    /** {@return the options the client was made with} */
    public AcpClientOptions options() {
        return options;
    }

    void forget(AcpSession session) {
        sessions.remove(session.id(), session);
        if (options.terminals() != null) {
            options.terminals().releaseAll(session.id());
        }
    }

    // ---- the agent's messages; each on a connection thread, never the reader --------------------------------------------

    /** On the connection's dispatcher: files the update with its session (queues it; runs no host code but a session's). */
    private void onUpdate(Notification notification) {
        JsonNode params = notification.params();
        String sessionId = params == null ? null : params.path("sessionId").asText(null);
        AcpSession session = sessionId == null ? null : sessions.get(sessionId);
        SessionUpdate update;
        try {
            update = SessionUpdate.of(params.get("update"));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, () -> describe() + ": malformed session/update dropped: "
                    + e.getMessage());
            return;
        }
        if (session == null) {
            if (sessionId == null || !keepEarly(sessionId, update)) {
                LOG.log(System.Logger.Level.DEBUG, () -> describe() + ": session/update for unknown session "
                        + AcpSession.shortId(sessionId) + " dropped");
            }
            return;
        }
        session.onUpdate(update);
    }

    /**
     * Keeps an update for a session the client does not know yet: agents announce a new session's commands and modes
     * as it is made, sometimes before {@code session/new} answers. Bounded: a few sessions, a few updates each.
     */
    private boolean keepEarly(String sessionId, SessionUpdate update) {
        if (early.size() >= EARLY_SESSIONS && !early.containsKey(sessionId)) {
            return false;
        }
        List<SessionUpdate> kept = early.computeIfAbsent(sessionId, id -> new CopyOnWriteArrayList<>());
        if (kept.size() >= EARLY_UPDATES) {
            return false;
        }
        kept.add(update);
        return true;
    }

    private JsonNode onPermission(IncomingRequest request) throws InterruptedException {
        AcpSession session = sessionOf(request);
        JsonNode params = request.params();
        List<PermissionOption> offered;
        SessionUpdate.ToolCallUpdate toolCall;
        try {
            offered = List.of(AcpJson.MAPPER.treeToValue(params.path("options"), PermissionOption[].class));
            toolCall = AcpJson.read(params.get("toolCall"), SessionUpdate.ToolCallUpdate.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw RpcErrorException.invalidParams("Invalid params: " + e.getMessage());
        }
        PermissionOutcome outcome = session.requestPermission(toolCall, offered);
        ObjectNode answer = AcpJson.object();
        ObjectNode wire = answer.putObject("outcome");
        switch (outcome) {
            case PermissionOutcome.Selected selected -> wire.put("outcome", "selected")
                    .put("optionId", selected.optionId());
            case PermissionOutcome.Cancelled cancelled -> wire.put("outcome", "cancelled");
        }
        return answer;
    }

    private JsonNode onReadTextFile(IncomingRequest request) throws IOException {
        AcpSession session = sessionOf(request);
        JsonNode params = request.params();
        Path path = pathOf(params);
        Integer line = params.hasNonNull("line") ? params.get("line").asInt() : null;
        Integer limit = params.hasNonNull("limit") ? params.get("limit").asInt() : null;
        try {
            String content = options.fileSystem().readTextFile(session.id(), path, line, limit);
            return AcpJson.object().put("content", content);
        } catch (NoSuchFileException e) {
            throw notFound("Resource not found: " + path);
        } catch (IOException e) {
            throw new RpcErrorException(RpcError.internalError("cannot read " + path + ": " + e.getMessage()));
        }
    }

    private JsonNode onWriteTextFile(IncomingRequest request) throws IOException {
        AcpSession session = sessionOf(request);
        JsonNode params = request.params();
        Path path = pathOf(params);
        JsonNode content = params.get("content");
        if (content == null || !content.isTextual()) {
            throw RpcErrorException.invalidParams("Invalid params: content must be a string");
        }
        try {
            options.fileSystem().writeTextFile(session.id(), path, content.asText());
            return null;
        } catch (NoSuchFileException e) {
            throw notFound("Resource not found: " + path);
        } catch (IOException e) {
            throw new RpcErrorException(RpcError.internalError("cannot write " + path + ": " + e.getMessage()));
        }
    }

    private JsonNode onTerminalCreate(IncomingRequest request) {
        AcpSession session = sessionOf(request);
        JsonNode params = request.params();
        String command = params.path("command").asText(null);
        if (command == null || command.isEmpty()) {
            throw RpcErrorException.invalidParams("Invalid params: command must be a non-empty string");
        }
        List<String> args = new ArrayList<>();
        for (JsonNode arg : params.path("args")) {
            args.add(arg.asText());
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : params.path("env")) {
            env.put(variable.path("name").asText(), variable.path("value").asText());
        }
        String cwd = params.hasNonNull("cwd") ? params.get("cwd").asText() : null;
        Long limit = params.hasNonNull("outputByteLimit") ? params.get("outputByteLimit").asLong() : null;
        try {
            String id = options.terminals().create(session.id(),
                    new ClientTerminals.TerminalRequest(command, args, env, cwd, limit));
            return AcpJson.object().put("terminalId", id);
        } catch (IOException e) {
            throw new RpcErrorException(RpcError.internalError("cannot run " + command + ": " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw RpcErrorException.invalidParams("Invalid params: " + e.getMessage());
        }
    }

    private JsonNode onTerminalOutput(IncomingRequest request) {
        AcpSession session = sessionOf(request);
        ClientTerminals.TerminalOutput output = options.terminals().output(session.id(), terminalIdOf(request));
        ObjectNode answer = AcpJson.object();
        answer.put("output", output.output()).put("truncated", output.truncated());
        if (output.exitStatus() != null) {
            answer.set("exitStatus", exitStatus(output.exitStatus()));
        }
        return answer;
    }

    private JsonNode onTerminalWaitForExit(IncomingRequest request) throws InterruptedException {
        AcpSession session = sessionOf(request);
        return exitStatus(options.terminals().waitForExit(session.id(), terminalIdOf(request)));
    }

    private JsonNode onTerminal(IncomingRequest request, boolean release) {
        AcpSession session = sessionOf(request);
        if (release) {
            options.terminals().release(session.id(), terminalIdOf(request));
        } else {
            options.terminals().kill(session.id(), terminalIdOf(request));
        }
        return null;
    }

    private static ObjectNode exitStatus(ClientTerminals.ExitStatus status) {
        ObjectNode node = AcpJson.object();
        if (status.exitCode() != null) {
            node.put("exitCode", status.exitCode());
        } else {
            node.putNull("exitCode");
        }
        if (status.signal() != null) {
            node.put("signal", status.signal());
        } else {
            node.putNull("signal");
        }
        return node;
    }

    private AcpSession sessionOf(IncomingRequest request) {
        JsonNode params = request.params();
        String sessionId = params == null ? null : params.path("sessionId").asText(null);
        if (sessionId == null) {
            throw RpcErrorException.invalidParams("Invalid params: sessionId is missing");
        }
        AcpSession session = sessions.get(sessionId);
        if (session == null) {
            throw notFound("Resource not found: session " + sessionId);
        }
        return session;
    }

    private static Path pathOf(JsonNode params) {
        String path = params.path("path").asText(null);
        if (path == null || path.isEmpty()) {
            throw RpcErrorException.invalidParams("Invalid params: path must be a non-empty string");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw RpcErrorException.invalidParams("Invalid params: " + e.getMessage());
        }
    }

    private static String terminalIdOf(IncomingRequest request) {
        String id = request.params().path("terminalId").asText(null);
        if (id == null) {
            throw RpcErrorException.invalidParams("Invalid params: terminalId is missing");
        }
        return id;
    }

    /** ACP's "resource not found", {@code -32002}. */
    static RpcErrorException notFound(String message) {
        return new RpcErrorException(new RpcError(RESOURCE_NOT_FOUND, message));
    }
}
