package dev.weft.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@link OAuthAuthorizer} obtains tokens: the immutable configuration of {@link OAuthAuthorizer#create}.
 * Thread-safe (immutable); each {@code with} method returns a copy.
 *
 * <p>Which grant it uses: the client credentials grant when {@link #clientCredentials()} is set (machine to machine,
 * no person involved); else cross-app access when {@link #enterpriseIdp()} is set; else the authorization code grant
 * with PKCE, through the {@link #redirectReceiver()}. For the authorization code grant, the client is, in this order
 * of preference: the {@link #preRegisteredClient()}; the {@link #clientMetadataDocument()} as {@code client_id}, when
 * the authorization server supports client ID metadata documents; a registration kept in the
 * {@link #tokenStore()} for that authorization server; a new one by dynamic client registration.
 *
 * @param redirectReceiver            shows the person the authorization request and receives the redirect; needed
 *                                    for the authorization code grant, else {@code null}
 * @param clientName                  the {@code client_name} sent in dynamic client registration
 * @param preRegisteredClient         a client registered with the authorization server beforehand, or {@code null};
 *                                    required with {@link #enterpriseIdp()}
 * @param clientMetadataDocument      the HTTPS URL of this client's metadata document (a client ID metadata
 *                                    document), used as its {@code client_id} where supported; or {@code null}
 * @param clientCredentials           when set, tokens come from the client credentials grant with these credentials;
 *                                    or {@code null}
 * @param enterpriseIdp               when set (and {@code clientCredentials} is not), tokens come from cross-app
 *                                    access through this identity provider; or {@code null}
 * @param tokenStore                  where tokens and registrations are kept
 * @param extraScopes                 scopes asked for on top of those the server's challenge or metadata names
 * @param maxAuthorizationsPerRequest how many times one request may be refused and authorized before it fails
 *                                    (a 401 authorizes, a 403 for more scopes steps up); at least 1
 * @param httpTimeout                 how long each request to a metadata, registration or token endpoint may take
 * @param redirectTimeout             how long to wait for the person to approve, through the redirect receiver
 */
public record OAuthOptions(RedirectReceiver redirectReceiver, String clientName, ClientCredentials preRegisteredClient,
                           URI clientMetadataDocument, ClientCredentials clientCredentials,
                           EnterpriseIdp enterpriseIdp, TokenStore tokenStore, Set<String> extraScopes,
                           int maxAuthorizationsPerRequest, Duration httpTimeout, Duration redirectTimeout) {
    /** The default {@link #maxAuthorizationsPerRequest()}: 3. */
    public static final int DEFAULT_MAX_AUTHORIZATIONS_PER_REQUEST = 3;
    /** The default {@link #httpTimeout()}: 30 seconds. */
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #redirectTimeout()}: 5 minutes. */
    public static final Duration DEFAULT_REDIRECT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Checks and copies.
     *
     * @throws NullPointerException     if {@code clientName}, {@code tokenStore}, {@code extraScopes} or a timeout is
     *                                  {@code null}
     * @throws IllegalArgumentException if {@code clientMetadataDocument} is not an HTTPS URL with a path, a scope is
     *                                  blank or holds a space, {@code maxAuthorizationsPerRequest} is below 1, or a
     *                                  timeout is not positive
     */
    public OAuthOptions {
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(tokenStore, "tokenStore");
        extraScopes = Set.copyOf(extraScopes);
        for (String scope : extraScopes) {
            if (scope.isBlank() || scope.contains(" ")) {
                throw new IllegalArgumentException("not a scope: '" + scope + "'");
            }
        }
        if (clientMetadataDocument != null && (!"https".equalsIgnoreCase(clientMetadataDocument.getScheme())
                || clientMetadataDocument.getHost() == null || clientMetadataDocument.getPath() == null
                || clientMetadataDocument.getPath().isEmpty() || clientMetadataDocument.getPath().equals("/"))) {
            throw new IllegalArgumentException("a client metadata document URL must be https with a path: "
                    + clientMetadataDocument);
        }
        if (maxAuthorizationsPerRequest < 1) {
            throw new IllegalArgumentException("maxAuthorizationsPerRequest must be at least 1: "
                    + maxAuthorizationsPerRequest);
        }
        positive(httpTimeout, "httpTimeout");
        positive(redirectTimeout, "redirectTimeout");
    }

    private static void positive(Duration timeout, String name) {
        if (Objects.requireNonNull(timeout, name).isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + timeout);
        }
    }

    /**
     * {@return options with the defaults: no redirect receiver and no client (set at least one way to get tokens),
     * client name {@code Weft}, an {@linkplain TokenStore#inMemory() in-memory} token store, no extra scopes, 3
     * authorizations per request, 30 s per HTTP request, 5 min for the person}
     */
    public static OAuthOptions defaults() {
        return new OAuthOptions(null, "Weft", null, null, null, null, TokenStore.inMemory(), Set.of(),
                DEFAULT_MAX_AUTHORIZATIONS_PER_REQUEST, DEFAULT_HTTP_TIMEOUT, DEFAULT_REDIRECT_TIMEOUT);
    }

    /**
     * {@return these options with another redirect receiver, for the authorization code grant}
     *
     * @param redirectReceiver shows the person the authorization request and receives the redirect
     */
    public OAuthOptions withRedirectReceiver(RedirectReceiver redirectReceiver) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with another client name for dynamic client registration}
     *
     * @param clientName the {@code client_name}
     */
    public OAuthOptions withClientName(String clientName) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with a pre-registered client, or none}
     *
     * @param preRegisteredClient the client registered with the authorization server beforehand, or {@code null}
     */
    public OAuthOptions withPreRegisteredClient(ClientCredentials preRegisteredClient) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with a client ID metadata document URL, or none}
     *
     * @param clientMetadataDocument the HTTPS URL (with a path) where this client's metadata document is served, or
     *                               {@code null}
     */
    public OAuthOptions withClientMetadataDocument(URI clientMetadataDocument) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options using the client credentials grant with {@code clientCredentials}, or not}
     *
     * @param clientCredentials the client's credentials (a secret or a private key), or {@code null} for another
     *                          grant
     */
    public OAuthOptions withClientCredentials(ClientCredentials clientCredentials) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options using cross-app access through {@code enterpriseIdp}, or not; the
     * {@linkplain #preRegisteredClient() pre-registered client} authenticates at the authorization server}
     *
     * @param enterpriseIdp the enterprise identity provider, or {@code null} for another grant
     */
    public OAuthOptions withEnterpriseIdp(EnterpriseIdp enterpriseIdp) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with another token store}
     *
     * @param tokenStore where tokens and registrations are kept
     */
    public OAuthOptions withTokenStore(TokenStore tokenStore) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options asking for more scopes than the server names}
     *
     * @param extraScopes scopes asked for on top of the challenge's or the metadata's
     */
    public OAuthOptions withExtraScopes(Set<String> extraScopes) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with another limit of authorizations per request}
     *
     * @param maxAuthorizationsPerRequest how many times one request may be refused and authorized; at least 1
     */
    public OAuthOptions withMaxAuthorizationsPerRequest(int maxAuthorizationsPerRequest) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with another timeout for each HTTP request}
     *
     * @param httpTimeout how long each request to a metadata, registration or token endpoint may take
     */
    public OAuthOptions withHttpTimeout(Duration httpTimeout) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }

    /**
     * {@return these options with another wait for the person}
     *
     * @param redirectTimeout how long to wait for the redirect after the authorization request
     */
    public OAuthOptions withRedirectTimeout(Duration redirectTimeout) {
        return new OAuthOptions(redirectReceiver, clientName, preRegisteredClient, clientMetadataDocument,
                clientCredentials, enterpriseIdp, tokenStore, extraScopes, maxAuthorizationsPerRequest, httpTimeout,
                redirectTimeout);
    }
}
