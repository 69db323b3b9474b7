package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CancelProtocol;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.RequestId;

/** MCP's cancellation: {@code notifications/cancelled {requestId, reason}}, never for {@code initialize}. Stateless. */
final class McpCancel implements CancelProtocol {
    static final McpCancel INSTANCE = new McpCancel();
    static final String METHOD = "notifications/cancelled";

    private McpCancel() {
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Notification cancel(RequestId id, String method, String reason) {
        if (method.equals("initialize")) {
            return null;
        }
        ObjectNode params = McpJson.object();
        switch (id) {
            case RequestId.Number n -> params.put("requestId", n.value());
            case RequestId.Text t -> params.put("requestId", t.value());
        }
        params.put("reason", reason);
        return new Notification(METHOD, params);
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
