package dev.weft.transport;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Supplies extra headers for each HTTP request of a {@link StreamableHttpTransport}, such as {@code Authorization}.
 *
 * <p>Called before every request the transport makes (the POST of each message, the standalone GET stream and its
 * reconnects, the GET that resumes a broken response stream, the DELETE at close), with the request's URI and HTTP
 * method. The headers it returns are added after the {@linkplain HttpSpec#headers() static headers}, replacing a
 * static header of the same name; the protocol's own headers ({@code Content-Type}, {@code Accept},
 * {@code Mcp-Session-Id}, {@code MCP-Protocol-Version}, {@code Last-Event-ID}) are set after both and cannot be
 * replaced.
 *
 * <p><b>Threads.</b> Called from any of the transport's threads and from callers of
 * {@link StreamableHttpTransport#send}, possibly by several at once: implementations must be thread-safe. It may block
 * (to refresh a token, say); the request waits for it, and so does the caller of {@code send} for a notification or a
 * response.
 */
@FunctionalInterface
public interface RequestHeaders {

    /** Supplies no headers. */
    RequestHeaders NONE = (uri, method) -> Map.of();

    /**
     * The extra headers of one request.
     *
     * @param uri        the request's URI (the endpoint)
     * @param httpMethod {@code POST}, {@code GET} or {@code DELETE}
     * @return header names and values; never {@code null}
     * @throws IOException when the headers cannot be had; the request is not made and fails with this cause (a call
     *                     fails with {@code requestDelivered == false}; the transport goes on)
     */
    Map<String, String> headers(URI uri, String httpMethod) throws IOException;
}
