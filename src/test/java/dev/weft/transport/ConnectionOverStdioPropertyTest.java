package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionClosedException;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.TransportClosedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A call never outlives its reader, over a real child process: N calls pending at the peer (it has acknowledged each),
 * some echo calls answered, then the child is killed (SIGKILL or SIGTERM) or the host closes. Every pending call must
 * fail promptly with a {@link TransportClosedException} caused by the process's exit (with its exit code) or by the
 * host's close, and later calls fail the same way. Few examples: each starts a JVM.
 */
@Tag("concurrency")
class ConnectionOverStdioPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    enum Death { SIGKILL, SIGTERM, HOST_CLOSES }

    @Test
    void everyPendingCallFailsAtOnceWhenTheChildDies() {
        qt().withExamples(6).withShrinkCycles(5)
                .forAll(integers().between(1, 32), integers().between(0, 8), integers().between(0, 2))
                .checkAssert((pendingCount, echoes, deathIndex) -> {
                    try {
                        check(pendingCount, echoes, Death.values()[deathIndex]);
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(int n, int echoes, Death death) throws IOException, InterruptedException {
        Semaphore received = new Semaphore(0);
        StdioTransport transport = StdioTransport.spawn(Peers.javaPeer("hold"));
        long pid = transport.pid().orElseThrow();
        Connection c = Connection.open(transport, ConnectionOptions.DEFAULT.withDefaultTimeout(Duration.ofMinutes(10))
                .withNotificationHandler("received", note -> received.release()));
        try {
            for (int i = 0; i < echoes; i++) {
                assertThat(c.call("echo", JsonNodeFactory.instance.objectNode().put("i", i)).get("i").asInt())
                        .isEqualTo(i);
            }
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(n);
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                callers.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                    try {
                        outcomes.set(k, c.call("hold", null));
                    } catch (Throwable t) {
                        outcomes.set(k, t);
                    }
                }));
            }
            assertThat(received.tryAcquire(n, PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the peer acknowledged all %d calls", n).isTrue();
            switch (death) {
                case SIGKILL -> ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                case SIGTERM -> ProcessHandle.of(pid).orElseThrow().destroy();
                case HOST_CLOSES -> c.close();
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (Thread t : callers) {
                assertThat(t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))))
                        .as("caller %s ended", t.getName()).isTrue();
            }
            Throwable terminal = c.awaitClosed(PATIENCE);
            assertThat(terminal).isNotNull();
            if (death == Death.HOST_CLOSES) {
                assertThat(terminal).isInstanceOf(ConnectionClosedException.class);
            } else {
                assertThat(terminal).isInstanceOfSatisfying(ProcessExitedException.class, e -> {
                    assertThat(e.pid()).isEqualTo(pid);
                    assertThat(e.exitCode()).isPresent(); // killed by a signal: 128 + signal
                });
            }
            for (int k = 0; k < n; k++) {
                assertThat(outcomes.get(k)).isInstanceOfSatisfying(TransportClosedException.class, e -> {
                    assertThat(e.getCause()).isSameAs(terminal);
                    assertThat(e.requestSent()).isTrue();
                    assertThat(e.transport()).contains("pid " + pid);
                });
            }
            Object later;
            try {
                later = c.call("hold", null);
            } catch (TransportClosedException e) {
                later = e;
            }
            assertThat(later).isInstanceOfSatisfying(TransportClosedException.class,
                    e -> assertThat(e.getCause()).isSameAs(terminal));
        } finally {
            c.close();
        }
    }
}
