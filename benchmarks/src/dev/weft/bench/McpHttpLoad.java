package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The MCP server benchmark's load generator: an MCP client over Streamable HTTP that speaks the protocol itself, with
 * Jetty's {@code HttpClient} (HTTP/1.1, one selector, a pool of keep-alive connections) and Jackson, and no MCP library.
 * Both servers are driven by this same code.
 *
 * <p>A session is opened with {@code POST initialize} (protocol version 2025-06-18), whose {@code Mcp-Session-Id}
 * header is kept, then {@code POST notifications/initialized} (202 expected). A call is {@code POST tools/call} with
 * {@code Accept: application/json, text/event-stream}, {@code Mcp-Session-Id} and {@code MCP-Protocol-Version}; the
 * whole response is read, and its answer taken from a JSON body or from the event stream's event whose data is the
 * response with the call's id. Every answer is checked: the id, no error, and the first content item's text.
 * Anything else throws {@link CallFailed} with a kind, for counting.
 *
 * <p>Thread-safe: many threads may call at once, each on its own session or not.
 */
final class McpHttpLoad implements AutoCloseable {
    /** The protocol version every session asks for (both servers support it). */
    static final String PROTOCOL_VERSION = "2025-06-18";
    private static final String ACCEPT = "application/json, text/event-stream";

    private final HttpClient http;
    private final URI uri;
    private final ObjectMapper mapper = new ObjectMapper();

    /** An initialized session. */
    record Session(String id, String protocolVersion, AtomicLong ids) {
    }

    /** A request that failed; {@link #kind()} says how, for counting. */
    static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String kind;

        CallFailed(String kind) {
            super(kind, null, false, false);
            this.kind = kind;
        }

