package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.obj;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.internal.SharedHttpClient;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;

/**
 * A {@link StreamableHttpServer} for tests: each session gets a server-side {@link Connection} with the given options,
 * and the fixture remembers the transports, the connections and the threads the session consumer ran on. Also raw HTTP
 * requests through the shared Jetty client, and a Weft client connection. Closing closes all of it.
 */
final class ServerFixture implements AutoCloseable {
    static final String PROTOCOL = "2025-11-25";
    static final Duration LONG = Duration.ofSeconds(30);

    /** One raw HTTP answer; the body whole (so only for answers that end). */
    record Raw(int status, HttpFields headers, String body) {
        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() throws IOException {
            return FakeMcpHttpServer.JSON.readTree(body);
        }
    }

    final StreamableHttpServer server;
    final List<Transport> transports = new CopyOnWriteArrayList<>();
    final List<Connection> serverConnections = new CopyOnWriteArrayList<>();
    final List<Thread> consumerThreads = new CopyOnWriteArrayList<>();
    private final List<Connection> clients = new CopyOnWriteArrayList<>();

    ServerFixture(HttpServerSpec spec, ConnectionOptions options) throws IOException {
        server = StreamableHttpServer.start(spec, transport -> {
            consumerThreads.add(Thread.currentThread());
            transports.add(transport);
            serverConnections.add(Connection.open(transport, options.withDefaultTimeout(LONG)));
        });
    }

    /** Server options that answer initialize like an MCP server. */
    static ConnectionOptions mcpServer() {
        return ConnectionOptions.DEFAULT.withName("weft-test-server")
                .withRequestHandler("initialize", request -> obj("protocolVersion", PROTOCOL, "capabilities", obj(),
                        "serverInfo", obj("name", "test", "version", "1")))
                .withRequestHandler("echo", request -> request.params() == null ? obj() : request.params());
    }

    URI uri() {
        return server.uri();
    }

    /** A Weft client over Streamable HTTP, initialized (so its GET stream opens). */
    Connection client(ConnectionOptions options) throws IOException {
        Connection client = Connection.open(StreamableHttpTransport.open(HttpSpec.of(uri())),
                options.withName("weft-test-client").withDefaultTimeout(LONG));
        clients.add(client);
        client.call("initialize", obj("protocolVersion", PROTOCOL, "capabilities", obj(),
                "clientInfo", obj("name", "test", "version", "1")));
        client.notify("notifications/initialized", null);
        return client;
    }

    /** The one server-side session transport, as an {@link HttpServerSession}. */
    HttpServerSession session(int index) {
        return (HttpServerSession) transports.get(index);
    }

    /** A raw request with the MCP headers a client sends, plus {@code headers} (a {@code null} value removes one). */
    Raw raw(String method, String body, Map<String, String> headers) throws Exception {
        var request = SharedHttpClient.get().newRequest(uri()).method(method).timeout(10, TimeUnit.SECONDS)
                .headers(h -> {
                    h.put("Accept", "application/json, text/event-stream");
                    headers.forEach((name, value) -> {
                        if (value == null) {
                            h.remove(name);
                        } else {
                            h.put(name, value);
                        }
                    });
                });
        if (body != null) {
            request.body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        }
        ContentResponse response = request.send();
        return new Raw(response.getStatus(), response.getHeaders(), response.getContentAsString());
    }

    Raw post(String body, Map<String, String> headers) throws Exception {
        return raw("POST", body, headers);
    }

    /** POSTs initialize and returns the new session's id. */
    String initialize() throws Exception {
        Raw answer = post(initializeBody(), Map.of());
        if (answer.status() != 200) {
            throw new AssertionError("initialize answered " + answer);
        }
        String session = answer.header("Mcp-Session-Id");
        post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of("Mcp-Session-Id", session));
        return session;
    }

    static String initializeBody() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + PROTOCOL
                + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    }

    static String request(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Override
    public void close() {
        clients.forEach(Connection::close);
        server.close();
        serverConnections.forEach(Connection::close);
    }
}
