package dev.weft.auth;

import dev.weft.internal.SharedHttpClient;
import dev.weft.transport.HttpAuthorizer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * MCP authorization (protocol revision 2025-11-25) for the Streamable HTTP client transport: an
 * {@link HttpAuthorizer} that sends each server's access token, and, when a server refuses a request, discovers how
 * to authorize, obtains a token, and has the transport send the request again.
 *
 * <pre>{@code
 * OAuthAuthorizer authorizer = OAuthAuthorizer.create(OAuthOptions.defaults()
 *         .withRedirectReceiver(receiver));                     // shows the person the consent page
 * McpSession session = McpSession.open(StreamableHttpTransport.open(
 *         HttpSpec.of("https://mcp.example.com/mcp").withAuthorizer(authorizer)));
 * }</pre>
 *
 * <h2>What it does</h2>
 * On a 401 it reads the {@code WWW-Authenticate} challenge ({@code resource_metadata}, {@code scope},
 * {@code error}); discovers the server's protected resource metadata (the challenge's URL, else the path-based and
 * then the root well-known URL) and refuses metadata whose {@code resource} does not cover the server; discovers the
 * authorization server's metadata (OAuth and OpenID Connect well-known URLs, in the specification's order); and
 * obtains tokens with the grant {@link OAuthOptions} chooses: the authorization code grant with PKCE (S256),
 * {@code state} and the {@code resource} parameter, as a pre-registered client, a client ID metadata document or a
 * dynamically registered client (registrations are kept in the {@link TokenStore} and reused), checking the
 * redirect's {@code state} (and {@code iss}, when the authorization server sends one: RFC 9207); the client
 * credentials grant; or cross-app access through an enterprise identity provider. A server without protected
 * resource metadata is treated as the 2025-03-26 revision says: its origin is its authorization server, with
 * {@code /authorize}, {@code /token} and {@code /register} when it has no metadata either. Scopes come from the
 * challenge, else from the metadata; {@code offline_access} is added when the authorization server lists it. A 401
 * while a refresh token is kept refreshes first; a token about to expire is refreshed before it is sent. A 403 with
 * {@code insufficient_scope} authorizes again for the union of the scopes held and those challenged, unless the token
 * refused already had them all; one request is authorized at most
 * {@linkplain OAuthOptions#maxAuthorizationsPerRequest() a few times}.
 *
 * <h2>One authorization at a time per server</h2>
 * Requests that are refused together cause one authorization, not one each: per server (its normalized URL, the
 * {@link TokenStore}'s key), the first caller authorizes while holding the server's lock, and the others wait for the
 * lock; each then looks again: a token newer than the one it was refused with means it just sends its request
 * again; a failure of the authorization it waited for is its failure too; otherwise it authorizes itself. So a
 * request whose token was already replaced is sent again at once, and different servers authorize in parallel. The
 * wait is a {@link ReentrantLock}'s, interruptible, and pins no carrier thread. An authorization abandoned by its
 * caller's interrupt does not count as a failure: the next waiter tries again.
 *
 * <h2>Secrets</h2>
 * Tokens, codes, verifiers, client secrets and assertions are never logged, at any level, nor put in an exception.
 * A completed authorization is logged at {@code INFO} with the server, the authorization server, the scopes and the
 * expiry; discovery and refreshes at {@code DEBUG}.
 *
 * <h2>Threads</h2>
 * Thread-safe; one authorizer may serve any number of transports and servers. {@link #headers} blocks only to read the
 * token store, or to refresh a token about to expire. {@link #refused} blocks for a whole authorization: HTTP
 * requests of at most {@link OAuthOptions#httpTimeout()} each, and the person's consent for at most
 * {@link OAuthOptions#redirectTimeout()}; or for another caller's. It starts no thread. Its HTTP requests go through
 * the Jetty client Weft's transports share.
 */
public final class OAuthAuthorizer implements HttpAuthorizer {
    private static final System.Logger LOG = System.getLogger(OAuthAuthorizer.class.getName());
    /** How long before its expiry a token is refreshed before it is sent, when there is a refresh token. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    /**
     * A server's place in the authorizer. {@code attempts} and {@code context} are written under {@code lock} and read
     * without it; {@code lastFailure} is read and written under it.
     */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final AtomicInteger waiting = new AtomicInteger(); // callers waiting for the lock or holding it
        volatile long attempts; // authorizations that finished, failed or not
        volatile Flow.Context context; // what the last authorization discovered, for refreshes
        AuthorizationException lastFailure; // why the last attempt failed; null when it did not
    }

    private final OAuthOptions options;
    private final Clock clock;
    private final ConcurrentHashMap<URI, Slot> slots = new ConcurrentHashMap<>();

    OAuthAuthorizer(OAuthOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (options.clientCredentials() == null) {
            if (options.enterpriseIdp() != null && options.preRegisteredClient() == null) {
                throw new IllegalArgumentException("cross-app access needs the pre-registered client that "
                        + "authenticates at the authorization server");
            }
            if (options.enterpriseIdp() == null && options.redirectReceiver() == null) {
                throw new IllegalArgumentException("no way to obtain tokens: set a redirect receiver (authorization "
                        + "code grant), client credentials, or an enterprise identity provider");
            }
        }
    }

    /**
     * Creates an authorizer. It makes no request until a server refuses one.
     *
     * @param options how to obtain tokens, and where to keep them
     * @return the authorizer; any thread may use it
     * @throws IllegalArgumentException if the options give no way to obtain tokens (no redirect receiver, client
     *                                  credentials or enterprise identity provider), or name an enterprise identity
     *                                  provider without a pre-registered client
     */
    public static OAuthAuthorizer create(OAuthOptions options) {
        return new OAuthAuthorizer(options, Clock.systemUTC());
    }

    /** {@return the options this authorizer was created with} */
    public OAuthOptions options() {
        return options;
    }

    /**
     * The {@code Authorization: Bearer} header of the token kept for the server at {@code uri}, refreshed first when
     * it is about to expire and can be; no header when there is no token yet (the server's 401 starts the
     * authorization).
     *
     * @param uri        the MCP server's URL
     * @param httpMethod the request's method
     * @return the header, or none
     * @throws IOException when the token store cannot be read, or the thread is interrupted while another thread
     *                     refreshes the token (an {@link InterruptedIOException}; the flag is set again)
     */
    @Override
    public Map<String, String> headers(URI uri, String httpMethod) throws IOException {
        URI key = key(uri);
        TokenStore.Tokens tokens = options.tokenStore().tokens(key).orElse(null);
        if (tokens == null) {
            return Map.of();
        }
        if (tokens.refreshToken() != null && tokens.expiresWithin(clock.instant(), REFRESH_MARGIN)) {
            Slot slot = slots.get(key);
            if (slot != null && slot.context != null) {
                tokens = refreshAhead(key, slot, tokens);
            }
        }
        return Map.of("Authorization", "Bearer " + tokens.accessToken());
    }

    /**
     * Refreshes {@code tokens} before they expire, unless another caller did. When the authorization server refuses
     * the refresh, the token is kept without its refresh token (and sent until the server refuses it); when it cannot
     * be reached, the token is kept as it is.
     */
    private TokenStore.Tokens refreshAhead(URI key, Slot slot, TokenStore.Tokens tokens) throws IOException {
        try {
            slot.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the token of " + key);
        }
        try {
            TokenStore.Tokens current = options.tokenStore().tokens(key).orElse(null);
            if (current == null || !current.accessToken().equals(tokens.accessToken())
                    || current.refreshToken() == null) {
                return current == null ? tokens : current;
            }
            try {
                TokenStore.Tokens fresh = flow(key).refresh(slot.context, current);
                options.tokenStore().saveTokens(key, fresh);
                logObtained("refreshed", key, slot.context, fresh, System.Logger.Level.DEBUG);
                return fresh;
            } catch (AuthorizationException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "refreshing the token of " + key + " before it expires "
                        + "failed; it is sent as it is: " + e.getMessage());
                if (e.error() == null) {
                    return current; // the authorization server could not be reached: the refresh token may serve
                }
                TokenStore.Tokens unrefreshable = new TokenStore.Tokens(current.accessToken(), null,
                        current.expiresAt(), current.scopes());
                options.tokenStore().saveTokens(key, unrefreshable); // refused: do not ask again with it
                return unrefreshable;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while refreshing the token of " + key);
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Authorizes after a 401 or 403, if that can help, and says whether to send the request again.
     *
     * @param refusal what the server refused, how, and with which token
     * @return {@code true} when there is a newer token (obtained now, or by another caller meanwhile) to send the
     *         request with; {@code false} for a 403 other than {@code insufficient_scope}, a step-up that cannot help
     *         (the token refused had every scope challenged), a 401 to a request already sent again with the current
     *         token, or a request refused more than {@link OAuthOptions#maxAuthorizationsPerRequest()} times
     * @throws AuthorizationException when authorizing failed (here, or in the authorization this caller waited for)
     * @throws IOException            when the token store failed
     * @throws InterruptedException   when the thread was interrupted while authorizing or waiting
     */
    @Override
    public boolean refused(Refusal refusal) throws IOException, InterruptedException {
        URI key = key(refusal.uri());
        if (refusal.attempt() > options.maxAuthorizationsPerRequest()) {
            LOG.log(System.Logger.Level.DEBUG, () -> refusal + ": refused too often, no more authorizations");
            return false;
        }
        Challenge bearer = Challenge.parseAll(refusal.challenges()).stream().filter(Challenge::isBearer).findFirst()
                .orElse(null);
        boolean stepUp = refusal.status() == 403;
        Set<String> wanted = TokenClient.scopes(bearer == null ? null : bearer.param("scope"));
        if (stepUp && (bearer == null || !"insufficient_scope".equals(bearer.param("error")) || wanted.isEmpty())) {
            return false; // a 403 that more scopes would not cure
        }
        String sent = bearerToken(refusal.authorization());
        Slot slot = slots.computeIfAbsent(key, k -> new Slot());
        long seen = slot.attempts;
        slot.waiting.incrementAndGet();
        try {
            slot.lock.lockInterruptibly();
            try {
                return decideAndAuthorize(key, slot, seen, refusal.status(), refusal.attempt(), bearer, wanted,
                        sent);
            } finally {
                slot.lock.unlock();
            }
        } finally {
            slot.waiting.decrementAndGet();
        }
    }

    /** Under the slot's lock: retry with a newer token, share the failure waited for, or authorize now. */
    private boolean decideAndAuthorize(URI key, Slot slot, long seen, int status, int attempt, Challenge bearer,
                                       Set<String> wanted, String sent) throws IOException, InterruptedException {
        TokenStore.Tokens current = options.tokenStore().tokens(key).orElse(null);
        boolean stale = current != null && !current.accessToken().equals(sent);
        if (stale && (status == 401 || current.scopes().containsAll(wanted))) {
            return true; // another caller authorized since this request was sent
        }
        if (slot.attempts != seen && slot.lastFailure != null) {
            throw new AuthorizationException(slot.lastFailure); // the authorization waited for failed
        }
        if (status == 401 && attempt > 1 && !stale && current != null) {
            LOG.log(System.Logger.Level.DEBUG, () -> key + " refused the token this request was sent again with: "
                    + "not authorizing again for it");
            return false; // a token the request already got refused once more: authorizing again would not help
        }
        if (status == 403 && !stale && current != null && current.scopes().containsAll(wanted)) {
            LOG.log(System.Logger.Level.DEBUG, () -> key + " refused a token that has every scope it asks for "
                    + wanted + ": not asking again");
            return false;
        }
        try {
            TokenStore.Tokens obtained = obtain(key, slot, status, bearer, current, stale);
            options.tokenStore().saveTokens(key, obtained);
            slot.lastFailure = null;
            slot.attempts++;
            return true;
        } catch (AuthorizationException e) {
            slot.lastFailure = e;
            slot.attempts++;
            LOG.log(System.Logger.Level.WARNING, () -> e.getMessage());
            throw e;
        }
    }

    /** A refresh when a 401 refused a token that has a refresh token; else a full authorization. */
    private TokenStore.Tokens obtain(URI key, Slot slot, int status, Challenge bearer, TokenStore.Tokens current,
                                     boolean stale) throws IOException, InterruptedException {
        Flow flow = flow(key);
        String resourceMetadata = bearer == null ? null : bearer.param("resource_metadata");
        if (status == 401 && current != null && !stale && current.refreshToken() != null) {
            Flow.Context context = slot.context != null ? slot.context : flow.discover(resourceMetadata);
            slot.context = context;
            try {
                TokenStore.Tokens fresh = flow.refresh(context, current);
                logObtained("refreshed", key, context, fresh, System.Logger.Level.DEBUG);
                return fresh;
            } catch (AuthorizationException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "refreshing the token of " + key + " failed, authorizing "
                        + "afresh: " + e.getMessage());
            }
        }
        Flow.Context context = flow.discover(resourceMetadata);
        slot.context = context;
        Set<String> previous = current == null ? Set.of() : current.scopes();
        TokenStore.Tokens obtained = flow.authorize(context, flow.scopes(context, bearer, previous));
        logObtained("authorized", key, context, obtained, System.Logger.Level.INFO);
        return obtained;
    }

    private Flow flow(URI key) throws IOException {
        return new Flow(options, new AuthHttp(SharedHttpClient.get(), options.httpTimeout()), key, clock);
    }

    private void logObtained(String what, URI key, Flow.Context context, TokenStore.Tokens tokens,
                             System.Logger.Level level) {
        LOG.log(level, () -> {
            String expiry = tokens.expiresAt() == null ? "no stated expiry"
                    : "expires in " + Duration.between(clock.instant(), tokens.expiresAt()).toSeconds() + " s";
            return what + " " + key + " with " + context.metadata().issuer() + ": scopes " + tokens.scopes() + ", "
                    + expiry + (tokens.refreshToken() != null ? ", with a refresh token" : "");
        });
    }

    /** The token of an {@code Authorization: Bearer} header, or {@code null}. */
    private static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** The key of a server: its URL with the scheme and host in lower case, without a fragment. */
    static URI key(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(scheme + "://" + host + port + path + query);
    }

    /** How many callers wait for (or hold) the lock of the server at {@code uri}: for tests. */
    int waiting(URI uri) {
        Slot slot = slots.get(key(uri));
        return slot == null ? 0 : slot.waiting.get();
    }

    /** {@return the grant, the redirect URI, the client and the store, without secrets} */
    @Override
    public String toString() {
        String grant = options.clientCredentials() != null ? "client credentials"
                : options.enterpriseIdp() != null ? "cross-app access" : "authorization code";
        return "OAuthAuthorizer[" + grant + ", " + slots.size() + " server(s)]";
    }
}