        String kind() {
            return kind;
        }
    }

    McpHttpLoad(URI uri) throws Exception {
        this.uri = uri;
        this.http = new HttpClient(new HttpClientTransportOverHTTP(1));
        http.setMaxConnectionsPerDestination(4_096); // one per concurrent request, and up to 1,000 idle sessions
        http.setMaxRequestsQueuedPerDestination(65_536);
        // Longer than any wait for an answer: the SDK's server sends nothing on a pending call's event stream, and the
        // client's idle timeout would fail such a call as if it had timed out.
        http.setIdleTimeout(600_000);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.start();
    }

    /** Opens a session: {@code initialize}, then {@code notifications/initialized}. */
    Session open(Duration timeout) throws CallFailed, InterruptedException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"weft-bench-load\","
                + "\"version\":\"0\"}}}";
        ContentResponse response = send(post(null, null, body), timeout);
        JsonNode result = answer(response, 0, "initialize");
        String id = response.getHeaders().get("Mcp-Session-Id");
        if (id == null) {
            throw new CallFailed("initialize: no Mcp-Session-Id");
        }
        String version = result.path("protocolVersion").asText(PROTOCOL_VERSION);
        ContentResponse initialized = send(post(id, version,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), timeout);
        if (initialized.getStatus() != 202) {
            throw new CallFailed("notifications/initialized: HTTP " + initialized.getStatus());
        }
        return new Session(id, version, new AtomicLong(1));
    }

    /** {@code tools/call echo {message}}; fails unless the answer's text is the message. */
    void echo(Session session, String message, Duration timeout) throws CallFailed, InterruptedException {
        call(session, "echo", "{\"message\":\"" + message + "\"}", message, timeout);
    }

    /** {@code tools/call slow {ms}}; fails unless the answer's text is {@code slept <ms>}. */
    void slow(Session session, long ms, Duration timeout) throws CallFailed, InterruptedException {
        call(session, "slow", "{\"ms\":" + ms + "}", "slept " + ms, timeout);
    }

    private void call(Session session, String tool, String arguments, String expected, Duration timeout)
            throws CallFailed, InterruptedException {
        long id = session.ids().getAndIncrement();
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + "}}";
        JsonNode result = answer(send(post(session.id(), session.protocolVersion(), body), timeout), id, tool);
        if (result.path("isError").asBoolean(false)) {
            throw new CallFailed(tool + ": tool error");
        }
        if (!expected.equals(result.path("content").path(0).path("text").asText(null))) {
            throw new CallFailed(tool + ": wrong answer");
        }
    }

    /** {@code DELETE} the session. */
    void delete(Session session, Duration timeout) throws CallFailed, InterruptedException {
        Request request = http.newRequest(uri).method(HttpMethod.DELETE).headers(h -> {
            h.put("Mcp-Session-Id", session.id());
            h.put("MCP-Protocol-Version", session.protocolVersion());
        });
        ContentResponse response = send(request, timeout);
        if (response.getStatus() / 100 != 2) {
            throw new CallFailed("DELETE: HTTP " + response.getStatus());
        }
    }

    private Request post(String sessionId, String version, String body) {
        return http.newRequest(uri).method(HttpMethod.POST).headers(h -> {
            h.put("Accept", ACCEPT);
            if (sessionId != null) {
                h.put("Mcp-Session-Id", sessionId);
                h.put("MCP-Protocol-Version", version);
            }
        }).body(new BytesRequestContent("application/json", body.getBytes(StandardCharsets.UTF_8)));
    }

    private static ContentResponse send(Request request, Duration timeout) throws CallFailed, InterruptedException {
        try {
            return request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send();
        } catch (TimeoutException e) {
            throw new CallFailed("no answer within " + timeout.toSeconds() + " s (timeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TimeoutException) {
                throw new CallFailed("no answer within " + timeout.toSeconds() + " s (timeout)");
            }
            throw new CallFailed(kind(cause));
        }
    }

    /** The {@code result} of the answer with this id, from a JSON body or an event stream. */
    private JsonNode answer(ContentResponse response, long id, String what) throws CallFailed {
        if (response.getStatus() != 200) {
            throw new CallFailed(what + ": HTTP " + response.getStatus());
        }
        String type = response.getMediaType();
        String body = response.getContentAsString();
        JsonNode message;
        try {
            if ("application/json".equalsIgnoreCase(type)) {
                message = mapper.readTree(body);
            } else if ("text/event-stream".equalsIgnoreCase(type)) {
                message = fromEvents(body, id);
                if (message == null) {
                    throw new CallFailed(what + ": event stream ended without the answer");
                }
            } else {
                throw new CallFailed(what + ": Content-Type " + type);
            }
        } catch (IOException e) {
            throw new CallFailed(what + ": malformed JSON");
        }
        if (message.path("id").asLong(-1) != id) {
            throw new CallFailed(what + ": answer with another id");
        }
        if (message.has("error")) {
            throw new CallFailed(what + ": JSON-RPC error " + message.path("error").path("code").asInt());
        }
        JsonNode result = message.get("result");
        if (result == null || !result.isObject()) {
            throw new CallFailed(what + ": no result");
        }
        return result;
    }

    /** The first event whose data is a response with this id, or {@code null}. */
    private JsonNode fromEvents(String stream, long id) throws IOException {
        StringBuilder data = new StringBuilder();
        int at = 0;
        while (at <= stream.length()) {
            int end = stream.indexOf('\n', at);
            String line = end < 0 ? stream.substring(at) : stream.substring(at, end);
            at = end < 0 ? stream.length() + 1 : end + 1;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) { // the end of an event
                if (!data.isEmpty()) {
                    JsonNode message = mapper.readTree(data.toString());
                    if (message.path("id").asLong(-1) == id && (message.has("result") || message.has("error"))) {
                        return message;
                    }
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
            }
        }
        if (!data.isEmpty()) { // a last event without its blank line
            JsonNode message = mapper.readTree(data.toString());
            if (message.path("id").asLong(-1) == id && (message.has("result") || message.has("error"))) {
                return message;
            }
        }
        return null;
    }

    /** An exception's kind: its class and the start of its message, digits folded to {@code #}. */
    static String kind(Throwable e) {
        String message = String.valueOf(e.getMessage()).replaceAll("[0-9]+", "#").replaceAll("\\s+", " ");
        if (message.length() > 60) {
            message = message.substring(0, 60) + "...";
        }
        return e.getClass().getName() + ": " + message;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP client failed", e);
        }
    }
}
