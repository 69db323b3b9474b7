package dev.weft.transport;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.IOException;

/**
 * The standalone GET stream, on which the server may send requests and notifications outside any call. Optional: the
 * server may refuse it (405: not offered), and any failure to open it is logged at {@code DEBUG} and otherwise
 * ignored (a 401 or 403 the {@link HttpAuthorizer} can help with is sent again first). Once open, a broken stream is
 * reconnected after the server's retry delay (else with backoff), with
 * {@code Last-Event-ID} when it carried ids, as long as reconnects bring events or attempts remain.
 *
 * <p>Everything in this class runs on the stream's own virtual thread, except {@link #abort}.
 */
final class ListenStream extends HttpStream {
    private static final System.Logger LOG = System.getLogger(StreamableHttpTransport.class.getName());

    ListenStream(StreamableHttpTransport transport) {
        super(transport);
    }

    @Override
    String name() {
        return "GET stream of " + transport.describe();
    }

    @Override
    public void run() {
        try {
            listen();
        } finally {
            transport.streamDone(this);
        }
    }

    private void listen() {
        boolean connected = false;
        int attempts = 0;
        int refusals = 0; // 401s and 403s in a row
        boolean resend = false; // the authorizer asked to send the GET again at once
        while (!aborted()) {
            if (connected && !resend) {
                if (attempts >= transport.spec().reconnectAttempts()) {
                    debug("gave up after " + attempts + " reconnect attempt(s)");
                    return;
                }
                if (pause(reconnectDelayMillis(attempts))) {
                    return;
                }
                attempts++;
            }
            resend = false;
            HttpCall get;
            try {
                get = transport.newCall("GET", null, StreamableHttpTransport.ACCEPT_EVENTS, lastEventId, null);
            } catch (IOException e) {
                debug("not opened: " + e);
                return;
            }
            if (!attach(get)) {
                return;
            }
            org.eclipse.jetty.client.Response response;
            try {
                response = get.open(transport.spec().connectTimeout(), null);
            } catch (IOException e) {
                if (aborted()) {
                    return;
                }
                debug("failed: " + e);
                if (!connected) {
                    return;
                }
                continue;
            }
            if (response.getStatus() == 405) {
                get.discard();
                debug("not offered by the server (405)");
                return;
            }
            if (!HttpCall.successful(response)) {
                HttpStatusException refusal = get.statusError(response);
                if (response.getStatus() == 404 && get.sessionId() != null) {
                    transport.expire(get.sessionId());
                    return;
                }
                try {
                    if (transport.authorized(get, refusal, ++refusals)) {
                        resend = true;
                        continue;
                    }
                } catch (IOException e) {
                    debug("not authorized: " + e);
                    return;
                }
                debug("refused: " + refusal.getMessage());
                if (!connected) {
                    return;
                }
                continue;
            }
            if (!HttpCall.mediaType(response).equals("text/event-stream")) {
                get.abort(new IOException("not an event stream"));
                debug("answered " + HttpCall.mediaType(response) + ", not an event stream");
                return;
            }
            connected = true;
            refusals = 0;
            long before = events;
            if (readEvents(get) == Outcome.STOPPED) {
                return;
            }
            if (events > before) {
                attempts = 0;
            }
        }
    }

    private void debug(String what) {
        LOG.log(System.Logger.Level.DEBUG, () -> name() + ": " + what);
    }

    @Override
    boolean onItem(Object item, long bytes) {
        return !transport.deliver(item, bytes, this);
    }

    @Override
    void onOversized(FrameTooLargeException e) {
        LOG.log(System.Logger.Level.WARNING, () -> name() + " closed: " + e.getMessage());
    }
}
