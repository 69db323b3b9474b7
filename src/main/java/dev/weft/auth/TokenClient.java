package dev.weft.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the authorizer asks of an authorization server's endpoints other than the authorization endpoint: token
 * requests of every grant, with the client authentication the server supports ({@code client_secret_basic},
 * {@code client_secret_post}, {@code none}, {@code private_key_jwt}), dynamic client registration (RFC 7591), and the
 * token exchange at an enterprise identity provider (RFC 8693).
 *
 * <p>Everything runs on the caller's thread and blocks for one HTTP request. Never logs a token, a secret or a form.
 * Thread-safe (no state beyond its configuration).
 */
final class TokenClient {
    static final String BASIC = "client_secret_basic";
    static final String POST = "client_secret_post";
    static final String NONE = "none";
    static final String PRIVATE_KEY_JWT = "private_key_jwt";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

    /**
     * A client identity at one authorization server and the way it authenticates there.
     *
     * @param credentials its id and secret or key
     * @param method      {@value #BASIC}, {@value #POST}, {@value #NONE} or {@value #PRIVATE_KEY_JWT}
     * @param registered  whether it came from dynamic client registration (and may be forgotten when refused)
     */
    record Client(ClientCredentials credentials, String method, boolean registered) {
        /** Chooses the method for {@code credentials} at a server that supports {@code supported} (null: unknown). */
        static Client of(ClientCredentials credentials, String registeredMethod, List<String> supported,
                         boolean registered) {
            return new Client(credentials, method(credentials, registeredMethod, supported), registered);
        }

        private static String method(ClientCredentials credentials, String registeredMethod, List<String> supported) {
            return switch (credentials) {
                case ClientCredentials.Public p -> NONE;
                case ClientCredentials.PrivateKeyJwt k -> PRIVATE_KEY_JWT;
                case ClientCredentials.Secret s -> {
                    if (registeredMethod != null && List.of(BASIC, POST, NONE).contains(registeredMethod)
                            && (supported == null || supported.contains(registeredMethod))) {
                        yield registeredMethod;
                    }
                    if (supported == null || supported.contains(BASIC)) {
                        yield BASIC;
                    }
                    yield supported.contains(POST) || !supported.contains(NONE) ? POST : NONE;
                }
            };
        }
    }

    private final AuthHttp http;
    private final URI server;
    private final Clock clock;

    /**
     * @param server the MCP server the tokens are for, for errors
     */
    TokenClient(AuthHttp http, URI server, Clock clock) {
        this.http = http;
        this.server = server;
        this.clock = clock;
    }

