package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;

/** How a call or a served request ended and what it named, as Weft's JFR events say it. Stateless. */
final class Outcomes {
    private Outcomes() {
    }

    /** The outcome of a call that threw {@code failure}. */
    static String of(RuntimeException failure) {
        return switch (failure) {
            case PeerErrorException e -> "peer error " + e.code();
            case CallTimeoutException e -> "timeout";
            case CallCancelledException e -> "cancelled";
            case TransportClosedException e -> "transport closed";
            case ExchangeFailedException e -> "exchange failed";
            case ProtocolViolationException e -> "protocol violation";
            default -> failure.getClass().getSimpleName();
        };
    }

    /** The tool or prompt ({@code name}) or resource ({@code uri}) that params name; {@code ""} for none. */
    static String target(JsonNode params) {
        if (params == null || !params.isObject()) {
            return "";
        }
        JsonNode name = params.get("name");
        if (name != null && name.isTextual()) {
            return name.textValue();
        }
        JsonNode uri = params.get("uri");
        return uri != null && uri.isTextual() ? uri.textValue() : "";
    }
}
