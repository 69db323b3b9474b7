package dev.weft.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A scriptable MCP Streamable HTTP server on Jetty 12, bound to 127.0.0.1 on an ephemeral port, for the tests of
 * {@link StreamableHttpTransport}.
 *
 * <p>By default it behaves like a stateful MCP server: {@code initialize} gets a JSON result with protocol version
 * {@value #PROTOCOL} and an {@code Mcp-Session-Id} header ({@value #SESSION}); notifications and responses get 202;
 * other requests a JSON result {@code {"echo": <method>}}; the standalone GET 405; DELETE 200. A test scripts each
 * JSON-RPC method with {@link #on}: the script runs on the server's thread for that POST and answers through an
 * {@link Exchange} (JSON, any status, an event stream with messages, priming events and retry, a break, a hang).
 *
 * <p>It records every HTTP request it receives ({@link #received()}), the request ids whose event stream it found closed
 * by the client ({@link #closedStreams()}), and when each resumable stream ended. Thread-safe.
 */
final class FakeMcpHttpServer implements AutoCloseable {
    static final String SESSION = "sess-1a2b3c4d5e6f";
    static final String PROTOCOL = "2025-11-25";
    static final ObjectMapper JSON = new ObjectMapper();
    /** How often a hanging event stream writes a comment, to notice that the client closed it. */
    private static final long HEARTBEAT_MILLIS = 20;
    /** The longest a script waits for anything, so that a broken test cannot wedge the server. */
    private static final Duration SCRIPT_PATIENCE = Duration.ofSeconds(20);

    /** One HTTP request as received. Header names are lower case. */
    record Received(String httpMethod, Map<String, String> headers, String body, JsonNode json, long nanoTime) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The JSON-RPC method, or {@code null} (a response, a GET, a DELETE). */
        String rpcMethod() {
            return json != null && json.hasNonNull("method") ? json.get("method").asText() : null;
        }
    }

    /** What the server does for one HTTP request. */
    @FunctionalInterface
    interface Script {
        void run(Exchange exchange) throws Exception;
    }

    private final Server server;
    private final ServerConnector connector;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Script> scripts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Script> resumeScripts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> streamEnds = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> clientAnswers = new ConcurrentHashMap<>();
    private final Set<String> closedStreams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamIds = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> eventIds = new ConcurrentHashMap<>(); // by stream
    private final AtomicInteger serverRequestIds = new AtomicInteger();
    private volatile String session = SESSION;
    private volatile String protocol = PROTOCOL;
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sessions = new AtomicInteger(1);
    private volatile Script listen = exchange -> exchange.status(405, "");
    private volatile int deleteStatus = 200;

    FakeMcpHttpServer() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(400, 4);
        pool.setName("fake-mcp-http");
        pool.setDaemon(true);
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setStopTimeout(0);
        server.start();
    }

    /** The MCP endpoint: {@code http://127.0.0.1:<port>/mcp}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/mcp");
    }

    /** Scripts the POSTs of JSON-RPC {@code method} (a request or a notification). */
    FakeMcpHttpServer on(String method, Script script) {
        scripts.put(method, script);
        return this;
    }

    /** Scripts the standalone GET stream (a GET without {@code Last-Event-ID}). */
    FakeMcpHttpServer onListen(Script script) {
        listen = script;
        return this;
    }

    /** Answers DELETE with {@code status}. */
    FakeMcpHttpServer deleteStatus(int status) {
        deleteStatus = status;
        return this;
    }

    /** Runs without sessions: no {@code Mcp-Session-Id} in the answer to initialize. */
    FakeMcpHttpServer stateless() {
        session = null;
        return this;
    }

    /** Answers initialize with another protocol version. */
    FakeMcpHttpServer protocol(String version) {
        protocol = version;
        return this;
    }

    /**
     * From now on, every request that carries the current session id gets 404; the next {@code initialize} gets a new
     * id ({@value #SESSION}{@code -2}, {@code -3}, ...).
     */
    void expireSession() {
        String current = session;
        if (current != null) {
            expired.add(current);
            session = SESSION + "-" + sessions.incrementAndGet();
        }
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The POSTs of JSON-RPC {@code method}. */
    List<Received> posts(String method) {
        return received.stream().filter(r -> r.httpMethod().equals("POST") && method.equals(r.rpcMethod())).toList();
    }

    List<Received> requests(String httpMethod) {
        return received.stream().filter(r -> r.httpMethod().equals(httpMethod)).toList();
    }

    /** The ids (as text) of the requests whose event stream the client closed while the server held it open. */
    Set<String> closedStreams() {
        return Set.copyOf(closedStreams);
    }

    /** When the resumable stream {@code streamId} first ended on the server's side ({@link System#nanoTime()}). */
    Long streamEnd(String streamId) {
        return streamEnds.get(streamId);
    }

    /** Drops every connection at once and stops, as a server process that is killed. */
    void kill() throws Exception {
        stopping.countDown();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            endPoint.close();
        }
        server.stop();
    }

    @Override
    public void close() throws Exception {
        stopping.countDown();
        server.stop();
    }

    private void serve(Request request, Response response, Callback callback) {
        Exchange exchange = null;
        try {
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.put(field.getLowerCaseName(), field.getValue());
            }
            JsonNode json = null;
            if (!body.isBlank()) {
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    json = null;
                }
            }
            Received r = new Received(request.getMethod(), headers, body, json, System.nanoTime());
            received.add(r);
            exchange = new Exchange(request, response, callback, r);
            scriptFor(r).run(exchange);
            exchange.finish();
        } catch (Throwable e) {
            if (exchange != null) {
                exchange.abort(e);
            } else {
                callback.failed(e);
            }
        }
    }

    private Script scriptFor(Received r) {
        String sent = r.header("Mcp-Session-Id");
        if (sent != null && expired.contains(sent)) {
            return exchange -> exchange.status(404, "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32001,\"message\":"
                    + "\"Session not found\"},\"id\":null}");
        }
        return switch (r.httpMethod()) {
            case "POST" -> postScript(r);
            case "GET" -> {
                String lastEventId = r.header("Last-Event-ID");
                if (lastEventId == null) {
                    yield listen;
                }
                String stream = lastEventId.substring(0, Math.max(0, lastEventId.lastIndexOf('-')));
                Script resume = resumeScripts.get(stream);
                yield resume == null ? exchange -> exchange.status(400, "unknown stream " + stream)
                        : exchange -> {
                            exchange.streamId = stream;
                            exchange.resumable = true;
                            resume.run(exchange);
                        };
            }
            case "DELETE" -> exchange -> exchange.status(deleteStatus, "");
            default -> exchange -> exchange.status(405, "");
        };
    }

    private Script postScript(Received r) {
        JsonNode json = r.json();
        if (json == null || !json.isObject()) {
            return exchange -> exchange.status(400, "not a JSON-RPC message");
        }
        String method = r.rpcMethod();
        if (method == null) { // a response to one of our requests
            CompletableFuture<JsonNode> waiting = clientAnswers.computeIfAbsent(json.path("id").asText(),
                    id -> new CompletableFuture<>());
            waiting.complete(json);
            return exchange -> exchange.status(202, "");
        }
        Script script = scripts.get(method);
        if (script != null) {
            return script;
        }
        if (!json.has("id")) {
            return exchange -> exchange.status(202, "");
        }
        if (method.equals("initialize")) {
            return exchange -> {
                if (session != null) {
                    exchange.header("Mcp-Session-Id", session);
                }
                exchange.result(obj("protocolVersion", protocol, "capabilities", obj(),
                        "serverInfo", obj("name", "fake", "version", "1")));
            };
        }
        return exchange -> exchange.result(obj("echo", method));
    }

    /** One HTTP request being answered; used by scripts on the server's thread. */
    final class Exchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Received received;
        private OutputStream out;
        private boolean done;
        String streamId;
        boolean resumable;

        Exchange(Request request, Response response, Callback callback, Received received) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.received = received;
        }

        Received received() {
            return received;
        }

        /** The JSON-RPC id of the request, or a missing node. */
        JsonNode id() {
            return received.json() == null ? JsonNodeFactory.instance.missingNode() : received.json().path("id");
        }

        JsonNode params() {
            return received.json() == null ? JsonNodeFactory.instance.missingNode() : received.json().path("params");
        }

        void header(String name, String value) {
            response.getHeaders().put(name, value);
        }

        /** Answers with one JSON body. */
        void json(JsonNode body) throws IOException {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/json");
            write(JSON.writeValueAsString(body));
            end();
        }

        /** Answers the request with a JSON body holding its result. */
        void result(JsonNode result) throws IOException {
            json(FakeMcpHttpServer.response(id(), result));
        }

        /** Answers with {@code status} and a plain body. */
        void status(int status, String body) throws IOException {
            response.setStatus(status);
            if (!body.isEmpty()) {
                response.getHeaders().put("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
                write(body);
            }
            end();
        }

        /** Starts an event stream (if not started). */
        void sse() throws IOException {
            if (out == null) {
                response.setStatus(200);
                response.getHeaders().put("Content-Type", "text/event-stream");
                response.getHeaders().put("Cache-Control", "no-cache");
                out = Content.Sink.asOutputStream(response);
                out.flush();
            }
        }

        /** Makes the stream resumable: sends a priming event (an id, the retry delay, empty data). */
        void priming(long retryMillis) throws IOException {
            sse();
            if (streamId == null) {
                streamId = "s" + streamIds.incrementAndGet();
            }
            resumable = true;
            send("id: " + nextEventId() + "\nretry: " + retryMillis + "\ndata: \n\n");
        }

        private String nextEventId() {
            return streamId + "-" + eventIds.computeIfAbsent(streamId, k -> new AtomicInteger()).incrementAndGet();
        }

        /** Sends one message as an event, with an id when the stream is resumable. */
        void event(JsonNode message) throws IOException {
            sse();
            String id = resumable ? "id: " + nextEventId() + "\n" : "";
            send(id + "data: " + JSON.writeValueAsString(message) + "\n\n");
        }

        /** Sends raw text on the event stream. */
        void send(String text) throws IOException {
            sse();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Sends the response to the request as an event. */
        void resultEvent(JsonNode result) throws IOException {
            event(FakeMcpHttpServer.response(id(), result));
        }

        /**
         * Sends a request to the client on the stream and waits for the client to POST its answer.
         *
         * @return the client's response message
         */
        JsonNode ask(String method, JsonNode params) throws Exception {
            String id = "srv-" + serverRequestIds.incrementAndGet();
            CompletableFuture<JsonNode> answer = clientAnswers.computeIfAbsent(id, k -> new CompletableFuture<>());
            event(obj("jsonrpc", "2.0", "id", id, "method", method, "params", params));
            return answer.get(SCRIPT_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Registers what a GET with {@code Last-Event-ID} of this stream does. */
        void onResume(Script script) {
            resumeScripts.put(streamId, script);
        }

        /** Ends the response normally (a clean end of stream for an event stream). */
        void end() throws IOException {
            if (done) {
                return;
            }
            done = true;
            if (streamId != null) {
                streamEnds.putIfAbsent(streamId, System.nanoTime());
            }
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            out.close();
            callback.succeeded();
        }

        /** Drops the connection abruptly, in the middle of the response. */
        void breakConnection() {
            if (done) {
                return;
            }
            done = true;
            if (streamId != null) {
                streamEnds.putIfAbsent(streamId, System.nanoTime());
            }
            request.getConnectionMetaData().getConnection().getEndPoint().close();
            callback.failed(new IOException("connection broken on purpose"));
        }

        /**
         * Holds the response open until the client closes it or the server stops: an event stream writes a comment
         * every {@value #HEARTBEAT_MILLIS} ms to notice the close (then records the request id in
         * {@link #closedStreams()}); a response not yet started just waits.
         */
        void hang() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + SCRIPT_PATIENCE.toNanos() * 3;
            while (System.nanoTime() < deadline) {
                if (stopping.await(HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS)) {
                    breakConnection();
                    return;
                }
                if (out != null) {
                    try {
                        send(": keep-alive\n\n");
                    } catch (IOException e) {
                        closedStreams.add(id().asText());
                        done = true;
                        callback.failed(e);
                        return;
                    }
                }
            }
            breakConnection();
        }

        private void write(String text) throws IOException {
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        void finish() throws IOException {
            end();
        }

        void abort(Throwable e) {
            if (!done) {
                done = true;
                callback.failed(e);
            }
        }
    }

    static JsonNode response(JsonNode id, JsonNode result) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        node.set("id", id);
        node.set("result", result);
        return node;
    }

    static JsonNode notification(String method, JsonNode params) {
        return obj("jsonrpc", "2.0", "method", method, "params", params);
    }

    /** An object node from alternating names and values (strings, numbers, booleans or nodes). */
    static ObjectNode obj(Object... namesAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            Object value = namesAndValues[i + 1];
            switch (value) {
                case null -> node.putNull(name);
                case JsonNode n -> node.set(name, n);
                case String s -> node.put(name, s);
                case Integer n -> node.put(name, n);
                case Long n -> node.put(name, n);
                case Double n -> node.put(name, n);
                case Boolean b -> node.put(name, b);
                default -> throw new IllegalArgumentException("value " + value);
            }
        }
        return node;
    }
}
