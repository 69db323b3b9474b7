package dev.weft.jsonrpc;

import java.util.Objects;

/**
 * A JSON-RPC request id: an integer or a string. Two ids are equal when they have the same kind and value, so
 * {@code 1} and {@code "1"} are different ids, as the specification requires. Immutable.
 */
public sealed interface RequestId permits RequestId.Number, RequestId.Text {

    /**
     * {@return an integer id}
     *
     * @param value the integer
     */
    static RequestId of(long value) {
        return new Number(value);
    }

    /**
     * {@return a string id}
     *
     * @param value the string, not {@code null}
     */
    static RequestId of(String value) {
        return new Text(value);
    }

    /**
     * An integer id.
     *
     * @param value the integer
     */
    record Number(long value) implements RequestId {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /**
     * A string id.
     *
     * @param value the string
     */
    record Text(String value) implements RequestId {
        /**
         * Checks the value.
         *
         * @throws NullPointerException if {@code value} is {@code null}
         */
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }
}
