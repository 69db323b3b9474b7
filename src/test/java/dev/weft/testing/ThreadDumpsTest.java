package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Thread dumps see virtual threads, which nothing else public does, as long as all threads are tracked. */
class ThreadDumpsTest {

    @Test
    @Tag("concurrency")
    void dumpsListVirtualAndPlatformThreadsThatGetAllStackTracesMisses() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Runnable park = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Thread virtual = Thread.ofVirtual().name("weft-dump-virtual").start(park);
        Thread platform = Thread.ofPlatform().name("weft-dump-platform").start(park);
        try {
            Await.until(() -> virtual.getState() == Thread.State.WAITING, java.time.Duration.ofSeconds(10),
                    "the virtual thread to park");
            List<ThreadDumps.ThreadEntry> named = ThreadDumps.threadsNamed("weft-dump-");

            assertThat(named).anySatisfy(t -> {
                assertThat(t.tid()).isEqualTo(virtual.threadId());
                assertThat(t.virtual()).isTrue();
                assertThat(t.stack()).anyMatch(frame -> frame.contains("CountDownLatch.await"));
                assertThat(t.describe()).startsWith("#" + virtual.threadId() + " \"weft-dump-virtual\" virtual");
            });
            assertThat(named).anySatisfy(t -> {
                assertThat(t.tid()).isEqualTo(platform.threadId());
                assertThat(t.virtual()).isFalse();
            });
            assertThat(Thread.getAllStackTraces().keySet()).as("why a dump is needed")
                    .contains(platform).doesNotContain(virtual);
            assertThat(ThreadDumps.text()).contains("\"weft-dump-virtual\" virtual");
        } finally {
            release.countDown();
            virtual.join();
            platform.join();
        }
        assertThat(ThreadDumps.threadsNamed("weft-dump-")).isEmpty();
    }

    @Test
    void directlyCreatedVirtualThreadsAreInDumpsOnlyWhileAllThreadsAreTracked() throws Exception {
        Process tracked = probe(List.of());
        Process untracked = probe(List.of("-Djdk.trackAllThreads=false"));

        assertThat(outputOf(tracked)).as("JDK default").isEqualTo("seen");
        assertThat(outputOf(untracked)).isEqualTo("unseen");
    }

    @Test
    void checksRefuseToRunWhenThreadsAreNotTracked() {
        ThreadDumps.requireTracking(null);
        ThreadDumps.requireTracking("");
        ThreadDumps.requireTracking("true");
        assertThatThrownBy(() -> ThreadDumps.requireTracking("false")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jdk.trackAllThreads=false");
    }

    private static Process probe(List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrackAllThreadsProbe.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String outputOf(Process process) throws Exception {
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe JVM ended").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.exitValue()).as(output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
