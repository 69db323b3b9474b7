package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessExitedExceptionTest {
    @Test
    void anExitCarriesItsCodeAndNamesTheLastLineOfStderr() {
        ProcessExitedException e = ProcessExitedException.exited("stdio[node s.js] pid 42", 42, 1,
                List.of("node", "s.js"), "warming up\nError: listen EADDRINUSE\n\n");

        assertThat(e).hasMessage("stdio[node s.js] pid 42 exited with code 1: Error: listen EADDRINUSE");
        assertThat(e.pid()).isEqualTo(42);
        assertThat(e.exitCode()).hasValue(1);
        assertThat(e.command()).containsExactly("node", "s.js");
        assertThat(e.stderrTail()).isEqualTo("warming up\nError: listen EADDRINUSE\n\n");
    }

    @Test
    void aLiveProcessHasNoExitCode() {
        ProcessExitedException e = ProcessExitedException.stillRunning("stdio[x] pid 7", 7, List.of("x"), "");

        assertThat(e).hasMessage("stdio[x] pid 7 closed its standard output but is still running");
        assertThat(e.exitCode()).isEmpty();
    }

    @Test
    void aCopyKeepsTheValuesAndPointsAtTheOriginal() {
        ProcessExitedException original = ProcessExitedException.exited("t", 1, 2, List.of("c"), "tail");

        ProcessExitedException copy = new ProcessExitedException(original);

        assertThat(copy).hasMessage(original.getMessage()).hasCause(original);
        assertThat(copy.pid()).isEqualTo(1);
        assertThat(copy.exitCode()).hasValue(2);
        assertThat(copy.command()).containsExactly("c");
        assertThat(copy.stderrTail()).isEqualTo("tail");
    }
}
