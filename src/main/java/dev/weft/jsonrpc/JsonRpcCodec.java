package dev.weft.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Encodes and decodes single JSON-RPC 2.0 messages, one JSON object per frame.
 *
 * <p>Thread-safe and immutable; share one instance per configuration. Decoding is strict about the envelope
 * ({@code "jsonrpc": "2.0"}, id kinds, exactly one of result and error) and lenient about what it does not know
 * (unknown members are ignored). Frames over {@link #maxFrameBytes()} are rejected before parsing.
 */
public final class JsonRpcCodec {
    /** The default frame limit: 16 MiB, room for base64 images and large tool results. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private static final JsonRpcCodec DEFAULT = new JsonRpcCodec(DEFAULT_MAX_FRAME_BYTES);

    private final int maxFrameBytes;
    private final AtomicReference<Jackson> jackson = new AtomicReference<>(); // built on first use

    /** The mapper and its tree reader (which resolves the tree deserializer once, not per frame). */
    private record Jackson(ObjectMapper mapper, ObjectReader treeReader) {
    }

    private JsonRpcCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Jackson, set up on first use rather than when the codec is made: so that a host that spawns a server first
     * starts it while Jackson's classes load. Two threads that race here both build; one result is kept.
     */
    private Jackson jackson() {
        Jackson built = jackson.get();
        if (built != null) {
            return built;
        }
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(maxFrameBytes)
                        .maxDocumentLength(maxFrameBytes)
                        .maxNestingDepth(512)
                        .build())
                // Callers are mostly virtual threads, short-lived and many: a per-thread recycler would allocate
                // fresh buffers for nearly every message. A shared pool recycles them across threads.
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .build();
        ObjectMapper mapper = JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        jackson.compareAndSet(null, new Jackson(mapper, mapper.readerFor(JsonNode.class)));
        return jackson.get();
    }

    /** {@return the codec with the {@linkplain #DEFAULT_MAX_FRAME_BYTES default limit}} */
    public static JsonRpcCodec standard() {
        return DEFAULT;
    }

    /**
     * A codec with another frame limit.
     *
     * @param maxFrameBytes the largest frame, in bytes
     * @return the codec
     * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
     */
    public static JsonRpcCodec withMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        return maxFrameBytes == DEFAULT_MAX_FRAME_BYTES ? DEFAULT : new JsonRpcCodec(maxFrameBytes);
    }

    /** {@return the largest frame, in bytes, that this codec and the transports using it accept} */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** {@return the mapper this codec parses with} The protocol layers convert params and results with it. */
    public ObjectMapper mapper() {
        return jackson().mapper();
    }

    /**
     * Decodes one frame.
     *
     * @param frame  the bytes holding the frame, UTF-8 JSON
     * @param offset where the frame starts in {@code frame}
     * @param length the frame's length in bytes
     * @return the message
     * @throws MalformedMessageException when the frame is not JSON ({@code -32700}) or not a valid message
     *                                   ({@code -32600}); the exception says what could be read of it
     */
    public Message decode(byte[] frame, int offset, int length) throws MalformedMessageException {
        if (length > maxFrameBytes) {
            throw new MalformedMessageException(
                    RpcError.invalidRequest("frame of " + length + " bytes exceeds limit " + maxFrameBytes), null,
                    MalformedMessageException.Kind.UNKNOWN);
        }
        JsonNode tree;
        try {
            tree = jackson().treeReader().readTree(frame, offset, length);
        } catch (IOException e) {
            throw new MalformedMessageException(RpcError.parseError("Parse error: " + firstLine(e)), null,
                    MalformedMessageException.Kind.UNKNOWN);
        }
        return fromTree(tree);
    }

    /**
     * Decodes one whole frame; see {@link #decode(byte[], int, int)}.
     *
     * @param frame the frame, UTF-8 JSON
     * @return the message
     * @throws MalformedMessageException when the frame is not a valid message
     */
    public Message decode(byte[] frame) throws MalformedMessageException {
        return decode(frame, 0, frame.length);
    }

    /**
     * Decodes one frame given as text; see {@link #decode(byte[], int, int)}.
     *
     * @param frame the frame, JSON
     * @return the message
     * @throws MalformedMessageException when the frame is not a valid message
     */
    public Message decode(String frame) throws MalformedMessageException {
        return decode(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Message fromTree(JsonNode tree) throws MalformedMessageException {
        if (tree == null || tree.isMissingNode()) {
            throw new MalformedMessageException(RpcError.parseError("Parse error: empty frame"), null,
                    MalformedMessageException.Kind.UNKNOWN);
        }
        if (tree.isArray()) {
            throw malformed("batches are not supported", null, MalformedMessageException.Kind.UNKNOWN);
        }
        if (!tree.isObject()) {
            throw malformed("a message must be a JSON object", null, MalformedMessageException.Kind.UNKNOWN);
        }
        JsonNode method = tree.get("method");
        JsonNode idNode = tree.get("id");
        MalformedMessageException.Kind kind = method == null ? MalformedMessageException.Kind.RESPONSE
                : idNode == null ? MalformedMessageException.Kind.NOTIFICATION
                : MalformedMessageException.Kind.REQUEST;
        RequestId id = readId(idNode, kind);
        JsonNode version = tree.get("jsonrpc");
        if (version == null || !version.isTextual() || !"2.0".equals(version.textValue())) {
            throw malformed("\"jsonrpc\" must be \"2.0\"", id, kind);
        }
        return switch (kind) {
            case REQUEST -> new Request(id, methodName(method, id, kind), params(tree, id, kind));
            case NOTIFICATION -> new Notification(methodName(method, null, kind), params(tree, null, kind));
            case RESPONSE -> response(tree, id);
            case UNKNOWN -> throw new IllegalStateException("kind " + kind);
        };
    }

    private static RequestId readId(JsonNode idNode, MalformedMessageException.Kind kind)
            throws MalformedMessageException {
        if (idNode == null || idNode.isNull()) {
            if (idNode != null && kind == MalformedMessageException.Kind.REQUEST) {
                throw malformed("a request id must be a string or an integer, not null", null, kind);
            }
            return null;
        }
        if (idNode.isTextual()) {
            return RequestId.of(idNode.textValue());
        }
        if (idNode.isIntegralNumber() && idNode.canConvertToLong()) {
            return RequestId.of(idNode.longValue());
        }
        throw malformed("an id must be a string or an integer", null, kind);
    }

    private static String methodName(JsonNode method, RequestId id, MalformedMessageException.Kind kind)
            throws MalformedMessageException {
        if (!method.isTextual()) {
            throw malformed("\"method\" must be a string", id, kind);
        }
        return method.textValue();
    }

    private static JsonNode params(JsonNode tree, RequestId id, MalformedMessageException.Kind kind)
            throws MalformedMessageException {
        JsonNode params = tree.get("params");
        if (params == null || params.isNull()) {
            return null;
        }
        if (params.getNodeType() != JsonNodeType.OBJECT && params.getNodeType() != JsonNodeType.ARRAY) {
            throw malformed("\"params\" must be an object or an array", id, kind);
        }
        return params;
    }

    private static Response response(JsonNode tree, RequestId id) throws MalformedMessageException {
        MalformedMessageException.Kind kind = MalformedMessageException.Kind.RESPONSE;
        JsonNode result = tree.get("result");
        JsonNode error = tree.get("error");
        if ((result == null) == (error == null)) {
            throw malformed("a response must have exactly one of \"result\" and \"error\"", id, kind);
        }
        if (result != null) {
            if (id == null) {
                throw malformed("a result must have an id", null, kind);
            }
            return new Response.Success(id, result);
        }
        JsonNode code = error.get("code");
        JsonNode message = error.get("message");
        if (!error.isObject() || code == null || !code.isIntegralNumber() || !code.canConvertToInt()
                || message == null || !message.isTextual()) {
            throw malformed("\"error\" must be an object with an integer \"code\" and a string \"message\"", id,
                    kind);
        }
        JsonNode data = error.get("data");
        return new Response.Failure(id, new RpcError(code.intValue(), message.textValue(), data));
    }

    private static MalformedMessageException malformed(String what, RequestId id, MalformedMessageException.Kind kind) {
        return new MalformedMessageException(RpcError.invalidRequest("Invalid Request: " + what), id, kind);
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Encodes one message as a compact JSON object without a trailing newline.
     *
     * @param message the message
     * @return the frame, UTF-8 JSON
     */
    public byte[] encode(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encode(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Writes one message as a compact JSON object, without a trailing newline, and without closing or flushing
     * {@code out}. Contains no raw newline, so a newline may delimit frames.
     *
     * @param message the message
     * @param out     where to write it
     * @throws IOException if {@code out} failed
     */
    public void encode(Message message, OutputStream out) throws IOException {
        try (JsonGenerator g = jackson().mapper().getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            switch (message) {
                case Request r -> {
                    writeId(g, r.id());
                    g.writeStringField("method", r.method());
                    if (r.params() != null) {
                        g.writeFieldName("params");
                        writeNode(g, r.params());
                    }
                }
                case Notification n -> {
                    g.writeStringField("method", n.method());
                    if (n.params() != null) {
                        g.writeFieldName("params");
                        writeNode(g, n.params());
                    }
                }
                case Response.Success s -> {
                    writeId(g, s.id());
                    g.writeFieldName("result");
                    writeNode(g, s.result());
                }
                case Response.Failure f -> {
                    writeId(g, f.id());
                    g.writeObjectFieldStart("error");
                    g.writeNumberField("code", f.error().code());
                    g.writeStringField("message", f.error().message());
                    if (f.error().data() != null) {
                        g.writeFieldName("data");
                        writeNode(g, f.error().data());
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        }
    }

    /**
     * Writes a tree by walking it: what {@code ObjectMapper.writeTree} writes, without setting up a serializer provider
     * per message, which costs more than writing a small message. A node only the mapper can write (a POJO) goes to it.
     */
    private void writeNode(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (java.util.Map.Entry<String, JsonNode> member : node.properties()) {
                    g.writeFieldName(member.getKey());
                    writeNode(g, member.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    writeNode(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                }
            }
            default -> jackson().mapper().writeTree(g, node); // binary, POJO, missing
        }
    }

    private static void writeId(JsonGenerator g, RequestId id) throws IOException {
        g.writeFieldName("id");
        switch (id) {
            case null -> g.writeNull();
            case RequestId.Number n -> g.writeNumber(n.value());
            case RequestId.Text t -> g.writeString(t.value());
        }
    }
}
