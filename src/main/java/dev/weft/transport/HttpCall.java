package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP request of a {@link StreamableHttpTransport} and its response, read with blocking calls: Jetty's
 * asynchronous exchange behind {@link #open} (wait for the status and headers) and {@link #body()} (an input stream).
 *
 * <p><b>Threads.</b> One thread, the one that made the call, opens it and reads it. {@link #abort} may be called from
 * any thread at any time, never blocks, and makes a blocked {@code open} or read throw promptly; aborting an HTTP/1.1
 * exchange closes its connection, so the server sees the stream closed.
 *
 * <p>Fields: {@code committed} is written by Jetty's thread when the request headers were written to a connection
 * (so the server may have seen the request), read by the caller; {@code begun} opens at that moment or when the
 * exchange completes, whichever is first.
 */
final class HttpCall {
    /** The most bytes of an unwanted body read so that the connection can be reused; beyond that it is closed. */
    private static final int DRAIN_BYTES = 64 * 1024;
    /** The most bytes of an error body read for an excerpt. */
    private static final int EXCERPT_BYTES = 4 * 1024;
    /** How long reading an excerpt or draining a body may take. */
    private static final Duration BODY_WAIT = Duration.ofSeconds(2);

    private static final ReentrantLock WARM_UP_LOCK = new ReentrantLock();
    private static boolean warmedUp; // WARM_UP_LOCK

    private final HttpClient client;
    private final Request request;
    private final URI uri;
    private final String httpMethod;
    private final String sessionId;
    private final String jsonRpcMethod;
    private final CountDownLatch begun = new CountDownLatch(1);
    private final Listener listener = new Listener();
    private volatile boolean committed;

    private final class Listener extends InputStreamResponseListener {
        @Override
        public void onHeaders(Response response) {
            begun.countDown();
            super.onHeaders(response);
        }

        @Override
        public void onComplete(Result result) {
            begun.countDown();
            super.onComplete(result);
        }
    }

    /**
     * Loads and initializes, once, the JDK's exception classes that the exchange threads first create when requests
     * fail, often several threads at the same moment (a server that dies fails every exchange at once). A virtual
     * thread that waits for another to load a class pins its carrier meanwhile; loading them here, on one thread,
     * takes that wait off the failure path. Any thread; blocks only while another thread warms up.
     */
    static void warmUp() {
        WARM_UP_LOCK.lock();
        try {
            if (warmedUp) {
                return;
            }
            List<Throwable> failures = List.of(new ExecutionException(null), new TimeoutException(),
                    new CancellationException(), new AsynchronousCloseException(), new ClosedChannelException(),
                    new InterruptedIOException(), new EOFException(), new SocketTimeoutException(),
                    new ConnectException(), new SocketException());
            warmedUp = !failures.isEmpty();
        } finally {
            WARM_UP_LOCK.unlock();
        }
    }

    /**
     * @param sessionId     the session id the request carries, or {@code null}
     * @param jsonRpcMethod the JSON-RPC method the request is about, or {@code null}
     */
    HttpCall(HttpClient client, Request request, String httpMethod, String sessionId, String jsonRpcMethod) {
        this.client = client;
        this.request = request;
        this.uri = request.getURI();
        this.httpMethod = httpMethod;
        this.sessionId = sessionId;
        this.jsonRpcMethod = jsonRpcMethod;
        request.onRequestCommit(r -> {
            committed = true;
            begun.countDown();
        });
    }

    /**
     * Sends the request and waits for the response's status and headers.
     *
     * @param connectTimeout how long the request may take to be written to a connection
     * @param headersTimeout how long to wait for the headers in all, or {@code null} for as long as it takes (until
     *                       {@link #abort})
     * @throws IOException the exchange failed: not connected in time ({@link SocketTimeoutException}), connection
     *                     refused, connection closed, aborted, or no headers within {@code headersTimeout}
     */
    Response open(Duration connectTimeout, Duration headersTimeout) throws IOException {
        long start = System.nanoTime();
        try {
            request.send(listener);
        } catch (RuntimeException e) { // a stopped client, say: Jetty reports most failures to the listener instead
            throw new IOException(httpMethod + " " + uri + " not sent: " + e, e);
        }
        try {
            if (!begun.await(connectTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                abort(new SocketTimeoutException("no connection to " + uri + " within " + connectTimeout.toMillis()
                        + " ms"));
            }
            long wait = headersTimeout == null ? Long.MAX_VALUE
                    : Math.max(0, headersTimeout.toNanos() - (System.nanoTime() - start));
            return listener.get(wait, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        } catch (TimeoutException e) {
            SocketTimeoutException timeout = new SocketTimeoutException("no response from " + httpMethod + " " + uri
                    + " within " + headersTimeout.toMillis() + " ms");
            abort(timeout);
            throw timeout;
        } catch (InterruptedException e) {
            InterruptedIOException interrupted = new InterruptedIOException("interrupted: " + httpMethod + " " + uri);
            abort(interrupted);
            Thread.currentThread().interrupt();
            throw interrupted;
        }
    }

    private static IOException asIOException(Throwable failure) {
        return failure instanceof IOException io ? io : new IOException(String.valueOf(failure), failure);
    }

    /** The response body; read it on the calling thread. Call once, after {@link #open}. */
    InputStream body() {
        return listener.getInputStream();
    }

    /**
     * Reads the whole body, at most {@code limit} bytes.
     *
     * @throws FrameTooLargeException if it is longer; the exchange is then aborted
     */
    byte[] readAll(int limit, String source) throws IOException {
        try (InputStream in = body()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                FrameTooLargeException tooLarge = new FrameTooLargeException(limit, source);
                abort(tooLarge);
                throw tooLarge;
            }
            return bytes;
        }
    }

    /**
     * Reads and drops what is left of the body, when it is short, so that the connection can be reused; otherwise,
     * or when it takes too long, aborts the exchange. Never throws.
     */
    void discard() {
        Scheduler.Task deadline = abortLater();
        try (InputStream in = body()) {
            if (in.readNBytes(DRAIN_BYTES).length == DRAIN_BYTES && in.read() >= 0) {
                abort(new IOException("unwanted body of " + httpMethod + " " + uri + " too long"));
            }
        } catch (IOException | RuntimeException e) {
            abort(e);
        } finally {
            deadline.cancel();
        }
    }

    /**
     * The failure for a response whose status is not 2xx, with an excerpt of its body (read for at most two seconds).
     * The exchange is done afterwards.
     */
    HttpStatusException statusError(Response response) {
        String excerpt = "";
        try (InputStream in = body()) {
            Scheduler.Task deadline = abortLater();
            try {
                excerpt = new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8).strip();
            } finally {
                deadline.cancel();
            }
        } catch (IOException | RuntimeException e) {
            excerpt = excerpt.isEmpty() ? "(body unreadable: " + e + ")" : excerpt;
        }
        abort(new IOException("status " + response.getStatus() + " read"));
        return new HttpStatusException(response.getStatus(), response.getReason(), uri, httpMethod, jsonRpcMethod,
                excerpt, response.getHeaders().getValuesList("WWW-Authenticate"));
    }

    private Scheduler.Task abortLater() {
        return client.getScheduler().schedule(() -> abort(new SocketTimeoutException("body of " + httpMethod + " "
                + uri + " not read within " + BODY_WAIT.toMillis() + " ms")), BODY_WAIT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Aborts the exchange, if it is not complete yet. Any thread; never blocks. */
    void abort(Throwable cause) {
        request.abort(cause);
    }

    /** Whether the request was written to a connection, so that the server may have received it. */
    boolean committed() {
        return committed;
    }

    /** The request's HTTP method. */
    String httpMethod() {
        return httpMethod;
    }

    /** The {@code Authorization} header the request carries, or {@code null}. Never log it. */
    String authorization() {
        return request.getHeaders().get("Authorization");
    }

    /** The session id the request carried, or {@code null}. */
    String sessionId() {
        return sessionId;
    }

    /** The media type of the response, lower case, without parameters; empty if none. */
    static String mediaType(Response response) {
        String type = response.getHeaders().get("Content-Type");
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the status is 2xx. */
    static boolean successful(Response response) {
        return response.getStatus() / 100 == 2;
    }
}
