package dev.weft.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to one HTTP request to a {@link StreamableHttpServer}: a status with an optional JSON body, one JSON-RPC
 * message as JSON, or an event stream. Blocking: each write returns once Jetty has written it (or fails with an
 * {@link IOException} when the client is gone). Completes Jetty's callback exactly once, by {@link #finish},
 * {@link #status} or {@link #fail}.
 *
 * <p>Not thread-safe: it belongs to the exchange's own thread.
 */
final class ExchangeOut {
    private static final System.Logger LOG = System.getLogger(StreamableHttpServer.class.getName());
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Response response;
    private final Callback callback;
    private OutputStream out; // the body once started
    private boolean completed;

    ExchangeOut(Response response, Callback callback) {
        this.response = response;
        this.callback = callback;
    }

    /** Sets a header; only before the body has started. */
    void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Asks the client not to reuse the connection after this response; only before the body has started. */
    void closeConnection() {
        if (out == null) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    /** Whether the body has started (the status is on its way). */
    boolean started() {
        return out != null;
    }

    boolean completed() {
        return completed;
    }

    /**
     * Answers {@code status} with {@code json} as body, or none; completes. Written through the same blocking stream
     * as every other answer, so that one warm-up exchange loads the classes of all of them (see
     * {@link StreamableHttpServer}).
     */
    void status(int status, byte[] json) {
        if (completed) {
            return;
        }
        response.setStatus(status);
        if (json != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        }
        try {
            out = Content.Sink.asOutputStream(response);
            if (json != null) {
                out.write(json);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "answering " + status + " failed: " + e);
            fail(e);
            return;
        }
        finish();
    }

    /** Answers 200 with one JSON-RPC message; completes. */
    void json(byte[] message) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, message.length);
        out = Content.Sink.asOutputStream(response);
        out.write(message);
        finish();
    }

    /** Starts an event stream (200, {@code text/event-stream}) and sends its headers at once. */
    void startEvents() throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put("X-Accel-Buffering", "no"); // proxies must not hold events back
        out = Content.Sink.asOutputStream(response);
        out.flush();
    }

    /** Sends a priming event: an id, the retry delay, and empty data. */
    void prime(String eventId, long retryMillis) throws IOException {
        write(("id: " + eventId + "\nretry: " + retryMillis + "\ndata:\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one message as an event with {@code eventId}. */
    void event(String eventId, byte[] message) throws IOException {
        out.write(("id: " + eventId + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(message); // the codec writes no raw newline
        out.write(EVENT_END);
        out.flush();
    }

    /** Sends a comment, which the client ignores: shows life, and finds out whether the client is still there. */
    void keepAlive() throws IOException {
        write(KEEP_ALIVE);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Ends the response normally; a failure to do so fails it. Idempotent. */
    void finish() {
        if (completed) {
            return;
        }
        completed = true;
        try {
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            out.close();
            callback.succeeded();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "ending a response failed: " + e);
            callback.failed(e);
        }
    }

    /** Ends the response abnormally (Jetty closes the connection). Idempotent. */
    void fail(Throwable cause) {
        if (completed) {
            return;
        }
        completed = true;
        callback.failed(cause);
    }
}
