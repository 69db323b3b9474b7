package dev.weft.transport;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Authorizes the HTTP requests of a {@link StreamableHttpTransport}: supplies their {@code Authorization} header, and
 * decides what to do when the server refuses one with 401 or 403. {@code dev.weft.auth.OAuthAuthorizer} implements it
 * for MCP authorization (OAuth 2.1); set it with {@link HttpSpec#withAuthorizer}.
 *
 * <p>The transport calls {@link #headers} before every request it makes (the POST of each message, the standalone GET
 * stream and its reconnects, the GET that resumes a response stream, the DELETE at close); its headers are added after
 * the {@linkplain HttpSpec#headers() static headers} and the {@link HttpSpec#requestHeaders() RequestHeaders}'
 * headers, replacing theirs of the same name. When the server answers a POST or a GET with 401 or 403, the transport
 * calls {@link #refused} and, if it returns {@code true}, sends the same request again (the same body, the same
 * JSON-RPC message) with fresh headers. A message is sent at most {@value #MAX_SENDS} times in all; after that, or when {@code refused} returns {@code false}, the request fails with an
 * {@link HttpStatusException} whose {@link HttpStatusException#wwwAuthenticate()} holds the server's challenges. The
 * DELETE at close is never sent again.
 *
 * <p><b>Threads.</b> Implementations must be thread-safe: both methods are called from any of the transport's threads
 * and from callers of {@link StreamableHttpTransport#send}, often by several at once, and one authorizer may serve
 * many transports. Both may block: {@code refused} typically blocks for a whole authorization (metadata discovery, a
 * person's consent in a browser, the token request). While it blocks, so does the request it was called for (and the
 * caller of {@code send} for a notification or a response), but nothing else of the transport. {@code refused} must
 * return promptly with an {@link InterruptedException} when its thread is interrupted: closing the transport
 * interrupts its threads.
 */
public interface HttpAuthorizer {

    /** The most times a transport sends one message (or opens one GET stream) when the server keeps refusing it. */
    int MAX_SENDS = 4;

    /**
     * The authorization headers of one request, typically {@code Authorization: Bearer <token>}, or none before
     * there is a token.
     *
     * @param uri        the request's URI (the endpoint)
     * @param httpMethod {@code POST}, {@code GET} or {@code DELETE}
     * @return header names and values, possibly empty; never {@code null}
     * @throws IOException when the headers cannot be had (a token refresh failed, say); the request is not made and
     *                     fails with this cause
     */
    Map<String, String> headers(URI uri, String httpMethod) throws IOException;

    /**
     * Called when the server answered a request with 401 or 403: authorizes (or re-authorizes, or refreshes the
     * token, or asks for more scopes) if that can help, blocking meanwhile, and says whether to send the request
     * again.
     *
     * @param refusal what was refused, how, and with which {@code Authorization} header
     * @return {@code true} to send the request again, with the headers {@link #headers} gives then; {@code false} to
     *         let it fail with the server's refusal
     * @throws IOException          when authorizing failed; the request fails with this cause (not delivered)
     * @throws InterruptedException when the thread was interrupted while authorizing or waiting for another thread's
     *                              authorization; the request fails
     */
    boolean refused(Refusal refusal) throws IOException, InterruptedException;

    /**
     * A request the server refused with 401 or 403. Immutable.
     *
     * @param uri           the request's URI (the endpoint)
     * @param httpMethod    {@code POST} or {@code GET}
     * @param status        401 or 403
     * @param challenges    the values of the response's {@code WWW-Authenticate} headers, in order; maybe empty
     * @param authorization the {@code Authorization} header the request carried, or {@code null} if none
     * @param attempt       how many times this message has been refused so far, this refusal included (1 the first
     *                      time)
     */
    record Refusal(URI uri, String httpMethod, int status, List<String> challenges, String authorization,
                   int attempt) {
        /**
         * Checks and copies.
         *
         * @throws NullPointerException     if {@code uri}, {@code httpMethod} or {@code challenges} is {@code null}
         * @throws IllegalArgumentException if {@code attempt} is not positive
         */
        public Refusal {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(httpMethod, "httpMethod");
            challenges = List.copyOf(challenges);
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt must be positive: " + attempt);
            }
        }

        /** {@return the refusal without the credentials: never prints the {@code Authorization} header's value} */
        @Override
        public String toString() {
            return "Refusal[" + httpMethod + " " + uri + ": " + status + " " + challenges + ", attempt " + attempt
                    + (authorization == null ? ", no credentials" : ", with credentials") + "]";
        }
    }
}
