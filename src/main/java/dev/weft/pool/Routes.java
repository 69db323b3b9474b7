package dev.weft.pool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.mcp.ElicitationRequest;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.Handlers;
import dev.weft.mcp.LogMessage;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.Root;
import dev.weft.mcp.SamplingRequest;
import dev.weft.mcp.SamplingResult;
import dev.weft.mcp.ServerEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a pooled session's server-to-client traffic goes: to the {@link Claimant}s with a call in flight on it, else
 * to the pool's own client options. Notifications go to every claimant, in the order they claimed; a request goes to
 * the oldest claimant that handles it. Thread-safe; claimants come and go while the session runs.
 */
final class Routes implements ServerEvents {
    private final McpClientOptions base;
    private final CopyOnWriteArrayList<Claimant> claimants = new CopyOnWriteArrayList<>();

    Routes(McpClientOptions base) {
        this.base = base;
    }

    /** The options to open the session with: the base's, every handler the base declares routed here. */
    McpClientOptions sessionOptions() {
        McpClientOptions options = base.withEvents(this);
        if (base.sampling() != null) {
            options = options.withSampling(this::createMessage);
        }
        if (base.elicitation() != null) {
            options = options.withElicitation(this::elicit);
        }
        if (base.roots() != null) {
            options = options.withRoots(this::roots);
        }
        return options;
    }

    SessionPool.Claim claim(Claimant claimant) {
        claimants.add(claimant);
        return () -> claimants.remove(claimant);
    }

    private void notify(Consumer<ServerEvents> event) {
        List<Claimant> now = List.copyOf(claimants);
        if (now.isEmpty()) {
            event.accept(base.events());
            return;
        }
        for (Claimant claimant : now) {
            event.accept(claimant.events());
        }
    }

    private <H> H handler(Function<Claimant, H> of, H fallback, String method) throws RpcErrorException {
        for (Claimant claimant : claimants) {
            H handler = of.apply(claimant);
            if (handler != null) {
                return handler;
            }
        }
        if (fallback == null) {
            throw new RpcErrorException(RpcError.methodNotFound(method));
        }
        return fallback;
    }

    private SamplingResult createMessage(SamplingRequest request) throws Exception {
        Handlers.Sampling handler = handler(Claimant::sampling, base.sampling(), "sampling/createMessage");
        return handler.createMessage(request);
    }

    private ElicitationResult elicit(ElicitationRequest request) throws Exception {
        return handler(Claimant::elicitation, base.elicitation(), "elicitation/create").elicit(request);
    }

    private List<Root> roots() throws Exception {
        return handler(Claimant::roots, base.roots(), "roots/list").roots();
    }

    @Override
    public void onLog(LogMessage message) {
        notify(events -> events.onLog(message));
    }

    @Override
    public void onToolsChanged() {
        notify(ServerEvents::onToolsChanged);
    }

    @Override
    public void onResourcesChanged() {
        notify(ServerEvents::onResourcesChanged);
    }

    @Override
    public void onPromptsChanged() {
        notify(ServerEvents::onPromptsChanged);
    }

    @Override
    public void onResourceUpdated(String uri) {
        notify(events -> events.onResourceUpdated(uri));
    }

    @Override
    public void onElicitationComplete(String elicitationId) {
        notify(events -> events.onElicitationComplete(elicitationId));
    }

    @Override
    public void onNotification(String method, JsonNode params) {
        notify(events -> events.onNotification(method, params));
    }
}
