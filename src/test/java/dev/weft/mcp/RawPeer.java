package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.RpcError;
import dev.weft.transport.MemoryTransport;
import java.io.IOException;

/**
 * The server's end of a memory pair, driven step by step from the test thread: read what the client sent, answer.
 * Not thread-safe; one test thread drives it.
 */
final class RawPeer implements AutoCloseable {
    final MemoryTransport transport;

    RawPeer(MemoryTransport transport) {
        this.transport = transport;
    }

    static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    Message next() throws Exception {
        return transport.receive();
    }

    Request request(String method) throws Exception {
        Message m = next();
        assertThat(m).as("next message from the client").isInstanceOf(Request.class);
        Request r = (Request) m;
        assertThat(r.method()).isEqualTo(method);
        return r;
    }

    Notification notification(String method) throws Exception {
        Message m = next();
        assertThat(m).as("next message from the client").isInstanceOf(Notification.class);
        Notification n = (Notification) m;
        assertThat(n.method()).isEqualTo(method);
        return n;
    }

    Response response() throws Exception {
        Message m = next();
        assertThat(m).as("next message from the client").isInstanceOf(Response.class);
        return (Response) m;
    }

    void reply(RequestId id, JsonNode result) throws IOException {
        transport.send(new Response.Success(id, result));
    }

    void fail(RequestId id, RpcError error) throws IOException {
        transport.send(new Response.Failure(id, error));
    }

    void notify(String method, JsonNode params) throws IOException {
        transport.send(new Notification(method, params));
    }

    void ask(long id, String method, JsonNode params) throws IOException {
        transport.send(new Request(RequestId.of(id), method, params));
    }

    /** Answers initialize with {@code version}, then reads {@code notifications/initialized}; returns the initialize request. */
    Request handshake(String version) throws Exception {
        Request init = request("initialize");
        ObjectNode result = obj().put("protocolVersion", version);
        result.putObject("capabilities").putObject("tools");
        result.putObject("serverInfo").put("name", "raw").put("version", "0.1");
        reply(init.id(), result);
        notification("notifications/initialized");
        return init;
    }

    static ObjectNode text(String text) {
        ObjectNode result = obj();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result;
    }

    @Override
    public void close() {
        transport.close();
    }
}
