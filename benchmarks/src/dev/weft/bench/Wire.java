package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * One way of making calls to an echo peer: Weft's {@code Connection} ({@link WeftWire}) or a hand-written baseline
 * ({@link QueueLoop}, {@link PipeLoop}). Every peer answers {@link #ECHO} with the params as the result and never
 * answers {@link #HANG}, so that calls can be left pending on purpose.
 *
 * <p>{@link #call} may be called by any number of threads at once.
 */
interface Wire extends AutoCloseable {
    String ECHO = "echo";
    String HANG = "hang";

    /** The params of every call: a small MCP-like tool call, 89 bytes of JSON. */
    String PARAMS_JSON = "{\"name\":\"echo\",\"arguments\":{\"text\":\"the quick brown fox jumps over the lazy dog\",\"n\":42}}";
    JsonNode PARAMS = parse(PARAMS_JSON);

    /** Sends a request and blocks until its answer; the result. */
    JsonNode call(String method, JsonNode params) throws Exception;

    /** Calls that were sent and not answered yet. */
    int pending();

    /** Ends the wire abruptly under the reader (memory: the wire fails; stdio: the peer is killed with SIGKILL). */
    void cut();

    /** The exception a pending call fails with after {@link #cut}. */
    Class<? extends Exception> endedType();

    /** Releases everything; after {@link #cut} too. */
    @Override
    void close();

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
