package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestFailedException;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exchange of one request: its POST, the reading of the answer (one JSON body, or an event stream on which the
 * server's requests and notifications may come first), and the resumption of a broken stream with {@code GET} and
 * {@code Last-Event-ID}. Everything in this class runs on the exchange's own virtual thread, except {@link #abort}.
 *
 * <p>It ends in one of three ways: the response to its request was handed to the inbox; a
 * {@link RequestFailedException} for its request was handed to the inbox (refused, broken and not resumable, or
 * unreadable); or it was aborted (the call was abandoned, the answer came on another stream, or the transport ended),
 * and then it hands nothing more.
 */
final class PostExchange extends HttpStream {
    private static final System.Logger LOG = System.getLogger(StreamableHttpTransport.class.getName());

    private final Request request;
    private final byte[] body;
    private final boolean initialize;

    PostExchange(StreamableHttpTransport transport, Request request, byte[] body) {
        super(transport);
        this.request = request;
        this.body = body;
        this.initialize = request.method().equals("initialize");
    }

    RequestId id() {
        return request.id();
    }

    @Override
    String name() {
        return "POST of " + request.method() + " (id " + request.id() + ") on " + transport.describe();
    }

    @Override
    public void run() {
        try {
            exchange();
        } finally {
            transport.streamDone(this);
        }
    }

    /** POSTs the request (again after a 401 or 403 when the authorizer says so) and reads the answer. */
    private void exchange() {
        for (int refusals = 1; ; refusals++) {
            HttpCall post;
            try {
                post = transport.newCall("POST", body, StreamableHttpTransport.ACCEPT_BOTH, null, request.method());
            } catch (IOException e) {
                fail(e, false);
                return;
            }
            if (!attach(post)) {
                return;
            }
            org.eclipse.jetty.client.Response response;
            try {
                response = post.open(transport.spec().connectTimeout(), null);
            } catch (IOException e) {
                fail(new IOException("POST to " + transport.spec().endpoint() + " failed: " + e.getMessage(), e),
                        post.committed());
                return;
            }
            if (initialize) {
                transport.captureSession(response);
            }
            if (!HttpCall.successful(response)) {
                if (sendAgain(post, response, response.getStatus() >= 500, refusals)) {
                    continue;
                }
                return;
            }
            String type = HttpCall.mediaType(response);
            switch (type) {
                case "application/json" -> readJson(post);
                case "text/event-stream" -> {
                    Outcome outcome = readEvents(post);
                    if (outcome != Outcome.STOPPED) {
                        resume(outcome == Outcome.BROKEN);
                    }
                }
                default -> {
                    post.abort(new IOException("unexpected Content-Type"));
                    fail(new IOException("POST to " + transport.spec().endpoint() + " answered "
                            + response.getStatus() + " with " + (type.isEmpty() ? "no Content-Type"
                            : "Content-Type " + type) + ", not a JSON body or an event stream"), true);
                }
            }
            return;
        }
    }

    private void readJson(HttpCall post) {
        byte[] bytes;
        try {
            bytes = post.readAll(transport.spec().codec().maxFrameBytes(), name());
        } catch (FrameTooLargeException e) {
            fail(e, true);
            return;
        } catch (IOException e) {
            fail(new IOException("reading the JSON answer failed: " + e.getMessage(), e), true);
            return;
        }
        List<Object> items = transport.decodeBody(bytes);
        for (Object item : items) {
            if (onItem(item, bytes.length / items.size())) {
                return;
            }
        }
        fail(new IOException("the JSON answer did not contain the response: "
                + excerpt(bytes)), true);
    }

    private static String excerpt(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
        return bytes.length > 200 ? text + "\u2026" : text;
    }

    /**
     * Follows a response stream that ended before the response: waits the server's retry delay (else backs off), then
     * GETs the stream again from {@code Last-Event-ID}, as long as each reconnect brings events or attempts remain.
     *
     * <p>A stream the server ended cleanly (SSE polling, SEP-1699) is resumed after the server's {@code retry:} delay,
     * as the server asked. A stream that <em>broke</em> (an I/O error: the server died, the connection dropped) is
     * probed at once, before any delay: when the server is gone that GET is refused and the call fails within
     * milliseconds, instead of after the retry delay; when it is alive the stream simply resumes.
     *
     * @param broken whether the stream broke rather than ended
     */
    private void resume(boolean broken) {
        int attempts = 0;
        while (true) {
            if (lastEventId == null) {
                fail(new IOException("the event stream ended before the response and carried no event id, so it "
                        + "cannot be resumed"), true);
                return;
            }
            if (attempts >= transport.spec().reconnectAttempts()) {
                fail(new IOException("the event stream ended before the response; gave up after " + attempts
                        + " reconnect attempt(s) with Last-Event-ID " + lastEventId), true);
                return;
            }
            long delay = broken ? 0 : reconnectDelayMillis(attempts);
            if (pause(delay)) {
                return;
            }
            attempts++;
            String from = lastEventId;
            LOG.log(System.Logger.Level.DEBUG, () -> name() + ": resuming after " + delay + " ms with Last-Event-ID "
                    + from);
            HttpCall get;
            org.eclipse.jetty.client.Response response;
            for (int refusals = 1; ; refusals++) {
                try {
                    get = transport.newCall("GET", null, StreamableHttpTransport.ACCEPT_EVENTS, from,
                            request.method());
                } catch (IOException e) {
                    fail(e, true);
                    return;
                }
                if (!attach(get)) {
                    return;
                }
                try {
                    response = get.open(transport.spec().connectTimeout(), null);
                } catch (IOException e) {
                    fail(new IOException("resuming the event stream with Last-Event-ID " + from + " failed: "
                            + e.getMessage(), e), true);
                    return;
                }
                if (HttpCall.successful(response)) {
                    break;
                }
                if (!sendAgain(get, response, true, refusals)) {
                    return;
                }
            }
            if (!HttpCall.mediaType(response).equals("text/event-stream")) {
                get.abort(new IOException("not an event stream"));
                fail(new IOException("resuming with Last-Event-ID " + from + " answered "
                        + HttpCall.mediaType(response) + ", not an event stream"), true);
                return;
            }
            long before = events;
            Outcome outcome = readEvents(get);
            if (outcome == Outcome.STOPPED) {
                return;
            }
            broken = outcome == Outcome.BROKEN && events > before; // probe at once only while it makes progress
            if (events > before) {
                attempts = 0; // the server makes progress (it may close streams on purpose: SSE polling)
            }
        }
    }

    /**
     * Handles a status other than 2xx: a 404 for the session ends the transport; a 401 or 403 the authorizer can help
     * with is sent again; anything else fails the request.
     *
     * @param refusals how many times the request has been refused, this time included
     * @return {@code true} to send the request again; {@code false} when the exchange is over
     */
    private boolean sendAgain(HttpCall call, org.eclipse.jetty.client.Response response, boolean delivered,
                              int refusals) {
        HttpStatusException refusal = call.statusError(response);
        if (response.getStatus() == 404 && call.sessionId() != null) {
            transport.expire(call.sessionId());
            return false;
        }
        try {
            if (transport.authorized(call, refusal, refusals)) {
                return true;
            }
        } catch (IOException e) {
            fail(e, delivered);
            return false;
        }
        fail(refusal, delivered);
        return false;
    }

    @Override
    boolean onItem(Object item, long bytes) {
        boolean own = item instanceof Response response && request.id().equals(response.id())
                || item instanceof MalformedMessageException defect
                && defect.kind() == MalformedMessageException.Kind.RESPONSE && request.id().equals(defect.id());
        if (own && initialize && item instanceof Response.Success success) {
            transport.captureProtocolVersion(success);
        }
        return !transport.deliver(item, bytes, this) || own;
    }

    @Override
    void onOversized(FrameTooLargeException e) {
        fail(e, true);
    }

    /** Hands the failure of this request to the inbox, unless the exchange was aborted. */
    private void fail(IOException cause, boolean delivered) {
        if (aborted()) {
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> name() + " failed (delivered " + delivered + "): " + cause);
        transport.deliver(new RequestFailedException(request.id(), cause, delivered), 256, this);
    }
}
