package dev.weft.transport;

import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.RpcError;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler of a {@link StreamableHttpServer}: checks each HTTP request (path, Host and Origin, method, headers,
 * body), finds or makes its session, and answers it. Written as blocking code: Jetty runs it on a virtual thread of its
 * own per request ({@link org.eclipse.jetty.util.thread.Invocable.InvocationType#BLOCKING}), which reads the body,
 * hands the message to the session and, for a request, writes the answer as it comes ({@link StreamWriter}).
 *
 * <p>Refusals carry a JSON-RPC error body (id {@code null}, or the request's id when known) and are logged: 403 at
 * {@code WARNING}, the others at {@code DEBUG}. Stateless and thread-safe: all state is the server's and the sessions'.
 */
final class McpHttpHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(StreamableHttpServer.class.getName());
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String PROTOCOL_HEADER = "MCP-Protocol-Version";
    static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    /** The error code of HTTP-level refusals, as the MCP TypeScript SDK uses it. */
    static final int SERVER_ERROR = -32000;
    /** The error code of an unknown or ended session. */
    static final int SESSION_NOT_FOUND = -32001;

    private final StreamableHttpServer server;
    private final HttpServerSpec spec;

    McpHttpHandler(StreamableHttpServer server) {
        super(InvocationType.BLOCKING);
        this.server = server;
        this.spec = server.spec();
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                          Callback callback) {
        ExchangeOut out = new ExchangeOut(response, callback);
        try {
            serve(request, out);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, server.describe() + ": " + request.getMethod() + " failed", e);
            if (!out.started()) {
                out.status(500, error(null, RpcError.INTERNAL_ERROR, "Internal error"));
            } else {
                out.fail(e);
            }
        } finally {
            out.finish(); // a path that forgot to answer still completes
        }
        return true;
    }

    private void serve(org.eclipse.jetty.server.Request request, ExchangeOut out) {
        String method = request.getMethod();
        if (!org.eclipse.jetty.server.Request.getPathInContext(request).equals(spec.path())) {
            refuse(out, 404, null, SERVER_ERROR, "Not Found", method);
            return;
        }
        String refusal = server.guard().refusal(request.getHeaders().get(HttpHeader.HOST),
                request.getHeaders().get(HttpHeader.ORIGIN));
        if (refusal != null) {
            LOG.log(System.Logger.Level.WARNING, () -> server.describe() + ": " + method + " refused (403): " + refusal
                    + "; a DNS-rebinding attempt, or a client to allow in the server's HttpServerSpec");
            out.status(403, error(null, SERVER_ERROR, "Forbidden: " + refusal));
            return;
        }
        switch (method) {
            case "POST" -> post(request, out);
            case "GET" -> get(request, out);
            case "DELETE" -> delete(request, out);
            default -> {
                out.header("Allow", spec.stateless() ? "POST" : "GET, POST, DELETE");
                refuse(out, 405, null, SERVER_ERROR, "Method not allowed", method);
            }
        }
    }

    private void post(org.eclipse.jetty.server.Request request, ExchangeOut out) {
        byte[] body;
        try {
            body = readBody(request);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> server.describe() + ": reading a POST body failed: " + e);
            out.fail(e);
            return;
        }
        if (body == null) {
            refuse(out, 413, null, SERVER_ERROR, "Payload too large: the limit is " + spec.maxBodyBytes() + " bytes",
                    "POST");
            return;
        }
        Message message;
        try {
            message = spec.codec().decode(body);
        } catch (MalformedMessageException e) {
            refuse(out, 400, e.id(), e.error().code(), e.error().message(), "POST");
            return;
        }
        boolean initialize = message instanceof Request r && r.method().equals("initialize");
        RequestId id = message instanceof Request r ? r.id() : null;
        if (message instanceof Request && !(accepts(request, "application/json")
                && accepts(request, "text/event-stream"))) {
            refuse(out, 406, id, SERVER_ERROR, "Not Acceptable: the client must accept both application/json and "
                    + "text/event-stream", "POST");
            return;
        }
        if (!initialize && !protocolSupported(request, out, id)) {
            return;
        }
        if (spec.stateless()) {
            postStateless(message, body.length, out);
            return;
        }
        String sessionId = request.getHeaders().get(SESSION_HEADER);
        HttpSessionTransport session;
        if (sessionId == null) {
            if (!initialize) {
                refuse(out, 400, id, SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required", "POST");
                return;
            }
            session = server.newSession();
            if (session == null) {
                refuse(out, 503, id, SERVER_ERROR, "Service unavailable: too many sessions", "POST");
                return;
            }
            if (!server.accept(session)) {
                refuse(out, 500, id, RpcError.INTERNAL_ERROR, "Internal error: the session was not accepted", "POST");
                return;
            }
            out.header(SESSION_HEADER, session.sessionId());
        } else {
            if (initialize) {
                refuse(out, 400, id, RpcError.INVALID_REQUEST, "Invalid Request: the session is initialized already",
                        "POST");
                return;
            }
            session = session(sessionId, out, id, "POST");
            if (session == null) {
                return;
            }
        }
        session.exchangeStarted();
        try {
            if (message instanceof Request r) {
                answer(session, r, body.length, out, 404, error(id, SESSION_NOT_FOUND, "Session not found"));
            } else if (session.deliver(message, body.length)) {
                out.status(202, null);
            } else {
                refuse(out, 404, null, SESSION_NOT_FOUND, "Session not found", "POST");
            }
        } finally {
            session.exchangeEnded();
        }
    }

    /** Stateless: a transport for this POST alone, ended once it is answered. */
    private void postStateless(Message message, long bytes, ExchangeOut out) {
        HttpSessionTransport session = server.newStatelessSession();
        if (session == null) {
            refuse(out, 503, message instanceof Request r ? r.id() : null, SERVER_ERROR,
                    "Service unavailable: too many exchanges in progress", "POST");
            return;
        }
        try {
            if (!server.accept(session)) {
                refuse(out, 500, null, RpcError.INTERNAL_ERROR, "Internal error: the exchange was not accepted",
                        "POST");
                return;
            }
            if (message instanceof Request r) {
                answer(session, r, bytes, out, 503, error(r.id(), SERVER_ERROR, "Service unavailable: closing"));
            } else {
                session.deliver(message, bytes);
                out.status(202, null);
            }
        } finally {
            session.end(new EOFException(session.describe() + ": exchange done"), false);
        }
    }

    /**
     * Answers a request: opens its stream, has the session serve it on this thread (or hands it to the session's
     * reader when it cannot), and writes what comes.
     */
    private void answer(HttpSessionTransport session, Request request, long bytes, ExchangeOut out, int endedStatus,
                        byte[] endedBody) {
        ServerStream stream;
        try {
            stream = session.openRequest(request.id());
        } catch (IOException e) {
            out.status(endedStatus, endedBody);
            return;
        }
        if (stream == null) {
            refuse(out, 400, request.id(), RpcError.INVALID_REQUEST, "Invalid Request: id " + request.id()
                    + " is already in flight", "POST");
            return;
        }
        StreamWriter writer = new StreamWriter(stream, out, spec, request.method() + " (id " + request.id() + ") on "
                + session.describe());
        stream.attach(writer, null); // before the request goes in: what its handler sends queues for the writer
        writer.hold(server, endedStatus, endedBody);
        if (!session.serveHere(request) && !session.deliver(request, bytes)) {
            stream.end();
        }
        writer.answerPost(endedStatus, endedBody);
    }

    private void get(org.eclipse.jetty.server.Request request, ExchangeOut out) {
        if (spec.stateless()) {
            out.header("Allow", "POST");
            refuse(out, 405, null, SERVER_ERROR, "Method not allowed: the server is stateless", "GET");
            return;
        }
        if (!accepts(request, "text/event-stream")) {
            refuse(out, 406, null, SERVER_ERROR, "Not Acceptable: the client must accept text/event-stream", "GET");
            return;
        }
        String sessionId = request.getHeaders().get(SESSION_HEADER);
        if (sessionId == null) {
            refuse(out, 400, null, SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required", "GET");
            return;
        }
        HttpSessionTransport session = session(sessionId, out, null, "GET");
        if (session == null || !protocolSupported(request, out, null)) {
            return;
        }
        session.exchangeStarted();
        try {
            listen(session, request.getHeaders().get(LAST_EVENT_ID_HEADER), out);
        } finally {
            session.exchangeEnded();
        }
    }

    /** The standalone stream, or the stream that {@code lastEventId} belongs to, resumed after it. */
    private void listen(HttpSessionTransport session, String lastEventId, ExchangeOut out) {
        ServerStream stream;
        if (lastEventId == null) {
            stream = session.standalone();
        } else {
            String streamId = spec.eventStore().streamOf(lastEventId);
            if (streamId == null || !session.owns(streamId)) {
                refuse(out, 400, null, SERVER_ERROR, "Bad Request: unknown Last-Event-ID", "GET");
                return;
            }
            stream = session.stream(streamId);
            if (stream == null) {
                replayStored(streamId, lastEventId, out);
                return;
            }
        }
        String name = "GET of " + stream + " on " + session.describe();
        StreamWriter writer = new StreamWriter(stream, out, spec, name);
        ServerStream.Attachment attachment = stream.attach(writer, lastEventId);
        switch (attachment.outcome()) {
            case OK -> writer.answerGet(attachment.replay());
            case CONFLICT -> refuse(out, 409, null, SERVER_ERROR, "Conflict: the standalone stream is open already",
                    "GET");
            case UNKNOWN_EVENT -> refuse(out, 400, null, SERVER_ERROR,
                    "Bad Request: the events after Last-Event-ID are no longer kept", "GET");
            case ENDED -> refuse(out, 404, null, SESSION_NOT_FOUND, "Session not found", "GET");
        }
    }

    /** A stream that is no longer open (its request was answered meanwhile): what the store kept of it, then the end. */
    private void replayStored(String streamId, String lastEventId, ExchangeOut out) {
        var events = spec.eventStore().replay(streamId, lastEventId);
        if (events == null) {
            refuse(out, 400, null, SERVER_ERROR, "Bad Request: the events after Last-Event-ID are no longer kept",
                    "GET");
            return;
        }
        try {
            out.startEvents();
            for (EventStore.Event event : events) {
                if (event.data().length > 0) {
                    out.event(event.id(), event.data());
                }
            }
            out.finish();
        } catch (IOException e) {
            out.fail(e);
        }
    }

    private void delete(org.eclipse.jetty.server.Request request, ExchangeOut out) {
        if (spec.stateless()) {
            out.header("Allow", "POST");
            refuse(out, 405, null, SERVER_ERROR, "Method not allowed: the server is stateless", "DELETE");
            return;
        }
        String sessionId = request.getHeaders().get(SESSION_HEADER);
        if (sessionId == null) {
            refuse(out, 400, null, SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required", "DELETE");
            return;
        }
        HttpSessionTransport session = session(sessionId, out, null, "DELETE");
        if (session == null || !protocolSupported(request, out, null)) {
            return;
        }
        session.end(new EOFException(session.describe() + " terminated by the client (DELETE)"), true);
        out.status(200, null);
    }

    /** The open session {@code sessionId}, or {@code null} after answering 404. */
    private HttpSessionTransport session(String sessionId, ExchangeOut out, RequestId id, String method) {
        HttpSessionTransport session = server.session(sessionId);
        if (session == null) {
            refuse(out, 404, id, SESSION_NOT_FOUND, "Session not found", method);
        }
        return session;
    }

    /** Whether the request's {@code MCP-Protocol-Version}, if any, is supported; if not, answers 400. */
    private boolean protocolSupported(org.eclipse.jetty.server.Request request, ExchangeOut out, RequestId id) {
        String version = request.getHeaders().get(PROTOCOL_HEADER);
        if (version == null || spec.supportedProtocolVersions().contains(version.strip())) {
            return true;
        }
        refuse(out, 400, id, SERVER_ERROR, "Bad Request: unsupported MCP-Protocol-Version '" + version
                + "' (supported: " + String.join(", ", spec.supportedProtocolVersions()) + ")", request.getMethod());
        return false;
    }

    /** Whether the Accept header allows {@code type}: the type itself, its family, or any type; not with q=0. */
    static boolean accepts(org.eclipse.jetty.server.Request request, String type) {
        String family = type.substring(0, type.indexOf('/')) + "/*";
        for (HttpField field : request.getHeaders()) {
            if (field.getHeader() != HttpHeader.ACCEPT) {
                continue;
            }
            for (String range : field.getValue().split(",")) {
                String[] parts = range.split(";");
                String media = parts[0].strip().toLowerCase(Locale.ROOT);
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].strip().toLowerCase(Locale.ROOT);
                    if (param.startsWith("q=") && param.substring(2).strip().matches("0(\\.0*)?")) {
                        refused = true;
                    }
                }
                if (!refused && (media.equals(type) || media.equals(family) || media.equals("*/*"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The body, or {@code null} when it exceeds the limit (then it is not read further). */
    private byte[] readBody(org.eclipse.jetty.server.Request request) throws IOException {
        long length = request.getLength();
        if (length > spec.maxBodyBytes()) {
            return null;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 1024);
        byte[] chunk = new byte[8192];
        try (InputStream in = org.eclipse.jetty.server.Request.asInputStream(request)) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (body.size() + n > spec.maxBodyBytes()) {
                    return null;
                }
                body.write(chunk, 0, n);
            }
        }
        return body.toByteArray();
    }

    private void refuse(ExchangeOut out, int status, RequestId id, int code, String message, String method) {
        LOG.log(System.Logger.Level.DEBUG, () -> server.describe() + ": " + method + " refused (" + status + "): "
                + message);
        out.status(status, error(id, code, message));
    }

    private byte[] error(RequestId id, int code, String message) {
        return spec.codec().encode(new Response.Failure(id, new RpcError(code, message)));
    }
}
