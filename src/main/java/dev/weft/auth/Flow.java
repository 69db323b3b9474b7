package dev.weft.auth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One authorization of one MCP server, start to finish: discovery, the grant the options choose (authorization code
 * with PKCE, client credentials, or cross-app access), and refreshes. It keeps no state between calls beyond its
 * configuration; the authorizer holds the lock of the server while it runs, so at most one flow runs per server.
 *
 * <p>Everything runs on the caller's thread and blocks: HTTP requests of at most the options' timeout each, and the
 * wait for the person through the redirect receiver. Interrupting the thread stops it with an
 * {@link InterruptedException}. Never logs a token, a code, a verifier or a secret.
 */
final class Flow {
    private static final System.Logger LOG = System.getLogger(OAuthAuthorizer.class.getName());
    static final String OFFLINE_ACCESS = "offline_access";

    /**
     * What discovery found for a server: what every grant needs.
     *
     * @param resourceMetadata the protected resource metadata, or {@code null} (a 2025-03-26 server)
     * @param resource         the {@code resource} parameter to send: the metadata's {@code resource} verbatim, else
     *                         the server's URL
     * @param metadata         the authorization server's metadata (or its default endpoints)
     */
    record Context(Discovery.ResourceMetadata resourceMetadata, String resource, Discovery.ServerMetadata metadata) {
    }

    private final OAuthOptions options;
    private final URI server;
    private final Discovery discovery;
    private final TokenClient tokens;

    /**
     * @param server the MCP server's URL, normalized
     */
    Flow(OAuthOptions options, AuthHttp http, URI server, Clock clock) {
        this.options = options;
        this.server = server;
        this.discovery = new Discovery(http, server);
        this.tokens = new TokenClient(http, server, clock);
    }

