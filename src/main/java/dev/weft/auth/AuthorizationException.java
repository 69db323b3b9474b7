package dev.weft.auth;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * Authorizing access to an MCP server failed: which {@linkplain #step() step} was attempted, for which
 * {@linkplain #server() server}, with which metadata document and endpoint, and the authorization server's OAuth
 * {@linkplain #error() error} and description when it sent one. Never carries a token, a code or a secret.
 *
 * <p>It is the cause of the failure of the request whose 401 or 403 started the authorization (and of every request
 * that waited for the same authorization). Immutable and thread-safe; nothing in it blocks.
 */
public final class AuthorizationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was being done when authorization failed. */
    public enum Step {
        /** Fetching the protected resource metadata (RFC 9728) of the MCP server. */
        PROTECTED_RESOURCE_METADATA,
        /**
         * Checking that the protected resource metadata's {@code resource} covers the MCP server's URL: a document
         * naming another origin, or a path that is not a prefix of the server's, is refused before anything is asked
         * of an authorization server.
         */
        RESOURCE_CHECK,
        /** Fetching the authorization server's metadata (RFC 8414, OpenID Connect Discovery), or checking it. */
        AUTHORIZATION_SERVER_METADATA,
        /** Finding a client identity: pre-registered, a metadata document, or dynamic client registration. */
        REGISTRATION,
        /** The authorization request: the person's consent and the redirect back with a code. */
        AUTHORIZATION,
        /** A request to the authorization server's token endpoint (any grant, refresh included). */
        TOKEN,
        /** The token exchange at the enterprise identity provider (cross-app access). */
        TOKEN_EXCHANGE
    }

    /** The step that failed. */
    private final Step step;
    /** The MCP server the authorization was for. */
    private final transient URI server;
    /** The metadata document involved, or {@code null}. */
    private final transient URI metadataUrl;
    /** The endpoint that was called, or {@code null}. */
    private final transient URI endpoint;
    /** The OAuth error code, or {@code null}. */
    private final String error;
    /** The OAuth error description, or {@code null}. */
    private final String errorDescription;

    /**
     * Creates the exception.
     *
     * @param step             what was being done
     * @param message          what went wrong, in words; must not contain a token or a secret
     * @param server           the MCP server the authorization was for
     * @param metadataUrl      the metadata document involved, or {@code null}
     * @param endpoint         the endpoint that was called, or {@code null}
     * @param error            the OAuth error code the server sent, or {@code null}
     * @param errorDescription the OAuth error description the server sent, or {@code null}
     * @param cause            the underlying failure, or {@code null}
     */
    public AuthorizationException(Step step, String message, URI server, URI metadataUrl, URI endpoint, String error,
                                  String errorDescription, Throwable cause) {
        super(describe(step, message, server, metadataUrl, endpoint, error, errorDescription), cause);
        this.step = Objects.requireNonNull(step, "step");
        this.server = Objects.requireNonNull(server, "server");
        this.metadataUrl = metadataUrl;
        this.endpoint = endpoint;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    /** The same failure for another request that waited for the authorization that failed; its cause is {@code e}. */
    AuthorizationException(AuthorizationException e) {
        super("the authorization this request waited for failed: " + e.getMessage(), e);
        this.step = e.step;
        this.server = e.server;
        this.metadataUrl = e.metadataUrl;
        this.endpoint = e.endpoint;
        this.error = e.error;
        this.errorDescription = e.errorDescription;
    }

    private static String describe(Step step, String message, URI server, URI metadataUrl, URI endpoint,
                                   String error, String errorDescription) {
        StringBuilder sb = new StringBuilder("authorization for ").append(server).append(" failed at ")
                .append(step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append(": ")
                .append(message);
        if (endpoint != null) {
            sb.append(" (endpoint ").append(endpoint).append(')');
        }
        if (metadataUrl != null) {
            sb.append(" (metadata ").append(metadataUrl).append(')');
        }
        if (error != null) {
            sb.append("; error ").append(error);
            if (errorDescription != null && !errorDescription.isBlank()) {
                sb.append(": ").append(errorDescription);
            }
        }
        return sb.toString();
    }

    /** {@return the step that failed} */
    public Step step() {
        return step;
    }

    /** {@return the MCP server the authorization was for} */
    public URI server() {
        return server;
    }

    /** {@return the metadata document involved (protected resource or authorization server), or {@code null}} */
    public URI metadataUrl() {
        return metadataUrl;
    }

    /** {@return the endpoint that was called (token, registration, authorization, ...), or {@code null}} */
    public URI endpoint() {
        return endpoint;
    }

    /** {@return the OAuth error code the server sent (such as {@code invalid_grant}), or {@code null}} */
    public String error() {
        return error;
    }

    /** {@return the OAuth error description the server sent, or {@code null}} */
    public String errorDescription() {
        return errorDescription;
    }
}
