package dev.weft.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.CancelProtocol;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.RequestId;

/**
 * ACP's generic request cancellation, {@code $/cancel_request {requestId}}, in both directions: an agent that cancels
 * one of its requests (a permission prompt) interrupts its handler. Never for {@code initialize}. A prompt turn is
 * cancelled with {@code session/cancel} instead (see {@link PromptTurn}); this one is sent for a prompt only when the
 * client gives up waiting for its answer. Stateless.
 */
final class AcpCancel implements CancelProtocol {
    static final AcpCancel INSTANCE = new AcpCancel();
    static final String METHOD = "$/cancel_request";

    private AcpCancel() {
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
        ObjectNode params = AcpJson.object();
        switch (id) {
            case RequestId.Number n -> params.put("requestId", n.value());
            case RequestId.Text t -> params.put("requestId", t.value());
        }
        return new Notification(METHOD, params);
    }

    @Override
    public RequestId cancelledId(Notification cancel) {
        JsonNode id = cancel.params() == null ? null : cancel.params().get("requestId");
        if (id == null) {
            return null;
        }
        if (id.isIntegralNumber()) {
            return RequestId.of(id.asLong());
        }
        return id.isTextual() ? RequestId.of(id.asText()) : null;
    }
}
