package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The answer to a {@link Request}: a {@link Success} or a {@link Failure}.
 *
 * <p>Both records hold their parts as given, without a copy: a response is safe to share between threads as long as
 * nobody modifies its JSON (a success's {@code result}, a failure's {@code data}).
 */
public sealed interface Response extends Message permits Response.Success, Response.Failure {

    /** {@return the id of the request this answers; {@code null} only for a failure to parse a request's id} */
    RequestId id();

    /**
     * A successful result.
     *
     * @param id     the id of the request
     * @param result the result, never {@code null} (a JSON {@code null} result is a {@code NullNode})
     */
    record Success(RequestId id, JsonNode result) implements Response {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code id} or {@code result} is {@code null}
         */
        public Success {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * An error.
     *
     * @param id    the id of the request, or {@code null} when the request's id could not be read
     * @param error the error object
     */
    record Failure(RequestId id, RpcError error) implements Response {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code error} is {@code null}
         */
        public Failure {
            Objects.requireNonNull(error, "error");
        }
    }
}
