package dev.weft.auth;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where an {@link OAuthAuthorizer} keeps what it obtained: the tokens of each MCP server, keyed by the server's URL
 * (so one store serves many servers), and the client registrations it made by dynamic client registration, keyed by
 * the authorization server's issuer (so a registration is made once per authorization server and reused).
 *
 * <p>{@link #inMemory()} keeps them for the life of the process. Implement it to keep them elsewhere (an encrypted
 * file, the system's keychain); a store holds secrets, so it must never log or print them.
 *
 * <p><b>Threads.</b> Implementations must be thread-safe: the authorizer calls them from any thread, often several
 * at once. {@link #tokens} is called before every HTTP request to a server, so it should be fast; any method may
 * block (on a file, say), which delays the request that waits for it.
 */
public interface TokenStore {

    /**
     * {@return a store that keeps everything in memory, for the life of the process; it never blocks}
     */
    static TokenStore inMemory() {
        return new InMemoryTokenStore();
    }

    /**
     * The tokens kept for {@code server}.
     *
     * @param server the MCP server's URL, normalized (lower-case scheme and host, no fragment)
     * @return the tokens, or empty
     * @throws IOException when the store cannot be read
     */
    Optional<Tokens> tokens(URI server) throws IOException;

    /**
     * Keeps {@code tokens} for {@code server}, replacing any.
     *
     * @param server the MCP server's URL, normalized
     * @param tokens the tokens
     * @throws IOException when the store cannot be written
     */
    void saveTokens(URI server, Tokens tokens) throws IOException;

    /**
     * Forgets the tokens of {@code server}, if any.
     *
     * @param server the MCP server's URL, normalized
     * @throws IOException when the store cannot be written
     */
    void removeTokens(URI server) throws IOException;

    /**
     * The client registration kept for the authorization server {@code issuer}.
     *
     * @param issuer the authorization server's issuer identifier
     * @return the registration, or empty
     * @throws IOException when the store cannot be read
     */
    Optional<Registration> registration(String issuer) throws IOException;

    /**
     * Keeps {@code registration} for the authorization server {@code issuer}, replacing any.
     *
     * @param issuer       the authorization server's issuer identifier
     * @param registration the registration
     * @throws IOException when the store cannot be written
     */
    void saveRegistration(String issuer, Registration registration) throws IOException;

    /**
     * Forgets the registration for {@code issuer}, if any (the authorization server no longer knows the client).
     *
     * @param issuer the authorization server's issuer identifier
     * @throws IOException when the store cannot be written
     */
    void removeRegistration(String issuer) throws IOException;

    /**
     * The tokens of one MCP server. Immutable; {@code toString} never shows a token.
     *
     * @param accessToken  the access token
     * @param refreshToken the refresh token, or {@code null}
     * @param expiresAt    when the access token expires, or {@code null} if the server did not say
     * @param scopes       the scopes granted (as the server said, else as requested)
     */
    record Tokens(String accessToken, String refreshToken, Instant expiresAt, Set<String> scopes) {
        /**
         * Checks and copies.
         *
         * @throws IllegalArgumentException if {@code accessToken} is blank
         */
        public Tokens {
            if (Objects.requireNonNull(accessToken, "accessToken").isBlank()) {
                throw new IllegalArgumentException("accessToken must not be blank");
            }
            scopes = Set.copyOf(scopes);
        }

        /**
         * {@return whether the access token expires within {@code margin} of {@code now} (or has expired); never, if
         * its expiry is unknown}
         *
         * @param now    the time now
         * @param margin how long before the expiry counts as expiring
         */
        public boolean expiresWithin(Instant now, Duration margin) {
            return expiresAt != null && !now.plus(margin).isBefore(expiresAt);
        }

        /** {@return the expiry and scopes, without the tokens} */
        @Override
        public String toString() {
            return "Tokens[accessToken=(hidden), refreshToken=" + (refreshToken == null ? "none" : "(hidden)")
                    + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }

    /**
     * A client registration made by dynamic client registration (RFC 7591). Immutable; {@code toString} never shows
     * the secret.
     *
     * @param clientId                the client id
     * @param clientSecret            the client secret, or {@code null} for a public client
     * @param tokenEndpointAuthMethod the token endpoint authentication method the server registered, or
     *                                {@code null} if it did not say
     */
    record Registration(String clientId, String clientSecret, String tokenEndpointAuthMethod) {
        /**
         * Checks.
         *
         * @throws IllegalArgumentException if {@code clientId} is blank
         */
        public Registration {
            if (Objects.requireNonNull(clientId, "clientId").isBlank()) {
                throw new IllegalArgumentException("clientId must not be blank");
            }
        }

        /** {@return the client id and method, without the secret} */
        @Override
        public String toString() {
            return "Registration[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none"
                    : "(hidden)") + ", tokenEndpointAuthMethod=" + tokenEndpointAuthMethod + "]";
        }
    }
}