    /**
     * Requests tokens at {@code metadata}'s token endpoint with the grant's {@code params}, authenticated as
     * {@code client}.
     *
     * @param requested the scopes asked for, kept as the tokens' scopes when the answer names none
     * @throws AuthorizationException the request failed or was refused ({@code error} says why, when it said)
     */
    TokenStore.Tokens token(Discovery.ServerMetadata metadata, Client client, Map<String, String> params,
                            Set<String> requested) throws AuthorizationException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>(params);
        Map<String, String> headers = new LinkedHashMap<>();
        authenticate(client, metadata, form, headers);
        URI endpoint = metadata.tokenEndpoint();
        AuthHttp.Reply reply;
        try {
            reply = http.postForm(endpoint, form, headers);
        } catch (IOException e) {
            throw failure(AuthorizationException.Step.TOKEN, "the token request failed: " + e.getMessage(), metadata,
                    endpoint, null, e);
        }
        JsonNode json = reply.json();
        if (!reply.ok()) {
            throw refusal(AuthorizationException.Step.TOKEN, "the token request (" + params.get("grant_type")
                    + ") was refused with HTTP " + reply.status(), metadata, endpoint, json);
        }
        return tokens(json, requested, metadata, endpoint);
    }

    private TokenStore.Tokens tokens(JsonNode json, Set<String> requested, Discovery.ServerMetadata metadata,
                                     URI endpoint) throws AuthorizationException {
        if (json == null || !json.isObject() || Discovery.text(json, "access_token") == null) {
            throw failure(AuthorizationException.Step.TOKEN, "the token response has no access_token", metadata,
                    endpoint, null, null);
        }
        String type = Discovery.text(json, "token_type");
        if (type != null && !type.equalsIgnoreCase("Bearer")) {
            throw failure(AuthorizationException.Step.TOKEN, "the token response's token_type is " + type
                    + ", not Bearer", metadata, endpoint, null, null);
        }
        JsonNode expiresIn = json.get("expires_in");
        Instant expiresAt = null;
        if (expiresIn != null && (expiresIn.isNumber() || expiresIn.isTextual())) {
            long seconds = expiresIn.isNumber() ? expiresIn.asLong() : parseLong(expiresIn.textValue());
            if (seconds > 0) {
                expiresAt = clock.instant().plusSeconds(seconds);
            }
        }
        String scope = Discovery.text(json, "scope");
        Set<String> scopes = scope == null ? requested : scopes(scope);
        return new TokenStore.Tokens(json.get("access_token").textValue(), Discovery.text(json, "refresh_token"),
                expiresAt, scopes);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The scopes of a space-separated {@code scope} value, in order. */
    static Set<String> scopes(String scope) {
        Set<String> scopes = new LinkedHashSet<>();
        if (scope != null) {
            Arrays.stream(scope.split(" ")).filter(s -> !s.isBlank()).forEach(scopes::add);
        }
        return scopes;
    }

    /** Adds {@code client}'s authentication to a token request. */
    private void authenticate(Client client, Discovery.ServerMetadata metadata, Map<String, String> form,
                              Map<String, String> headers) throws AuthorizationException {
        ClientCredentials credentials = client.credentials();
        switch (client.method()) {
            case BASIC -> {
                String secret = credentials instanceof ClientCredentials.Secret s ? s.clientSecret() : "";
                String pair = AuthHttp.encode(credentials.clientId()) + ":" + AuthHttp.encode(secret);
                headers.put("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case POST -> {
                form.put("client_id", credentials.clientId());
                form.put("client_secret", credentials instanceof ClientCredentials.Secret s ? s.clientSecret() : "");
            }
            case PRIVATE_KEY_JWT -> {
                ClientCredentials.PrivateKeyJwt key = (ClientCredentials.PrivateKeyJwt) credentials;
                String audience = metadata.issuer() != null ? metadata.issuer() : metadata.tokenEndpoint().toString();
                try {
                    form.put("client_id", key.clientId());
                    form.put("client_assertion_type", Crypto.ASSERTION_TYPE);
                    form.put("client_assertion", Crypto.clientAssertion(key, audience, clock.instant()));
                } catch (IOException e) {
                    throw failure(AuthorizationException.Step.TOKEN, e.getMessage(), metadata,
                            metadata.tokenEndpoint(), null, e);
                }
            }
            default -> form.put("client_id", credentials.clientId());
        }
    }

    /**
     * Registers a client by dynamic client registration: a public or confidential client for the authorization code
     * grant (and refresh tokens) with {@code redirectUri}.
     */
    TokenStore.Registration register(Discovery.ServerMetadata metadata, String clientName, URI redirectUri)
            throws AuthorizationException, InterruptedException {
        URI endpoint = metadata.registrationEndpoint();
        ObjectNode body = AuthHttp.JSON.createObjectNode().put("client_name", clientName);
        body.putArray("redirect_uris").add(redirectUri.toString());
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        AuthHttp.Reply reply;
        try {
            reply = http.postJson(endpoint, body);
        } catch (IOException e) {
            throw failure(AuthorizationException.Step.REGISTRATION, "dynamic client registration failed: "
                    + e.getMessage(), metadata, endpoint, null, e);
        }
        JsonNode json = reply.json();
        if (!reply.ok()) {
            throw refusal(AuthorizationException.Step.REGISTRATION, "dynamic client registration was refused with HTTP "
                    + reply.status(), metadata, endpoint, json);
        }
        String clientId = json == null ? null : Discovery.text(json, "client_id");
        if (clientId == null) {
            throw failure(AuthorizationException.Step.REGISTRATION, "the registration response has no client_id",
                    metadata, endpoint, null, null);
        }
        return new TokenStore.Registration(clientId, Discovery.text(json, "client_secret"),
                Discovery.text(json, "token_endpoint_auth_method"));
    }

    /**
     * Exchanges the person's ID token at {@code idp} for an identity assertion grant (ID-JAG) for the authorization
     * server {@code audience} and the resource {@code resource}.
     *
     * @return the ID-JAG
     */
    String exchange(EnterpriseIdp idp, String idToken, String audience, String resource, Set<String> scopes)
            throws AuthorizationException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("requested_token_type", ID_JAG);
        form.put("subject_token", idToken);
        form.put("subject_token_type", ID_TOKEN);
        form.put("audience", audience);
        form.put("resource", resource);
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Discovery.ServerMetadata idpEndpoint = new Discovery.ServerMetadata(null, null, null, idp.tokenEndpoint(),
                null, List.of(), null, List.of(), false);
        authenticate(Client.of(idp.client(), null, null, false), idpEndpoint, form, headers);
        AuthHttp.Reply reply;
        try {
            reply = http.postForm(idp.tokenEndpoint(), form, headers);
        } catch (IOException e) {
            throw failure(AuthorizationException.Step.TOKEN_EXCHANGE, "the token exchange failed: " + e.getMessage(),
                    null, idp.tokenEndpoint(), null, e);
        }
        JsonNode json = reply.json();
        if (!reply.ok()) {
            throw refusal(AuthorizationException.Step.TOKEN_EXCHANGE, "the token exchange was refused with HTTP "
                    + reply.status(), null, idp.tokenEndpoint(), json);
        }
        String assertion = json == null ? null : Discovery.text(json, "access_token");
        String issued = json == null ? null : Discovery.text(json, "issued_token_type");
        if (assertion == null || issued != null && !issued.equals(ID_JAG)) {
            throw failure(AuthorizationException.Step.TOKEN_EXCHANGE, "the token exchange did not issue an ID-JAG"
                    + (issued == null ? "" : " (issued_token_type " + issued + ")"), null, idp.tokenEndpoint(),
                    null, null);
        }
        return assertion;
    }

    private AuthorizationException refusal(AuthorizationException.Step step, String what,
                                           Discovery.ServerMetadata metadata, URI endpoint, JsonNode json) {
        String error = json == null ? null : Discovery.text(json, "error");
        String description = json == null ? null : Discovery.text(json, "error_description");
        return new AuthorizationException(step, what, server, metadata == null ? null : metadata.url(), endpoint,
                error, description, null);
    }

    private AuthorizationException failure(AuthorizationException.Step step, String what,
                                           Discovery.ServerMetadata metadata, URI endpoint, String error,
                                           Throwable cause) {
        return new AuthorizationException(step, what, server, metadata == null ? null : metadata.url(), endpoint,
                error, null, cause);
    }
}
