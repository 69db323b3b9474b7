package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * The few HTTP requests authorization makes (metadata GETs, registration and token POSTs), blocking, on a Jetty
 * client, each with a timeout. Redirects are never followed, except those of a GET to the same origin (at most
 * {@value #MAX_REDIRECTS}). Bodies are read whole, up to Jetty's 2 MiB.
 *
 * <p>Thread-safe; each method blocks its caller for at most the timeout (per request of a redirect chain) and answers
 * an interrupt with an {@link InterruptedException}, the request aborted. Never logs a body or a header value.
 */
final class AuthHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_REDIRECTS = 5;
    /** The protocol revision sent as {@code MCP-Protocol-Version} during discovery. */
    static final String PROTOCOL_VERSION = "2025-11-25";

    private final HttpClient client;
    private final Duration timeout;

    /** A response: its status, what it said, and where it came from. */
    record Reply(URI uri, int status, String contentType, byte[] body, String location) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The body as JSON, or {@code null} when it is not JSON. */
        JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    AuthHttp(HttpClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** GETs JSON from {@code uri}, following redirects to the same origin only. */
    Reply getJson(URI uri) throws IOException, InterruptedException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            Request request = client.newRequest(current).method("GET")
                    .headers(h -> h.put("Accept", "application/json").put("MCP-Protocol-Version", PROTOCOL_VERSION));
            Reply reply = send(request, current);
            if (reply.status() / 100 != 3 || reply.location() == null || redirects >= MAX_REDIRECTS) {
                return reply;
            }
            URI next = current.resolve(reply.location());
            if (!sameOrigin(current, next)) {
                return reply; // a redirect elsewhere is not followed: the caller sees the 3xx
            }
            current = next;
        }
    }

    /** POSTs a form to {@code uri}, with {@code headers} (say, {@code Authorization: Basic}). */
    Reply postForm(URI uri, Map<String, String> form, Map<String, String> headers)
            throws IOException, InterruptedException {
        byte[] body = formEncode(form).getBytes(StandardCharsets.UTF_8);
        Request request = client.newRequest(uri).method("POST")
                .headers(h -> {
                    h.put("Accept", "application/json");
                    headers.forEach(h::put);
                })
                .body(new BytesRequestContent("application/x-www-form-urlencoded", body));
        return send(request, uri);
    }

    /** POSTs JSON to {@code uri}. */
    Reply postJson(URI uri, JsonNode json) throws IOException, InterruptedException {
        Request request = client.newRequest(uri).method("POST")
                .headers(h -> h.put("Accept", "application/json"))
                .body(new BytesRequestContent("application/json", JSON.writeValueAsBytes(json)));
        return send(request, uri);
    }

    private Reply send(Request request, URI uri) throws IOException, InterruptedException {
        request.followRedirects(false).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ContentResponse response;
        try {
            response = request.send(); // aborts the request when interrupted or timed out
        } catch (TimeoutException e) {
            throw new IOException(request.getMethod() + " " + uri + ": no response within " + timeout.toMillis()
                    + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(request.getMethod() + " " + uri + " failed: " + cause, cause);
        } catch (RuntimeException e) {
            throw new IOException(request.getMethod() + " " + uri + " not sent: " + e, e);
        }
        String type = response.getHeaders().get("Content-Type");
        return new Reply(uri, response.getStatus(), type == null ? "" : type.toLowerCase(Locale.ROOT),
                response.getContent(), response.getHeaders().get("Location"));
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    /** The port, or the scheme's default. */
    static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** {@code application/x-www-form-urlencoded}, in the map's order. */
    static String formEncode(Map<String, String> form) {
        StringJoiner joiner = new StringJoiner("&");
        form.forEach((name, value) -> joiner.add(encode(name) + "=" + encode(value)));
        return joiner.toString();
    }

    /** Percent-encodes for a query or a form (a space as {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
