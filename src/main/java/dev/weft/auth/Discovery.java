package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Metadata discovery for one MCP server: its protected resource metadata (RFC 9728), the check that the metadata's
 * {@code resource} covers the server, and the metadata of its authorization server (RFC 8414 and OpenID Connect
 * Discovery), in the orders of the MCP authorization specification (2025-11-25), with the 2025-03-26 fallbacks when
 * the server has no protected resource metadata.
 *
 * <p>Everything runs on the caller's thread; each method blocks for its HTTP requests. Stateless apart from its
 * configuration; thread-safe.
 */
final class Discovery {
    private static final System.Logger LOG = System.getLogger(Discovery.class.getName());
    static final String PRM_WELL_KNOWN = "/.well-known/oauth-protected-resource";
    static final String OAUTH_WELL_KNOWN = "/.well-known/oauth-authorization-server";
    static final String OIDC_WELL_KNOWN = "/.well-known/openid-configuration";

    /**
     * A protected resource metadata document.
     *
     * @param url                  where it was read
     * @param resource             its {@code resource}, exactly as sent
     * @param authorizationServers its {@code authorization_servers}, in order; never empty
     * @param scopesSupported      its {@code scopes_supported}, in order; maybe empty
     */
    record ResourceMetadata(URI url, String resource, List<String> authorizationServers,
                            List<String> scopesSupported) {
    }

    /**
     * An authorization server's metadata, or the 2025-03-26 default endpoints when it has none ({@code url} null).
     *
     * @param url                        where it was read, or {@code null} for the defaults
     * @param issuer                     its {@code issuer} (the identifier it was looked up by, for the defaults)
     * @param authorizationEndpoint      the authorization endpoint, or {@code null}
     * @param tokenEndpoint              the token endpoint
     * @param registrationEndpoint       the dynamic client registration endpoint, or {@code null}
     * @param scopesSupported            {@code scopes_supported}; maybe empty
     * @param tokenEndpointAuthMethods   {@code token_endpoint_auth_methods_supported}, or {@code null} if absent
     * @param codeChallengeMethods       {@code code_challenge_methods_supported}; maybe empty
     * @param clientIdMetadataDocuments  whether {@code client_id_metadata_document_supported} is true
     */
    record ServerMetadata(URI url, String issuer, URI authorizationEndpoint, URI tokenEndpoint,
                          URI registrationEndpoint, List<String> scopesSupported,
                          List<String> tokenEndpointAuthMethods, List<String> codeChallengeMethods,
                          boolean clientIdMetadataDocuments) {
    }

    private final AuthHttp http;
    private final URI server;

    /**
     * @param server the MCP server's endpoint, for the well-known URLs and for errors
     */
    Discovery(AuthHttp http, URI server) {
        this.http = http;
        this.server = server;
    }

