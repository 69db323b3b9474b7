package dev.weft.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The codec: every message survives a round trip, every defect gets the right code and what could be read. */
class JsonRpcCodecTest {
    private static final JsonRpcCodec CODEC = JsonRpcCodec.standard();

    private static Gen<RequestId> ids() {
        return longs().all().map(RequestId::of).mix(strings().allPossible().ofLengthBetween(0, 12).map(RequestId::of));
    }

    private static Gen<JsonNode> params() {
        return strings().allPossible().ofLengthBetween(0, 40).zip(integers().all(), (s, i) -> {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("text", s); // any code point, including newlines and quotes
            n.put("n", i);
            n.putArray("list").add(s).add(i);
            return (JsonNode) n;
        });
    }

    private static Gen<Message> messages() {
        Gen<Message> requests = ids().zip(strings().allPossible().ofLengthBetween(1, 20), params(),
                (id, m, p) -> new Request(id, m, p));
        Gen<Message> notifications = strings().basicLatinAlphabet().ofLengthBetween(1, 20).zip(params(),
                (m, p) -> new Notification(m, p));
        Gen<Message> successes = ids().zip(params(), (id, p) -> new Response.Success(id, p));
        Gen<Message> failures = ids().zip(integers().all(), strings().allPossible().ofLengthBetween(0, 30),
                (id, code, msg) -> new Response.Failure(id, new RpcError(code, msg)));
        return requests.mix(notifications, 25).mix(successes, 25).mix(failures, 25);
    }

    @Test
    void everyMessageSurvivesARoundTripAndEncodesWithoutARawNewline() {
        qt().withExamples(1000).forAll(messages()).checkAssert(m -> {
            byte[] frame = CODEC.encode(m);
            assertThat(new String(frame, StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain("\r");
            try {
                assertThat(CODEC.decode(frame)).isEqualTo(m);
            } catch (MalformedMessageException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The codec walks trees itself; what it writes is byte for byte what Jackson's own UTF-8 tree writer writes. */
    @Test
    void paramsAreWrittenExactlyAsJacksonWritesThem() {
        com.fasterxml.jackson.databind.ObjectMapper jackson = new com.fasterxml.jackson.databind.ObjectMapper();
        qt().withExamples(500).forAll(dev.weft.testing.JsonValues.objects(4, true)).checkAssert(value -> {
            JsonNode params = jackson.valueToTree(value);
            try {
                // as bytes, as the codec writes: Jackson's UTF-8 writer escapes supplementary characters
                String expected = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":"
                        + new String(jackson.writeValueAsBytes(params), StandardCharsets.UTF_8) + "}";
                assertThat(new String(CODEC.encode(new Notification("m", params)), StandardCharsets.UTF_8))
                        .isEqualTo(expected);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void idsKeepTheirKind() throws Exception {
        Request n = (Request) CODEC.decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}");
        Request s = (Request) CODEC.decode("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"m\"}");
        assertThat(n.id()).isEqualTo(RequestId.of(1)).isNotEqualTo(s.id());
        assertThat(s.id()).isEqualTo(RequestId.of("1"));
    }

    @Test
    void anErrorWithANullIdIsAValidFailure() throws Exception {
        Message m = CODEC.decode("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}");
        assertThat(m).isEqualTo(new Response.Failure(null, new RpcError(-32700, "x")));
    }

    @Test
    void defectsGetTheRightCodeAndWhatCouldBeRead() {
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":1,", RpcError.PARSE_ERROR, null, MalformedMessageException.Kind.UNKNOWN);
        assertDefect("", RpcError.PARSE_ERROR, null, MalformedMessageException.Kind.UNKNOWN);
        assertDefect("42", RpcError.INVALID_REQUEST, null, MalformedMessageException.Kind.UNKNOWN);
        assertDefect("[]", RpcError.INVALID_REQUEST, null, MalformedMessageException.Kind.UNKNOWN);
        assertDefect("{\"id\":3,\"method\":\"m\"}", RpcError.INVALID_REQUEST, RequestId.of(3),
                MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"1.0\",\"id\":\"a\",\"method\":\"m\"}", RpcError.INVALID_REQUEST,
                RequestId.of("a"), MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":7}", RpcError.INVALID_REQUEST, RequestId.of(4),
                MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"m\"}", RpcError.INVALID_REQUEST, null,
                MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}", RpcError.INVALID_REQUEST, null,
                MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"m\",\"params\":\"s\"}", RpcError.INVALID_REQUEST,
                RequestId.of(5), MalformedMessageException.Kind.REQUEST);
        assertDefect("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":1}", RpcError.INVALID_REQUEST, null,
                MalformedMessageException.Kind.NOTIFICATION);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":6}", RpcError.INVALID_REQUEST, RequestId.of(6),
                MalformedMessageException.Kind.RESPONSE);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"}}",
                RpcError.INVALID_REQUEST, RequestId.of(7), MalformedMessageException.Kind.RESPONSE);
        assertDefect("{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":\"x\",\"message\":\"m\"}}",
                RpcError.INVALID_REQUEST, RequestId.of(8), MalformedMessageException.Kind.RESPONSE);
        assertDefect("{\"jsonrpc\":\"2.0\",\"result\":1}", RpcError.INVALID_REQUEST, null,
                MalformedMessageException.Kind.RESPONSE);
    }

    private static void assertDefect(String frame, int code, RequestId id, MalformedMessageException.Kind kind) {
        assertThatThrownBy(() -> CODEC.decode(frame)).as(frame).isInstanceOfSatisfying(MalformedMessageException.class,
                e -> {
                    assertThat(e.error().code()).as(frame).isEqualTo(code);
                    assertThat(e.id()).as(frame).isEqualTo(id);
                    assertThat(e.kind()).as(frame).isEqualTo(kind);
                });
    }

    @Test
    void aFrameOverTheLimitIsRejectedBeforeParsing() {
        JsonRpcCodec small = JsonRpcCodec.withMaxFrameBytes(64);
        String big = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"s\":\"" + "x".repeat(100) + "\"}}";
        assertThatThrownBy(() -> small.decode(big)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("exceeds limit 64");
        assertThatThrownBy(() -> JsonRpcCodec.withMaxFrameBytes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deeplyNestedInputIsAParseErrorNotAStackOverflow() {
        String deep = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":" + "[".repeat(100_000) + "]".repeat(100_000)
                + "}";
        assertThatThrownBy(() -> CODEC.decode(deep)).isInstanceOfSatisfying(MalformedMessageException.class,
                e -> assertThat(e.error().code()).isEqualTo(RpcError.PARSE_ERROR));
    }
}
