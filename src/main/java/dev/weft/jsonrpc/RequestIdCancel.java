package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The cancel both MCP and ACP use: a notification {@code method} naming the request in {@code requestId} (and, for
 * MCP, why in {@code reason}), never sent for {@code initialize}. Immutable; see {@link CancelProtocol#byRequestId}.
 *
 * @param method     the notification's method
 * @param withReason whether the notification carries a {@code reason}
 */
record RequestIdCancel(String method, boolean withReason) implements CancelProtocol {
    RequestIdCancel {
        Objects.requireNonNull(method, "method");
    }

    @Override
    public Notification cancel(RequestId id, String cancelled, String reason) {
        if (cancelled.equals("initialize")) {
            return null;
        }
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        switch (id) {
            case RequestId.Number n -> params.put("requestId", n.value());
            case RequestId.Text t -> params.put("requestId", t.value());
        }
        if (withReason) {
            params.put("reason", reason);
        }
        return new Notification(method, params);
    }

    @Override
    public RequestId cancelledId(Notification cancel) {
        JsonNode id = cancel.params() == null ? null : cancel.params().get("requestId");
        if (id == null) {
            return null;
        }
        if (id.isIntegralNumber() && id.canConvertToLong()) {
            return RequestId.of(id.longValue());
        }
        return id.isTextual() ? RequestId.of(id.textValue()) : null;
    }
}
