package dev.weft.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler of a {@link LoopbackRedirectReceiver}: checks each request (path, method, query), hands a redirect
 * to the receiver, and answers the browser with a short HTML page. Jetty runs it on a virtual thread of its own per
 * request ({@link org.eclipse.jetty.util.thread.Invocable.InvocationType#BLOCKING}); nothing in it blocks but the
 * receiver's lock, briefly.
 *
 * <p>Refusals are logged at {@code DEBUG}. Never logs the {@code code}. Stateless and thread-safe: all state is the
 * receiver's.
 */
final class LoopbackRedirectHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(LoopbackRedirectReceiver.class.getName());

    private final LoopbackRedirectReceiver receiver;
    private final String path;

    LoopbackRedirectHandler(LoopbackRedirectReceiver receiver, String path) {
        super(InvocationType.BLOCKING);
        this.receiver = receiver;
        this.path = path;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Page page;
        try {
            page = answer(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, receiver.describe() + ": " + request.getMethod() + " failed", e);
            page = new Page(500, "Internal error", "The redirect could not be handled.");
        }
        page.write(response, callback);
        return true;
    }

    private Page answer(Request request) {
        String method = request.getMethod();
        if (!Request.getPathInContext(request).equals(path)) {
            LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + ": " + method + " of another path: 404");
            return new Page(404, "Not found", "This address only takes the authorization server's redirect.");
        }
        if (!method.equals("GET")) {
            LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + ": " + method + " refused: 405");
            return new Page(405, "Method not allowed", "The redirect comes as GET.");
        }
        Map<String, String> parameters;
        try {
            parameters = LoopbackRedirectReceiver.parseQuery(request.getHttpURI().getQuery());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + ": a redirect refused (400): " + e);
            return new Page(400, "Bad request", "The redirect's query is not well-formed.");
        }
        String state = parameters.get("state");
        String error = parameters.get("error");
        String which = state == null ? "without a state" : "for state " + state;
        if (!receiver.deliver(parameters)) {
            LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + ": a redirect " + which
                    + " matches no waiting authorization: refused (400)");
            return new Page(400, "Unexpected redirect", "No authorization is waiting for this redirect. It may have"
                    + " timed out or already been received; start it again from the application.");
        }
        LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + ": a redirect arrived " + which
                + (error == null ? "" : ", with error " + error));
        if (error != null) {
            String description = parameters.get("error_description");
            return new Page(200, "Authorization failed", "The authorization server answered: " + escape(error)
                    + (description == null ? "" : ": " + escape(description)), true);
        }
        return new Page(200, "Authorization received", "Authorization received; you may close this window.");
    }

    /**
     * One answer to the browser. {@code message} is text unless {@code escaped} says it is HTML already.
     */
    record Page(int status, String title, String message, boolean escaped) {
        Page(int status, String title, String message) {
            this(status, title, message, false);
        }

        String html() {
            String body = escaped ? message : escape(message);
            return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                    + "</title></head>\n<body><h1>" + escape(title) + "</h1><p>" + body + "</p></body></html>\n";
        }

        /** Writes the page as the response and completes the callback once it is written; does not block. */
        void write(Response response, Callback callback) {
            byte[] bytes = html().getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            // The address of the page holds the code: it must not be stored, or sent on as a referrer.
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            response.getHeaders().put("Content-Security-Policy", "default-src 'none'");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (status == 405) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET");
            }
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    /** {@code text} with the five characters that are markup in HTML escaped. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