    /**
     * Discovers the server's protected resource metadata (from {@code resourceMetadataUrl}, the challenge's, when
     * given), checks that it covers the server, and discovers its authorization server's metadata; without protected
     * resource metadata, the server's origin is the authorization server (2025-03-26), with default endpoints when it
     * has no metadata either.
     */
    Context discover(String resourceMetadataUrl) throws AuthorizationException, InterruptedException {
        Discovery.ResourceMetadata resource = discovery.resourceMetadata(resourceMetadataUrl);
        if (resource != null) {
            discovery.checkResource(resource);
            String issuer = resource.authorizationServers().getFirst();
            Discovery.ServerMetadata metadata = discovery.serverMetadata(issuer, true);
            if (metadata == null) {
                throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA,
                        "the authorization server " + issuer + " has no metadata at any well-known URL", server,
                        resource.url(), null, null, null, null);
            }
            return new Context(resource, resource.resource(), metadata);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> server + " has no protected resource metadata: its origin is its "
                + "authorization server (2025-03-26)");
        Discovery.ServerMetadata metadata = discovery.serverMetadata(Discovery.origin(server).toString(), false);
        return new Context(null, server.toString(), metadata != null ? metadata : Discovery.defaults(server));
    }

    /**
     * The scopes to ask for: the challenge's {@code scope}, else the protected resource metadata's
     * {@code scopes_supported}; with {@code previous} (a step-up asks for the union) and the options' extra scopes;
     * and {@code offline_access} for a grant that involves a person when the authorization server lists it and
     * other scopes are asked for. Empty: omit {@code scope}.
     */
    Set<String> scopes(Context context, Challenge challenge, Set<String> previous) {
        Set<String> scopes = new LinkedHashSet<>(previous);
        Set<String> challenged = TokenClient.scopes(challenge == null ? null : challenge.param("scope"));
        if (!challenged.isEmpty()) {
            scopes.addAll(challenged);
        } else if (context.resourceMetadata() != null) {
            scopes.addAll(context.resourceMetadata().scopesSupported());
        }
        scopes.addAll(options.extraScopes());
        boolean person = options.clientCredentials() == null && options.enterpriseIdp() == null;
        if (person && !scopes.isEmpty() && context.metadata().scopesSupported().contains(OFFLINE_ACCESS)) {
            scopes.add(OFFLINE_ACCESS);
        }
        return scopes;
    }

    /** Obtains tokens with the grant the options choose. */
    TokenStore.Tokens authorize(Context context, Set<String> scopes) throws IOException, InterruptedException {
        if (options.clientCredentials() != null) {
            return clientCredentials(context, scopes);
        }
        if (options.enterpriseIdp() != null) {
            return crossAppAccess(context, scopes);
        }
        return authorizationCode(context, scopes);
    }

    private TokenStore.Tokens clientCredentials(Context context, Set<String> scopes)
            throws AuthorizationException, InterruptedException {
        Discovery.ServerMetadata metadata = context.metadata();
        TokenClient.Client client = TokenClient.Client.of(options.clientCredentials(), null,
                metadata.tokenEndpointAuthMethods(), false);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "client_credentials");
        putScopeAndResource(params, scopes, context);
        return tokens.token(metadata, client, params, scopes);
    }

    private TokenStore.Tokens crossAppAccess(Context context, Set<String> scopes)
            throws AuthorizationException, InterruptedException {
        EnterpriseIdp idp = options.enterpriseIdp();
        String idToken;
        try {
            idToken = idp.idToken().get();
        } catch (RuntimeException e) {
            throw new AuthorizationException(AuthorizationException.Step.TOKEN_EXCHANGE, "no ID token: " + e,
                    server, null, idp.tokenEndpoint(), null, null, e);
        }
        if (idToken == null || idToken.isBlank()) {
            throw new AuthorizationException(AuthorizationException.Step.TOKEN_EXCHANGE, "no ID token", server, null,
                    idp.tokenEndpoint(), null, null, null);
        }
        Discovery.ServerMetadata metadata = context.metadata();
        String assertion = tokens.exchange(idp, idToken, metadata.issuer(), context.resource(), scopes);
        TokenClient.Client client = TokenClient.Client.of(options.preRegisteredClient(), null,
                metadata.tokenEndpointAuthMethods(), false);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", TokenClient.JWT_BEARER);
        params.put("assertion", assertion);
        putScopeAndResource(params, scopes, context);
        return tokens.token(metadata, client, params, scopes);
    }

    private TokenStore.Tokens authorizationCode(Context context, Set<String> scopes)
            throws IOException, InterruptedException {
        Discovery.ServerMetadata metadata = context.metadata();
        if (metadata.authorizationEndpoint() == null) {
            throw metadataFailure(metadata, "it has no authorization_endpoint");
        }
        if (metadata.url() != null && !metadata.codeChallengeMethods().contains("S256")) {
            throw metadataFailure(metadata, "it does not list S256 in code_challenge_methods_supported, so PKCE "
                    + "cannot be used");
        }
        RedirectReceiver receiver = options.redirectReceiver();
        String redirectUri = receiver.redirectUri().toString();
        TokenClient.Client client = client(metadata, redirectUri, true);
        String verifier = Crypto.randomToken();
        String state = Crypto.randomToken();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.credentials().clientId());
        query.put("code_challenge", Crypto.s256(verifier));
        query.put("code_challenge_method", "S256");
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        if (!scopes.isEmpty()) {
            query.put("scope", String.join(" ", scopes));
        }
        query.put("resource", context.resource());
        if (scopes.contains(OFFLINE_ACCESS)) {
            query.put("prompt", "consent"); // OpenID Connect issues refresh tokens for offline_access only so
        }
        URI endpoint = metadata.authorizationEndpoint();
        URI request = URI.create(endpoint + (endpoint.getRawQuery() == null ? "?" : "&")
                + AuthHttp.formEncode(query));
        LOG.log(System.Logger.Level.DEBUG, () -> "authorizing " + server + " at " + endpoint + " as "
                + client.credentials().clientId() + ", scopes " + scopes);
        Map<String, String> answer;
        try {
            answer = receiver.await(request, options.redirectTimeout());
        } catch (InterruptedIOException e) {
            throw e; // abandoned, not failed
        } catch (IOException e) {
            throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION, "no redirect came back: "
                    + e.getMessage(), server, metadata.url(), endpoint, null, null, e);
        }
        if (answer.get("error") != null) {
            throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION, "the authorization was "
                    + "refused", server, metadata.url(), endpoint, answer.get("error"),
                    answer.get("error_description"), null);
        }
        if (!state.equals(answer.get("state"))) {
            throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION, "the redirect's state does "
                    + "not match the request's", server, metadata.url(), endpoint, null, null, null);
        }
        String issuer = answer.get("iss"); // RFC 9207: who sent the person back, against mix-up attacks
        if (issuer != null && metadata.url() != null && !Discovery.stripTrailingSlash(issuer)
                .equals(Discovery.stripTrailingSlash(metadata.issuer()))) {
            throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION, "the redirect came from the "
                    + "issuer " + issuer + ", not " + metadata.issuer(), server, metadata.url(), endpoint, null, null,
                    null);
        }
        String code = answer.get("code");
        if (code == null || code.isBlank()) {
            throw new AuthorizationException(AuthorizationException.Step.AUTHORIZATION, "the redirect has no code",
                    server, metadata.url(), endpoint, null, null, null);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "authorization_code");
        params.put("code", code);
        params.put("code_verifier", verifier);
        params.put("redirect_uri", redirectUri);
        params.put("resource", context.resource());
        return token(metadata, client, params, scopes);
    }

    /**
     * Refreshes {@code current} with its refresh token, as the client that obtained it; the new tokens keep the old
     * refresh token when the server sends none.
     */
    TokenStore.Tokens refresh(Context context, TokenStore.Tokens current) throws IOException, InterruptedException {
        Discovery.ServerMetadata metadata = context.metadata();
        TokenClient.Client client;
        if (options.clientCredentials() != null) {
            client = TokenClient.Client.of(options.clientCredentials(), null, metadata.tokenEndpointAuthMethods(),
                    false);
        } else {
            String redirect = options.redirectReceiver() == null ? null
                    : options.redirectReceiver().redirectUri().toString();
            client = client(metadata, redirect, false);
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", "refresh_token");
        params.put("refresh_token", current.refreshToken());
        params.put("resource", context.resource());
        TokenStore.Tokens fresh = token(metadata, client, params, current.scopes());
        return fresh.refreshToken() != null ? fresh : new TokenStore.Tokens(fresh.accessToken(),
                current.refreshToken(), fresh.expiresAt(), fresh.scopes());
    }

    private TokenStore.Tokens token(Discovery.ServerMetadata metadata, TokenClient.Client client,
                                    Map<String, String> params, Set<String> scopes)
            throws IOException, InterruptedException {
        try {
            return tokens.token(metadata, client, params, scopes);
        } catch (AuthorizationException e) {
            if (client.registered() && ("invalid_client".equals(e.error())
                    || "unauthorized_client".equals(e.error()))) {
                options.tokenStore().removeRegistration(metadata.issuer()); // registers afresh next time
            }
            throw e;
        }
    }

    /**
     * The client for the authorization code grant, in the specification's order of preference: pre-registered; the
     * client ID metadata document, where supported; a registration kept for the authorization server; a new one by
     * dynamic client registration (only when {@code register}).
     */
    private TokenClient.Client client(Discovery.ServerMetadata metadata, String redirectUri, boolean register)
            throws IOException, InterruptedException {
        if (options.preRegisteredClient() != null) {
            return TokenClient.Client.of(options.preRegisteredClient(), null, metadata.tokenEndpointAuthMethods(),
                    false);
        }
        if (options.clientMetadataDocument() != null && metadata.clientIdMetadataDocuments()) {
            return TokenClient.Client.of(ClientCredentials.none(options.clientMetadataDocument().toString()), null,
                    null, false);
        }
        TokenStore store = options.tokenStore();
        Optional<TokenStore.Registration> kept = store.registration(metadata.issuer());
        if (kept.isPresent()) {
            return client(kept.get(), metadata);
        }
        if (!register || redirectUri == null) {
            throw new AuthorizationException(AuthorizationException.Step.REGISTRATION, "no client is registered with "
                    + metadata.issuer(), server, metadata.url(), null, null, null, null);
        }
        if (metadata.registrationEndpoint() == null) {
            throw new AuthorizationException(AuthorizationException.Step.REGISTRATION, "no pre-registered client, "
                    + "and the authorization server supports neither client ID metadata documents (or none is "
                    + "configured) nor dynamic client registration", server, metadata.url(), null, null, null, null);
        }
        TokenStore.Registration registration = tokens.register(metadata, options.clientName(),
                URI.create(redirectUri));
        store.saveRegistration(metadata.issuer(), registration);
        LOG.log(System.Logger.Level.INFO, () -> "registered client " + registration.clientId() + " with "
                + metadata.issuer() + " for " + server);
        return client(registration, metadata);
    }

    private static TokenClient.Client client(TokenStore.Registration registration, Discovery.ServerMetadata metadata) {
        ClientCredentials credentials = registration.clientSecret() == null
                ? ClientCredentials.none(registration.clientId())
                : ClientCredentials.secret(registration.clientId(), registration.clientSecret());
        return TokenClient.Client.of(credentials, registration.tokenEndpointAuthMethod(),
                metadata.tokenEndpointAuthMethods(), true);
    }

    private static void putScopeAndResource(Map<String, String> params, Set<String> scopes, Context context) {
        if (!scopes.isEmpty()) {
            params.put("scope", String.join(" ", scopes));
        }
        params.put("resource", context.resource());
    }

    private AuthorizationException metadataFailure(Discovery.ServerMetadata metadata, String what) {
        return new AuthorizationException(AuthorizationException.Step.AUTHORIZATION_SERVER_METADATA, what, server,
                metadata.url(), null, null, null, null);
    }
}
