package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.JsonRpcCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {
    @Test
    void ofHasTheDefaults() {
        ProcessSpec spec = ProcessSpec.of("node", "server.js");

        assertThat(spec.argv()).containsExactly("node", "server.js");
        assertThat(spec.environment()).isEmpty();
        assertThat(spec.directory()).isNull();
        assertThat(spec.stderrTailBytes()).isEqualTo(64 * 1024);
        assertThat(spec.closeGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.codec()).isSameAs(JsonRpcCodec.standard());
        assertThat(spec.commandLine()).isEqualTo("node server.js");
    }

    @Test
    void withMethodsChangeOneComponent() {
        ProcessSpec spec = ProcessSpec.of("a");
        JsonRpcCodec small = JsonRpcCodec.withMaxFrameBytes(10);

        ProcessSpec changed = spec.withArgv(List.of("b", "c"))
                .withEnvironment(Map.of("X", "1"))
                .withEnvironment("Y", "2")
                .withDirectory(Path.of("/tmp"))
                .withStderrTailBytes(0)
                .withCloseGrace(Duration.ZERO)
                .withCodec(small);

        assertThat(changed).isEqualTo(new ProcessSpec(List.of("b", "c"), Map.of("X", "1", "Y", "2"), Path.of("/tmp"),
                0, Duration.ZERO, small));
        assertThat(spec).isEqualTo(ProcessSpec.of("a"));
    }

    @Test
    void copiesWhatItIsGiven() {
        List<String> argv = new ArrayList<>(List.of("a"));
        ProcessSpec spec = new ProcessSpec(argv, Map.of(), null, 1, Duration.ZERO, JsonRpcCodec.standard());
        argv.add("b");

        assertThat(spec.argv()).containsExactly("a");
    }

    @Test
    void rejectsWhatCannotRun() {
        assertThatThrownBy(() -> ProcessSpec.of()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessSpec.of(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessSpec.of("a", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ProcessSpec.of("a").withStderrTailBytes(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessSpec.of("a").withCloseGrace(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessSpec.of("a").withCodec(null)).isInstanceOf(NullPointerException.class);
    }
}
