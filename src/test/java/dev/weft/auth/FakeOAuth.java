package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A fake MCP server that requires bearer tokens (the resource server, on one port) and a fake authorization server
 * (on another port, so another origin), both on Jetty 12 at 127.0.0.1, scriptable through their public fields and
 * recording every request. The MCP server is stateless and answers every JSON-RPC request with a small result.
 *
 * <p>Resource server: protected resource metadata at {@link #prm} paths; {@code POST /mcp} needs a token the
 * authorization server issued, with the scopes {@link #requiredScopes} names for the method (401 with
 * {@link #challenge} without one, 403 {@code insufficient_scope} with too few scopes); methods in
 * {@link #open} need no token. Authorization server: metadata at {@link #metadata} paths, {@code /authorize}
 * (redirects with a code and the state), {@code /token} (checks PKCE, issues {@code tok-N} with the scopes of the
 * last authorization request, and {@code refresh-N} when {@link #issueRefreshTokens}), {@code /register}.
 * Thread-safe.
 */
final class FakeOAuth implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. Header names are lower case. */
    record Received(String server, String method, String path, Map<String, String> query, Map<String, String> headers,
                    String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        Map<String, String> form() {
            return decode(body);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                return null;
            }
        }
    }

    private final Server resourceServer;
    private final Server authServer;
    private final ServerConnector resourceConnector;
    private final ServerConnector authConnector;
    final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    // ---- resource server script
    /** Protected resource metadata by path. */
    final Map<String, ObjectNode> prm = new ConcurrentHashMap<>();
    /** The WWW-Authenticate of a 401; {@code null} for none. */
    volatile String challenge;
    /** The scopes each JSON-RPC method needs (others need none beyond a valid token). */
    final Map<String, Set<String>> requiredScopes = new ConcurrentHashMap<>();
    /** Methods that need no token at all. */
    final Set<String> open = ConcurrentHashMap.newKeySet();
    /**
     * A 2025-03-26 server: the resource server serves the authorization server's paths itself (its metadata, if
     * any, in {@link #metadata}; {@code /authorize}, {@code /token}, {@code /register}).
     */
    volatile boolean legacy;
    /** Takes no token as valid: every request that needs one gets a 401. */
    volatile boolean refuseAllTokens;
    /** Answers every request with a valid token 403 {@code insufficient_scope}, even when it has the scopes. */
    volatile boolean forceInsufficientScope;
    /** Called on the server's thread before a 401 is sent, with the method refused: a seam to hold refusals. */
    volatile Consumer<String> before401 = method -> { };

    // ---- authorization server script
    /** Authorization server metadata by path. */
    final Map<String, ObjectNode> metadata = new ConcurrentHashMap<>();
    volatile boolean issueRefreshTokens;
    /** When not empty, the only scopes an authorization code grant grants, whatever was asked. */
    volatile Set<String> grantOnly = Set.of();
    volatile long expiresIn = 3600;
    /** The registration response's extra fields. */
    final Map<String, String> registration = new ConcurrentHashMap<>();
    /** When set, the token endpoint answers 400 with this error. */
    volatile String tokenError;
    /** When set, the refresh grant answers 400 with this error. */
    volatile String refreshError;

    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>(); // access token -> scopes
    private final Map<String, Set<String>> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet(); // codes and client secrets
    private volatile String lastChallenge;
    private volatile Set<String> lastScopes = Set.of();

    FakeOAuth() throws Exception {
        resourceServer = server("fake-mcp-resource");
        resourceConnector = connector(resourceServer);
        resourceServer.setHandler(handler("resource", this::resource));
        resourceServer.start();
        authServer = server("fake-oauth-as");
        authConnector = connector(authServer);
        authServer.setHandler(handler("auth", this::auth));
        authServer.start();
        prm.put("/.well-known/oauth-protected-resource/mcp", defaultPrm());
        metadata.put("/.well-known/oauth-authorization-server", defaultMetadata(""));
        challenge = "Bearer error=\"invalid_token\", resource_metadata=\"" + resourceBase()
                + "/.well-known/oauth-protected-resource/mcp\"";
    }

    private static Server server(String name) {
        QueuedThreadPool pool = new QueuedThreadPool(200, 2);
        pool.setName(name);
        pool.setDaemon(true);
        Server server = new Server(pool);
        server.setStopTimeout(0);
        return server;
    }

    private static ServerConnector connector(Server server) {
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        return connector;
    }

    String resourceBase() {
        return "http://127.0.0.1:" + resourceConnector.getLocalPort();
    }

    String authBase() {
        return "http://127.0.0.1:" + authConnector.getLocalPort();
    }

    URI endpoint() {
        return URI.create(resourceBase() + "/mcp");
    }

    ObjectNode defaultPrm() {
        ObjectNode prm = JSON.createObjectNode().put("resource", resourceBase() + "/mcp");
        prm.putArray("authorization_servers").add(authBase());
        return prm;
    }

    /** Metadata for the issuer {@code authBase() + prefix}, its endpoints under the prefix. */
    ObjectNode defaultMetadata(String prefix) {
        String base = authBase() + prefix;
        ObjectNode md = JSON.createObjectNode().put("issuer", base).put("authorization_endpoint", base + "/authorize")
                .put("token_endpoint", base + "/token").put("registration_endpoint", base + "/register");
        md.putArray("response_types_supported").add("code");
        md.putArray("code_challenge_methods_supported").add("S256");
        md.putArray("token_endpoint_auth_methods_supported").add("none");
        return md;
    }

    List<Received> received(String server, String path) {
        return received.stream().filter(r -> r.server().equals(server) && r.path().equals(path)).toList();
    }

    /** The paths requested of {@code server}, in order. */
    List<String> paths(String server) {
        return received.stream().filter(r -> r.server().equals(server)).map(Received::path).toList();
    }

    List<Received> authorizations() {
        return received("auth", "/authorize");
    }

    List<Received> tokenRequests() {
        return received("auth", "/token");
    }

    /** Forgets every access token issued (refresh tokens stay valid), as a server that restarted. */
    void revokeAccessTokens() {
        tokens.clear();
    }

    /** Every token, refresh token, code and client secret issued: for checks that they appear nowhere else. */
    Set<String> secrets() {
        return Set.copyOf(issuedSecrets);
    }

    private interface Serve {
        void serve(Received r, Response response, Callback callback) throws Exception;
    }

    private Handler handler(String name, Serve serve) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, String> headers = new TreeMap<>();
                for (HttpField field : request.getHeaders()) {
                    headers.put(field.getLowerCaseName(), field.getValue());
                }
                String query = request.getHttpURI().getQuery();
                Received r = new Received(name, request.getMethod(), request.getHttpURI().getPath(),
                        decode(query == null ? "" : query), headers, body);
                received.add(r);
                serve.serve(r, response, callback);
                return true;
            }
        };
    }

    private void resource(Received r, Response response, Callback callback) throws Exception {
        ObjectNode document = prm.get(r.path());
        if (r.method().equals("GET") && document != null) {
            json(response, callback, 200, document);
            return;
        }
        if (legacy && !r.path().equals("/mcp")) {
            auth(r, response, callback);
            return;
        }
        if (!r.path().equals("/mcp") || !r.method().equals("POST")) {
            text(response, callback, 404, "not found");
            return;
        }
        JsonNode message = r.json();
        String method = message == null ? "" : message.path("method").asText();
        if (!open.contains(method)) {
            String authorization = r.header("Authorization");
            String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7)
                    : null;
            Set<String> granted = token == null || refuseAllTokens ? null : tokens.get(token);
            if (granted == null) {
                before401.accept(method);
                if (challenge != null) {
                    response.getHeaders().put("WWW-Authenticate", challenge);
                }
                text(response, callback, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            Set<String> needed = requiredScopes.getOrDefault(method, Set.of());
            if (!granted.containsAll(needed) || forceInsufficientScope) {
                response.getHeaders().put("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\""
                        + String.join(" ", needed) + "\", resource_metadata=\"" + resourceBase()
                        + "/.well-known/oauth-protected-resource/mcp\"");
                text(response, callback, 403, "{\"error\":\"insufficient_scope\"}");
                return;
            }
        }
        if (!message.has("id")) {
            text(response, callback, 202, "");
            return;
        }
        ObjectNode result = JSON.createObjectNode();
        if (method.equals("initialize")) {
            result.put("protocolVersion", "2025-11-25").putObject("capabilities");
            result.putObject("serverInfo").put("name", "fake").put("version", "1");
        } else {
            result.put("method", method);
        }
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", message.get("id"));
        answer.set("result", result);
        json(response, callback, 200, answer);
    }

    private void auth(Received r, Response response, Callback callback) throws Exception {
        ObjectNode document = metadata.get(r.path());
        if (r.method().equals("GET") && document != null) {
            json(response, callback, 200, document);
            return;
        }
        String path = r.path();
        if (path.endsWith("/authorize")) {
            lastChallenge = r.query().get("code_challenge");
            lastScopes = scopes(r.query().get("scope"));
            String redirect = r.query().get("redirect_uri");
            String state = r.query().get("state");
            response.setStatus(302);
            String code = "code-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
            issuedSecrets.add(code);
            response.getHeaders().put("Location", redirect + "?code=" + code
                    + (state == null ? "" : "&state=" + java.net.URLEncoder.encode(state, StandardCharsets.UTF_8)));
            response.write(true, ByteBuffer.allocate(0), callback);
        } else if (path.endsWith("/token") && r.method().equals("POST")) {
            token(r, response, callback);
        } else if (path.endsWith("/register") && r.method().equals("POST")) {
            ObjectNode answer = JSON.createObjectNode().put("client_id", "client-" + issued.incrementAndGet());
            registration.forEach(answer::put);
            if (!answer.has("client_secret") && !registration.containsKey("no_secret")) {
                answer.put("client_secret", "secret-" + issued.incrementAndGet());
                issuedSecrets.add(answer.get("client_secret").asText());
            }
            answer.remove("no_secret");
            json(response, callback, 201, answer);
        } else {
            text(response, callback, 404, "not found");
        }
    }

    private void token(Received r, Response response, Callback callback) throws Exception {
        Map<String, String> form = r.form();
        String grant = form.getOrDefault("grant_type", "");
        if (tokenError != null) {
            error(response, callback, tokenError);
            return;
        }
        Set<String> scopes;
        switch (grant) {
            case "authorization_code" -> {
                String verifier = form.get("code_verifier");
                if (verifier == null || !s256(verifier).equals(lastChallenge)) {
                    error(response, callback, "invalid_grant");
                    return;
                }
                scopes = lastScopes;
                if (!grantOnly.isEmpty()) {
                    scopes = new java.util.HashSet<>(scopes);
                    scopes.retainAll(grantOnly);
                }
            }
            case "refresh_token" -> {
                scopes = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
                if (scopes == null || refreshError != null) {
                    error(response, callback, refreshError != null ? refreshError : "invalid_grant");
                    return;
                }
            }
            default -> scopes = scopes(form.get("scope"));
        }
        String access = "tok-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
        tokens.put(access, scopes);
        issuedSecrets.add(access);
        ObjectNode answer = JSON.createObjectNode().put("access_token", access).put("token_type", "Bearer")
                .put("expires_in", expiresIn);
        if (!scopes.isEmpty()) {
            answer.put("scope", String.join(" ", scopes));
        }
        if (issueRefreshTokens) {
            String refresh = "refresh-" + issued.incrementAndGet() + "-" + java.util.UUID.randomUUID();
            refreshTokens.put(refresh, scopes);
            issuedSecrets.add(refresh);
            answer.put("refresh_token", refresh);
        }
        json(response, callback, 200, answer);
    }

    private static void error(Response response, Callback callback, String error) {
        json(response, callback, 400, JSON.createObjectNode().put("error", error).put("error_description",
                "refused by the fake"));
    }

    private static Set<String> scopes(String scope) {
        return scope == null || scope.isBlank() ? Set.of() : Set.of(scope.strip().split(" +"));
    }

    static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static void json(Response response, Callback callback, int status, JsonNode body) {
        try {
            response.setStatus(status);
            response.getHeaders().put("Content-Type", "application/json");
            response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(body)), callback);
        } catch (Exception e) {
            callback.failed(e);
        }
    }

    private static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        if (!body.isEmpty()) {
            response.getHeaders().put("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Decodes a query or a form, in order; the first of a repeated name wins. */
    static Map<String, String> decode(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    @Override
    public void close() throws Exception {
        resourceServer.stop();
        authServer.stop();
    }
}
