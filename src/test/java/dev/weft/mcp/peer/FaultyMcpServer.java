package dev.weft.mcp.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CancelProtocol;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.IncomingRequest;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.jsonrpc.Transport;
import dev.weft.transport.StdioTransport;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedTransferQueue;

/**
 * An MCP server for tests, built on our own {@link Connection}, that misbehaves on demand: what the real peers cannot
 * do when asked. It runs in-process over a memory transport ({@link #serve(Transport, Options)}) or as a process over
 * stdio ({@link #main}: {@code FaultyMcpServer [--version V] [--hang-initialize] [--pages N]}).
 *
 * <p>Tools: {@code echo {message}}; {@code steps {steps}} (progress {@code i/steps} on the request's token, then
 * the answer); {@code fail} (an {@code isError} result); {@code error} (JSON-RPC error -32000); {@code hang} (never
 * answers, after a first progress notification when the call asks for progress; records the cancel it gets); {@code sample} (asks the client for sampling and returns its text);
 * {@code elicit} (asks the client for a form with defaults and returns its answer); {@code roots} (asks for roots);
 * {@code log {n}} (n log notifications, then the answer); and, over stdio only, {@code crash {code}} (writes to stderr
 * and exits), {@code close-stdout} (closes stdout and stays alive), {@code grandchild} (leaves {@code sleep 600}
 * holding stdout and exits), {@code garbage} (writes a line that is not JSON, then answers), {@code huge {bytes}}
 * (answers with a text of that size).
 */
public final class FaultyMcpServer {
    /** How to behave; immutable. */
    public record Options(String protocolVersion, boolean hangInitialize, int pages, boolean stdio) {
        public static Options defaults() {
            return new Options(null, false, 1, false);
        }

        public Options withProtocolVersion(String version) {
            return new Options(version, hangInitialize, pages, stdio);
        }

        /** Never answers {@code initialize}: a server that starts too slowly for any timeout. */
        public Options withHangingInitialize() {
            return new Options(protocolVersion, true, pages, stdio);
        }

        public Options withPages(int pages) {
            return new Options(protocolVersion, hangInitialize, pages, stdio);
        }
    }

    static final CancelProtocol CANCELLED = new CancelProtocol() {
        @Override
        public String method() {
            return "notifications/cancelled";
        }

        @Override
        public Notification cancel(RequestId id, String method, String reason) {
            return null; // this server never cancels its own requests
        }

        @Override
        public RequestId cancelledId(Notification cancel) {
            JsonNode id = cancel.params() == null ? null : cancel.params().get("requestId");
            if (id == null) {
                return null;
            }
            return id.isNumber() ? RequestId.of(id.longValue()) : RequestId.of(id.asText());
        }
    };

    private final Options options;
    /** Every cancel notification received, in order: {@code requestId} and {@code reason}. */
    public final LinkedTransferQueue<JsonNode> cancels = new LinkedTransferQueue<>();
    /** Requests received, by method, in order. */
    public final LinkedTransferQueue<String> methods = new LinkedTransferQueue<>();
    /** Counts down when a {@code hang} call starts. */
    public final ConcurrentHashMap<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private volatile Connection connection;

    private FaultyMcpServer(Options options) {
        this.options = options;
    }

    /** Serves over {@code transport} until it ends; returns at once. Close the returned connection to stop. */
    public static FaultyMcpServer serve(Transport transport, Options options) {
        FaultyMcpServer server = new FaultyMcpServer(options);
        server.connection = Connection.open(transport, server.connectionOptions());
        return server;
    }

    /** The server's side of the connection. */
    public Connection connection() {
        return connection;
    }

    /** Blocks until a call of tool {@code name} has started. */
    public void awaitStarted(String name) throws InterruptedException {
        started.computeIfAbsent(name, k -> new CountDownLatch(1)).await();
    }

    private ConnectionOptions connectionOptions() {
        ConnectionOptions c = ConnectionOptions.DEFAULT.withName("weft-test-server")
                .withCancelProtocol(CANCELLED)
                .withRequestHandler("initialize", this::initialize)
                .withRequestHandler("ping", r -> object())
                .withRequestHandler("tools/list", this::toolsList)
                .withRequestHandler("tools/call", this::toolsCall)
                .withOtherNotifications(n -> { });
        return c.withNotificationHandler("notifications/cancelled", n -> { })
                .withNotificationHandler("notifications/initialized", n -> methods.add(n.method()));
    }

    private JsonNode initialize(IncomingRequest request) throws InterruptedException {
        methods.add(request.method());
        if (options.hangInitialize()) {
            new CountDownLatch(1).await(); // until the connection ends and interrupts this handler
        }
        String asked = request.params().path("protocolVersion").asText();
        ObjectNode result = object();
        result.put("protocolVersion", options.protocolVersion() != null ? options.protocolVersion() : asked);
        result.putObject("capabilities").putObject("tools").put("listChanged", true);
        result.putObject("serverInfo").put("name", "faulty").put("version", "1.0.0");
        result.put("instructions", "a server that misbehaves on demand");
        result.set("clientCapabilities", request.params().path("capabilities"));
        return result;
    }

