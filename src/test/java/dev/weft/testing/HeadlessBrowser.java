package dev.weft.testing;

import dev.weft.auth.RedirectReceiver;
import dev.weft.internal.SharedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;

/**
 * A {@link RedirectReceiver} for tests and the conformance client, where no person approves anything: it GETs the
 * authorization URL itself, without following redirects, and reads the code (or the error) from the
 * {@code Location} of the authorization server's redirect to {@link #redirectUri()}, which nothing listens on.
 * Thread-safe; {@link #await} blocks for one HTTP request, at most the timeout.
 */
public final class HeadlessBrowser implements RedirectReceiver {
    private final URI redirectUri;

    /** A receiver whose redirect URI is {@code redirectUri}, such as {@code http://localhost:3000/callback}. */
    public HeadlessBrowser(URI redirectUri) {
        this.redirectUri = redirectUri;
    }

    @Override
    public URI redirectUri() {
        return redirectUri;
    }

    @Override
    public Map<String, String> await(URI authorizationUrl, Duration timeout) throws IOException, InterruptedException {
        ContentResponse response;
        try {
            response = SharedHttpClient.get().newRequest(authorizationUrl).method("GET").followRedirects(false)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send();
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("GET " + authorizationUrl + " failed: " + e, e);
        }
        String location = response.getHeaders().get("Location");
        if (response.getStatus() / 100 != 3 || location == null) {
            throw new IOException("GET " + authorizationUrl + " answered " + response.getStatus()
                    + " without a redirect");
        }
        return query(URI.create(location).getRawQuery());
    }

    /** The decoded parameters of a query, in order. */
    public static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.putIfAbsent(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
