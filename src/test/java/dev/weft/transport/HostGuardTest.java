package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostGuardTest {
    @Test
    void onALoopbackBindOnlyLoopbackNamesPassByDefault() {
        HostGuard guard = new HostGuard(List.of(), List.of(), true);

        assertThat(guard.refusal("127.0.0.1:8080", null)).isNull();
        assertThat(guard.refusal("localhost", "http://localhost:5173")).isNull();
        assertThat(guard.refusal("[::1]:9", "https://[::1]:9")).isNull();
        assertThat(guard.refusal("evil.example", null)).contains("Host");
        assertThat(guard.refusal(null, null)).contains("Host");
        assertThat(guard.refusal("localhost:1", "http://evil.example")).contains("Origin");
        assertThat(guard.refusal("localhost:1", "null")).contains("Origin");
        assertThat(guard.refusal("localhost:1", "file://localhost")).contains("Origin");
    }

    @Test
    void explicitListsReplaceTheDefault() {
        HostGuard guard = new HostGuard(List.of("mcp.example", "other.example:8443"),
                List.of("https://app.example", "http://dev.example:3000"), true);

        assertThat(guard.refusal("mcp.example:1234", null)).isNull();
        assertThat(guard.refusal("other.example:8443", null)).isNull();
        assertThat(guard.refusal("other.example:80", null)).isNotNull();
        assertThat(guard.refusal("localhost", null)).isNotNull();
        assertThat(guard.refusal("mcp.example", "https://app.example:444")).isNull();
        assertThat(guard.refusal("mcp.example", "http://dev.example:3000")).isNull();
        assertThat(guard.refusal("mcp.example", "http://dev.example:3001")).isNotNull();
        assertThat(new HostGuard(List.of("*"), List.of("*"), true).refusal("any", "http://any")).isNull();
    }

    @Test
    void onAnotherBindAnyHostPassesAndAnOriginMustBeTheSameHost() {
        HostGuard guard = new HostGuard(List.of(), List.of(), false);

        assertThat(guard.refusal("mcp.example", null)).isNull();
        assertThat(guard.refusal("mcp.example", "https://mcp.example")).isNull();
        assertThat(guard.refusal("mcp.example", "https://evil.example")).contains("Origin");
    }
}