    /**
     * The protected resource metadata URLs to try, in order: the challenge's {@code resource_metadata} alone when it
     * named one; else the path-based well-known URL (when the server's URL has a path), then the root one.
     */
    List<URI> resourceMetadataCandidates(String challenged) throws AuthorizationException {
        if (challenged != null && !challenged.isBlank()) {
            try {
                URI url = server.resolve(new URI(challenged.strip()));
                if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
                    throw new URISyntaxException(challenged, "not an http(s) URL");
                }
                return List.of(url);
            } catch (URISyntaxException e) {
                throw new AuthorizationException(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA,
                        "the challenge's resource_metadata is not a URL: " + challenged, server, null, null, null,
                        null, e);
            }
        }
        List<URI> candidates = new ArrayList<>();
        String path = stripTrailingSlash(server.getRawPath());
        if (!path.isEmpty()) {
            candidates.add(origin(server).resolve(PRM_WELL_KNOWN + path));
        }
        candidates.add(origin(server).resolve(PRM_WELL_KNOWN));
        return candidates;
    }

    /**
     * Fetches the protected resource metadata from the first candidate that has it. A 4xx or an I/O error moves on
     * to the next candidate; a 5xx, or a document without {@code resource} or {@code authorization_servers}, fails.
     *
     * @return the metadata, or {@code null} when no candidate has any (and the challenge named none)
     */
    ResourceMetadata resourceMetadata(String challenged) throws AuthorizationException, InterruptedException {
        List<URI> candidates = resourceMetadataCandidates(challenged);
        boolean named = candidates.size() == 1 && challenged != null && !challenged.isBlank();
        for (URI url : candidates) {
            AuthHttp.Reply reply;
            try {
                reply = http.getJson(url);
            } catch (IOException e) {
                if (named) {
                    throw failure(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA, "cannot fetch it: "
                            + e.getMessage(), url, e);
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "protected resource metadata at " + url + ": " + e);
                continue;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "protected resource metadata at " + url + ": "
                    + reply.status());
            if (reply.ok()) {
                return parseResourceMetadata(url, reply.json());
            }
            if (reply.status() >= 500 || named) {
                throw failure(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA, "HTTP " + reply.status(),
                        url, null);
            }
        }
        return null;
    }

    private ResourceMetadata parseResourceMetadata(URI url, JsonNode json) throws AuthorizationException {
        if (json == null || !json.isObject()) {
            throw failure(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA, "not a JSON object", url, null);
        }
        String resource = text(json, "resource");
        List<String> servers = strings(json, "authorization_servers");
        if (resource == null) {
            throw failure(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA, "it has no resource", url, null);
        }
        if (servers.isEmpty()) {
            throw failure(AuthorizationException.Step.PROTECTED_RESOURCE_METADATA,
                    "it names no authorization server", url, null);
        }
        return new ResourceMetadata(url, resource, servers, strings(json, "scopes_supported"));
    }

    /**
     * Refuses metadata whose {@code resource} does not cover the server: another origin, or a path that is not a
     * prefix (by segments) of the server's path.
     */
    void checkResource(ResourceMetadata metadata) throws AuthorizationException {
        if (!covers(metadata.resource(), server)) {
            throw new AuthorizationException(AuthorizationException.Step.RESOURCE_CHECK, "the protected resource "
                    + "metadata is for " + metadata.resource() + ", which does not cover this server", server,
                    metadata.url(), null, null, null, null);
        }
    }

    /** Whether the resource identifier {@code resource} covers {@code server}: same origin, path a segment prefix. */
    static boolean covers(String resource, URI server) {
        URI uri;
        try {
            uri = new URI(resource);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || !AuthHttp.sameOrigin(uri, server)) {
            return false;
        }
        String prefix = stripTrailingSlash(uri.getRawPath() == null ? "" : uri.getRawPath());
        String path = stripTrailingSlash(server.getRawPath() == null ? "" : server.getRawPath());
        return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /**
     * The authorization server metadata URLs to try for {@code issuer}, in the specification's order: for an issuer
     * with a path, the OAuth path-inserted URL, the OpenID Connect path-inserted URL, the OpenID Connect path-appended
     * URL (never the root ones); for one without, the OAuth and then the OpenID Connect well-known URL.
     */
    static List<URI> serverMetadataCandidates(URI issuer) {
        URI origin = origin(issuer);
        String path = stripTrailingSlash(issuer.getRawPath() == null ? "" : issuer.getRawPath());
        if (path.isEmpty()) {
            return List.of(origin.resolve(OAUTH_WELL_KNOWN), origin.resolve(OIDC_WELL_KNOWN));
        }
        return List.of(origin.resolve(OAUTH_WELL_KNOWN + path), origin.resolve(OIDC_WELL_KNOWN + path),
                origin.resolve(path + OIDC_WELL_KNOWN));
    }

    /**
     * The metadata of the authorization server {@code issuer}, from the first candidate URL that has it. A 4xx or
     * an I/O error moves on; a 5xx fails.
     *
     * @param checkIssuer whether the document's {@code issuer} must be {@code issuer} (a trailing slash aside): when
     *                    the server was named by protected resource metadata, not for the 2025-03-26 fallback
     * @return the metadata, or {@code null} when no candidate has any
     */
    ServerMetadata serverMetadata(String issuer, boolean checkIssuer)
            throws AuthorizationException, InterruptedException {
        URI issuerUri;
        try {
            issuerUri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "the authorization server "
                    + issuer + " is not a URL", null, e);
        }
        if (issuerUri.getHost() == null) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "the authorization server "
                    + issuer + " is not an absolute URL", null, null);
        }
        for (URI url : serverMetadataCandidates(issuerUri)) {
            AuthHttp.Reply reply;
            try {
                reply = http.getJson(url);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "authorization server metadata at " + url + ": " + e);
                continue;
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "authorization server metadata at " + url + ": "
                    + reply.status());
            if (reply.ok()) {
                return parseServerMetadata(url, reply.json(), issuer, checkIssuer);
            }
            if (reply.status() >= 500) {
                throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "HTTP " + reply.status(),
                        url, null);
            }
        }
        return null;
    }

    private ServerMetadata parseServerMetadata(URI url, JsonNode json, String issuer, boolean checkIssuer)
            throws AuthorizationException {
        if (json == null || !json.isObject()) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "not a JSON object", url, null);
        }
        String declared = text(json, "issuer");
        if (checkIssuer && (declared == null || !stripTrailingSlash(declared).equals(stripTrailingSlash(issuer)))) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "its issuer is " + declared
                    + ", not " + issuer, url, null);
        }
        URI token = endpoint(json, "token_endpoint", url);
        if (token == null) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "it has no token_endpoint", url,
                    null);
        }
        JsonNode methods = json.get("token_endpoint_auth_methods_supported");
        return new ServerMetadata(url, declared == null ? issuer : declared,
                endpoint(json, "authorization_endpoint", url), token, endpoint(json, "registration_endpoint", url),
                strings(json, "scopes_supported"),
                methods != null && methods.isArray() ? strings(json, "token_endpoint_auth_methods_supported") : null,
                strings(json, "code_challenge_methods_supported"),
                json.path("client_id_metadata_document_supported").asBoolean(false));
    }

    /**
     * The 2025-03-26 default endpoints of an authorization server without metadata: {@code /authorize},
     * {@code /token} and {@code /register} at {@code base}'s origin.
     */
    static ServerMetadata defaults(URI base) {
        URI origin = origin(base);
        return new ServerMetadata(null, origin.toString(), origin.resolve("/authorize"), origin.resolve("/token"),
                origin.resolve("/register"), List.of(), null, List.of("S256"), false);
    }

    private URI endpoint(JsonNode json, String name, URI metadataUrl) throws AuthorizationException {
        String value = text(json, name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())
                    && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new URISyntaxException(value, "not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw failure(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, "its " + name + " is not an "
                    + "absolute http(s) URL: " + value, metadataUrl, e);
        }
    }

    private AuthorizationException failure(AuthorizationException.Step step, String what, URI url, Throwable cause) {
        return new AuthorizationException(step, what, server, url, null, null, null, cause);
    }

    /** {@code scheme://host[:port]} of {@code uri}, lower case, with a path of {@code /} to resolve against. */
    static URI origin(URI uri) {
        String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + port + "/");
    }

    static String stripTrailingSlash(String path) {
        String p = path == null ? "" : path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    static String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    static List<String> strings(JsonNode json, String name) {
        JsonNode array = json.get(name);
        List<String> values = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                if (element.isTextual() && !element.textValue().isBlank()) {
                    values.add(element.textValue());
                }
            }
        }
        return List.copyOf(values);
    }
}
