package dev.weft.bench.mcp;

import java.net.URI;
import java.util.List;

/**
 * One MCP client under test: the raw floor ({@code FloorSide}), Weft ({@code WeftSide}) or the official SDK
 * ({@code SdkSide}). Each lives in a source tree of its own, compiled against its own class path, and runs in a JVM of
 * its own; this interface and {@link Child} are the only code they share, and they use nothing but the JDK.
 */
public interface Side {
    /**
     * Spawns the peer with {@code peer} (its argv) and returns a session on it, initialized: the {@code initialize}
     * request answered and {@code notifications/initialized} sent.
     *
     * @param callers how many threads will call at once; the floor picks its direct loop for one, its demultiplexing
     *                reader for more; the clients ignore it
     */
    Client open(List<String> peer, int callers) throws Exception;

    /**
     * A session over Streamable HTTP to the server at {@code endpoint}, initialized, with every default of the side's
     * HTTP client transport; the floor has none.
     *
     * @param pid the server's process id, which the session's {@link Client#pid()} returns
     */
    default Client openHttp(URI endpoint, long pid) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no HTTP transport");
    }

    /** An initialized session. Its methods may be called by any number of threads at once (the floor's direct loop: one). */
    interface Client {
        /** {@code tools/call echo {message}}; the text of the result's first content item. */
        String echo(String message) throws Exception;

        /** {@code tools/call hold {ms}}; the peer answers after {@code ms} milliseconds. */
        void hold(long ms) throws Exception;

        /** {@code ping}. */
        void ping() throws Exception;

        /** The peer's process id. */
        long pid();

        /** Ends the session (and with it the peer, which exits at the end of its input). */
        void close() throws Exception;
    }
}
