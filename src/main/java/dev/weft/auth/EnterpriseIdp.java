package dev.weft.auth;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An enterprise identity provider for cross-app access (the MCP extension for enterprise-managed authorization,
 * SEP-990): instead of asking the person, the authorizer exchanges the person's ID token at the identity provider for
 * an identity assertion grant (ID-JAG, RFC 8693 token exchange) meant for the MCP server's authorization server, and
 * presents that to the authorization server (RFC 7523 JWT bearer grant) as the
 * {@linkplain OAuthOptions#preRegisteredClient() pre-registered client}. Set with
 * {@link OAuthOptions#withEnterpriseIdp}.
 *
 * <p>Immutable and thread-safe. {@code idToken} is called on the thread that authorizes, each time it authorizes; it
 * may block (to refresh the person's single sign-on session, say) and must be thread-safe.
 *
 * @param tokenEndpoint the identity provider's token endpoint
 * @param client        how the authorizer identifies itself to the identity provider (a {@link ClientCredentials.Public}
 *                      sends its {@code client_id} only)
 * @param idToken       supplies the person's current ID token from the identity provider
 */
public record EnterpriseIdp(URI tokenEndpoint, ClientCredentials client, Supplier<String> idToken) {
    /**
     * Checks.
     *
     * @throws NullPointerException     if a component is {@code null}
     * @throws IllegalArgumentException if {@code tokenEndpoint} is not an absolute http(s) URI
     */
    public EnterpriseIdp {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(idToken, "idToken");
        if (!tokenEndpoint.isAbsolute() || tokenEndpoint.getHost() == null
                || !"http".equalsIgnoreCase(tokenEndpoint.getScheme())
                && !"https".equalsIgnoreCase(tokenEndpoint.getScheme())) {
            throw new IllegalArgumentException("tokenEndpoint must be an absolute http(s) URI: " + tokenEndpoint);
        }
    }
}
