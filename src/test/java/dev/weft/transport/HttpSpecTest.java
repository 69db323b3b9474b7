package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.JsonRpcCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSpecTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:3000/mcp");

    @Test
    void defaults() {
        HttpSpec spec = HttpSpec.of(ENDPOINT);

        assertThat(spec.endpoint()).isEqualTo(ENDPOINT);
        assertThat(spec.headers()).isEmpty();
        assertThat(spec.requestHeaders()).isSameAs(RequestHeaders.NONE);
        assertThat(spec.authorizer()).isNull();
        assertThat(spec.httpClient()).isNull();
        assertThat(spec.connectTimeout()).isEqualTo(HttpSpec.DEFAULT_CONNECT_TIMEOUT);
        assertThat(spec.codec()).isSameAs(JsonRpcCodec.standard());
        assertThat(spec.reconnectAttempts()).isEqualTo(HttpSpec.DEFAULT_RECONNECT_ATTEMPTS);
        assertThat(HttpSpec.of("http://127.0.0.1:3000/mcp")).isEqualTo(spec);
    }

    @Test
    void withCopiesChangeOneComponent() {
        RequestHeaders auth = (uri, method) -> Map.of("Authorization", "Bearer x");
        HttpAuthorizer authorizer = new HttpAuthorizer() {
            @Override
            public Map<String, String> headers(URI uri, String httpMethod) {
                return Map.of();
            }

            @Override
            public boolean refused(Refusal refusal) {
                return false;
            }
        };
        HttpSpec spec = HttpSpec.of(ENDPOINT).withHeader("X-A", "1").withHeader("X-B", "2")
                .withRequestHeaders(auth).withAuthorizer(authorizer).withConnectTimeout(Duration.ofSeconds(3))
                .withCodec(JsonRpcCodec.withMaxFrameBytes(1000)).withReconnectAttempts(0)
                .withEndpoint(URI.create("https://example.com/mcp"));

        assertThat(spec.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("X-A", "1", "X-B", "2"));
        assertThat(spec.requestHeaders()).isSameAs(auth);
        assertThat(spec.authorizer()).isSameAs(authorizer);
        assertThat(spec.withAuthorizer(null).authorizer()).isNull();
        assertThat(spec.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(spec.codec().maxFrameBytes()).isEqualTo(1000);
        assertThat(spec.reconnectAttempts()).isZero();
        assertThat(spec.endpoint()).isEqualTo(URI.create("https://example.com/mcp"));
        assertThat(spec.withHeaders(Map.of()).headers()).isEmpty();
    }

    @Test
    void misuseFailsFast() {
        HttpSpec spec = HttpSpec.of(ENDPOINT);

        assertThatThrownBy(() -> HttpSpec.of("ftp://host/mcp")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpSpec.of("/mcp")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.withConnectTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.withReconnectAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.withRequestHeaders(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> spec.withHeader("X", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void statusExceptionCutsItsExcerpt() {
        HttpStatusException e = new HttpStatusException(502, "Bad Gateway", ENDPOINT, "POST", "tools/call",
                "y".repeat(2000));

        assertThat(e.bodyExcerpt()).hasSize(HttpStatusException.MAX_EXCERPT_CHARS + 1).endsWith("\u2026");
        assertThat(e.getMessage()).startsWith("HTTP 502 Bad Gateway from POST " + ENDPOINT + " (tools/call): yyy");
    }
}
