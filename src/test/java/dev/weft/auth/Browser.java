package dev.weft.auth;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Plays the person's browser and the authorization server in tests: builds authorization URLs and redirects, and
 * sends requests with one Jetty client shared by the tests of this package (started on first use, never stopped; its
 * threads are Jetty's, not ours).
 */
final class Browser {
    /** How long a test waits for something that should happen at once. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static HttpClient client; // LOCK

    private Browser() {}

    /** What the receiver answered. */
    record Answer(int status, String contentType, String cacheControl, String referrerPolicy, String allow,
                  String body) {}

    static Answer get(URI uri) throws Exception {
        return send("GET", uri);
    }

    static Answer send(String method, URI uri) throws Exception {
        ContentResponse response = client().newRequest(uri).method(method)
                .timeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).send();
        var headers = response.getHeaders();
        return new Answer(response.getStatus(), headers.get("Content-Type"), headers.get("Cache-Control"),
                headers.get("Referrer-Policy"), headers.get("Allow"), response.getContentAsString());
    }

    /**
     * Sends {@code GET} of {@code uri}'s path followed by {@code suffix} as it is, on a socket of its own, for what no
     * {@link URI} can hold; returns the status.
     */
    static int rawGetStatus(URI uri, String suffix) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            socket.getOutputStream().write(("GET " + uri.getRawPath() + suffix + " HTTP/1.1\r\nHost: " + uri.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(response.split(" ", 3)[1]);
        }
    }

    /** The receiver's redirect URI with a query of {@code namesAndValues} (name, value, name, value...), encoded. */
    static URI redirect(RedirectReceiver receiver, String... namesAndValues) {
        return URI.create(receiver.redirectUri() + "?" + query(namesAndValues));
    }

    /** An authorization request as a client makes it, with {@code state} unless it is {@code null}. */
    static URI authorizationUrl(String state) {
        String query = query("response_type", "code", "client_id", "weft test", "code_challenge_method", "S256");
        return URI.create("https://as.example/authorize?" + query + (state == null ? "" : "&" + query("state", state)));
    }

    static String query(String... namesAndValues) {
        StringJoiner query = new StringJoiner("&");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.add(encode(namesAndValues[i]) + "=" + encode(namesAndValues[i + 1]));
        }
        return query.toString();
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The next authorization URL an opener put in {@code opened}; fails when none comes within {@link #PATIENCE}. */
    static URI nextOpened(BlockingQueue<URI> opened) throws InterruptedException {
        URI url = opened.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        if (url == null) {
            throw new AssertionError("no authorization URL was opened within " + PATIENCE);
        }
        return url;
    }

    private static HttpClient client() throws Exception {
        LOCK.lock();
        try {
            if (client == null) {
                HttpClient created = new HttpClient();
                QueuedThreadPool pool = new QueuedThreadPool();
                pool.setName("test-browser");
                pool.setDaemon(true);
                created.setExecutor(pool);
                created.setScheduler(new ScheduledExecutorScheduler("test-browser-scheduler", true));
                created.setFollowRedirects(false);
                created.start();
                client = created;
            }
            return client;
        } finally {
            LOCK.unlock();
        }
    }
}
