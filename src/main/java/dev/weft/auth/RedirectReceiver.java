package dev.weft.auth;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where an authorization server sends the person back after they approve access: the {@code redirect_uri} of an
 * authorization code flow, and the wait for the redirect to arrive.
 *
 * <p>A person's flow opens {@code authorizationUrl} in a browser (or shows it) and listens for the redirect on a
 * loopback address ({@link LoopbackRedirectReceiver}); a test or a headless client may instead fetch the URL itself
 * and read the redirect from the response.
 *
 * <p><b>Threads.</b> Implementations must be thread-safe: an authorizer may run flows for several servers at once.
 * {@link #await} blocks the calling thread until the redirect arrives, the timeout passes or the thread is
 * interrupted.
 */
public interface RedirectReceiver {

    /**
     * The {@code redirect_uri} to register and to send in the authorization and token requests; the same string
     * every time it is asked.
     *
     * @return the redirect URI
     */
    URI redirectUri();

    /**
     * Has the person open {@code authorizationUrl} and waits for the authorization server's redirect to
     * {@link #redirectUri()}.
     *
     * @param authorizationUrl the authorization request, complete with its query
     * @param timeout          how long to wait for the redirect
     * @return the redirect's query parameters ({@code code} and {@code state}, or {@code error} and
     *         {@code error_description}), decoded
     * @throws IOException          when the redirect cannot be received, or does not come within {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    Map<String, String> await(URI authorizationUrl, Duration timeout) throws IOException, InterruptedException;
}