    private JsonNode toolsList(IncomingRequest request) {
        methods.add(request.method());
        List<String> names = List.of("echo", "steps", "fail", "error", "hang", "sample", "elicit", "roots", "log",
                "crash", "close-stdout", "grandchild", "garbage", "huge");
        int pages = options.pages();
        int page = request.params() == null || !request.params().has("cursor") ? 0
                : Integer.parseInt(request.params().get("cursor").asText());
        ObjectNode result = object();
        var tools = result.putArray("tools");
        for (int i = 0; i < names.size(); i++) {
            if (i % pages == page) {
                ObjectNode tool = tools.addObject().put("name", names.get(i));
                tool.putObject("inputSchema").put("type", "object");
                if (names.get(i).equals("echo")) {
                    tool.putObject("annotations").put("readOnlyHint", true);
                }
            }
        }
        if (page + 1 < pages) {
            result.put("nextCursor", Integer.toString(page + 1));
        }
        return result;
    }

    private JsonNode toolsCall(IncomingRequest request) throws Exception {
        methods.add(request.method());
        JsonNode params = request.params();
        String name = params.path("name").asText();
        JsonNode args = params.path("arguments");
        JsonNode token = params.path("_meta").get("progressToken");
        started.computeIfAbsent(name, k -> new CountDownLatch(1)).countDown();
        return switch (name) {
            case "echo" -> text(args.path("message").asText());
            case "steps" -> {
                int steps = args.path("steps").asInt(3);
                for (int i = 1; i <= steps; i++) {
                    if (token != null) {
                        ObjectNode progress = object().put("progress", i).put("total", steps)
                                .put("message", "step " + i);
                        progress.set("progressToken", token);
                        request.connection().notify("notifications/progress", progress);
                    }
                }
                yield text("done after " + steps + " steps");
            }
            case "fail" -> {
                ObjectNode result = text("the tool failed on purpose");
                result.put("isError", true);
                yield result;
            }
            case "error" -> throw new RpcErrorException(new RpcError(-32000, "error on purpose", null));
            case "hang" -> {
                if (token != null) { // tells the client that the call is in flight here
                    ObjectNode progress = object().put("progress", 0).put("message", "hanging");
                    progress.set("progressToken", token);
                    request.connection().notify("notifications/progress", progress);
                }
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    cancels.add(object().put("tool", name));
                    throw e;
                }
                yield object();
            }
            case "sample" -> {
                ObjectNode ask = object().put("maxTokens", 10);
                ask.putArray("messages").addObject().put("role", "user").putObject("content")
                        .put("type", "text").put("text", args.path("prompt").asText("hi"));
                JsonNode answer = request.connection().call("sampling/createMessage", ask);
                yield text(answer.path("content").path("text").asText());
            }
            case "elicit" -> {
                ObjectNode ask = object().put("message", "who are you?");
                ObjectNode schema = ask.putObject("requestedSchema").put("type", "object");
                ObjectNode props = schema.putObject("properties");
                props.putObject("name").put("type", "string").put("default", "John Doe");
                props.putObject("age").put("type", "integer").put("default", 30);
                props.putObject("nickname").put("type", "string");
                JsonNode answer = request.connection().call("elicitation/create", ask);
                yield text(answer.toString());
            }
            case "roots" -> text(request.connection().call("roots/list", null).toString());
            case "log" -> {
                for (int i = 0; i < args.path("n").asInt(1); i++) {
                    request.connection().notify("notifications/message",
                            object().put("level", "info").put("logger", "faulty").put("data", "line " + i));
                }
                yield text("logged");
            }
            case "crash" -> {
                requireStdio(name);
                System.err.println("faulty server: crashing on purpose");
                System.err.flush();
                Runtime.getRuntime().halt(args.path("code").asInt(42));
                yield object();
            }
            case "close-stdout" -> {
                requireStdio(name);
                new FileOutputStream(FileDescriptor.out).close();
                new CountDownLatch(1).await(); // stays alive without stdout
                yield object();
            }
            case "grandchild" -> {
                requireStdio(name);
                new ProcessBuilder("sleep", "600").redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                System.err.println("faulty server: leaving a grandchild behind");
                System.err.flush();
                Runtime.getRuntime().halt(3);
                yield object();
            }
            case "garbage" -> {
                requireStdio(name);
                FileOutputStream out = new FileOutputStream(FileDescriptor.out);
                out.write("this is not JSON\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                yield text("after garbage");
            }
            case "huge" -> text("x".repeat(args.path("bytes").asInt(1 << 20)));
            default -> {
                ObjectNode result = text("Tool " + name + " not found");
                result.put("isError", true);
                yield result;
            }
        };
    }

    private void requireStdio(String tool) throws RpcErrorException {
        if (!options.stdio()) {
            throw new RpcErrorException(RpcError.invalidParams(tool + " works over stdio only"));
        }
    }

    private static ObjectNode text(String text) {
        ObjectNode result = object();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Serves MCP over this process's standard streams until standard input ends. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Options options = new Options(null, false, 1, true);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--version" -> options = options.withProtocolVersion(args[++i]);
                case "--hang-initialize" -> options = options.withHangingInitialize();
                case "--pages" -> options = options.withPages(Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        FaultyMcpServer server = serve(StdioTransport.overSystemStreams(JsonRpcCodec.standard()), options);
        server.connection().awaitClosed();
    }
}
