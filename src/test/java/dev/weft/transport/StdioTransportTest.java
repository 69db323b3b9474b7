package dev.weft.transport;

import dev.weft.internal.ProcessTree;
import dev.weft.testing.Await;
import static dev.weft.transport.Peers.PATIENCE;
import static dev.weft.transport.Peers.javaPeer;
import static dev.weft.transport.Peers.sh;
import static dev.weft.transport.Peers.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.RpcError;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stdio transport against real processes: a {@link dev.weft.transport.peer.StdioPeer} in its own JVM where a
 * behaviour needs one, {@code sh} and {@code cat} where they suffice. After each test nothing may be left: no child,
 * no grandchild, no thread of ours.
 */
@Tag("concurrency")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StdioTransportTest {
    /** An end is "prompt" well within this: far below any wait the transport could be stuck in (600 s sleeps). */
    private static final Duration PROMPT = Duration.ofSeconds(5);

    private final List<StdioTransport> transports = new ArrayList<>();

    private StdioTransport spawn(ProcessSpec spec) throws IOException {
        StdioTransport transport = StdioTransport.spawn(spec);
        transports.add(transport);
        return transport;
    }

    @AfterEach
    void nothingIsLeftBehind() {
        transports.forEach(StdioTransport::close);
        Await.until(() -> ProcessHandle.current().descendants().findAny().isEmpty(), Peers.PATIENCE,
                "no descendant process left");
        for (StdioTransport transport : transports) {
            for (Thread thread : transport.threads()) {
                assertThat(thread.getName()).startsWith("weft-stdio-");
                assertThat(thread.isAlive()).as("%s ended after close", thread.getName()).isFalse();
            }
        }
    }

    private static Request request(long id, String text) {
        return new Request(RequestId.of(id), "echo", JsonNodeFactory.instance.objectNode().put("text", text));
    }

    private static RequestId successId(Message message) {
        assertThat(message).isInstanceOf(Response.Success.class);
        return ((Response.Success) message).id();
    }

    private static ProcessHandle handle(StdioTransport transport) {
        return ProcessHandle.of(transport.pid().orElseThrow()).orElseThrow();
    }

    /** Runs {@code receive} on a virtual thread, once it is parked waiting for a frame. */
    private static CompletableFuture<Throwable> receiveInBackground(StdioTransport transport) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread receiver = Thread.ofVirtual().name("test-receiver").start(() -> {
            try {
                outcome.complete(new AssertionError("received " + transport.receive()));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Await.until(() -> waiting(receiver), Peers.PATIENCE, "receiver waiting");
        return outcome;
    }

    @Test
    void roundTripWithEchoPeer() throws Exception {
        StdioTransport transport = spawn(javaPeer("echo"));

        transport.send(request(1, "h\u00e9llo \u2713 \"quoted\" \\ back"));
        Message answer = transport.receive();

        assertThat(answer).isEqualTo(new Response.Success(RequestId.of(1),
                JsonNodeFactory.instance.objectNode().put("text", "h\u00e9llo \u2713 \"quoted\" \\ back")));
    }

    @Test
    void describeNamesTheCommandAndPid() throws Exception {
        StdioTransport transport = spawn(ProcessSpec.of("cat"));

        assertThat(transport.describe()).isEqualTo("stdio[cat] pid " + transport.pid().orElseThrow());
        assertThat(transport.toString()).isEqualTo(transport.describe());
    }

    @Test
    void malformedLineFailsThatReceiveAndTheTransportStaysUsable() throws Exception {
        StdioTransport transport = spawn(javaPeer("malformed"));

        MalformedMessageException malformed = catchThrowableOfType(MalformedMessageException.class,
                transport::receive);
        transport.send(request(7, "still there"));

        assertThat(malformed.error().code()).isEqualTo(RpcError.PARSE_ERROR);
        assertThat(successId(transport.receive())).isEqualTo(RequestId.of(7));
    }

    @Test
    void oversizedLineEndsTheTransportAfterTheFramesBeforeIt() throws Exception {
        StdioTransport transport = spawn(javaPeer("oversized", "5000").withCodec(JsonRpcCodec.withMaxFrameBytes(1000)));

        Message before = transport.receive();
        FrameTooLargeException first = catchThrowableOfType(FrameTooLargeException.class, transport::receive);
        Throwable second = catchThrowable(transport::receive);
        Throwable send = catchThrowable(() -> transport.send(request(1, "late")));

        assertThat(before).isEqualTo(new Notification("before", null));
        assertThat(first.limit()).isEqualTo(1000);
        assertThat(first.getMessage()).contains(transport.describe());
        assertThat(second).isInstanceOf(FrameTooLargeException.class).hasCause(first.getCause());
        assertThat(send).isInstanceOf(IOException.class).hasCause(first.getCause());
    }

    @Test
    void exitMidCallReportsExitCodeAndStderrTail() throws Exception {
        ProcessSpec spec = javaPeer("exit-on", "2", "7", "silent");
        StdioTransport transport = spawn(spec);
        transport.send(request(1, "answered"));
        assertThat(transport.receive()).isInstanceOf(Response.Success.class);

        transport.send(request(2, "never answered"));
        long start = System.nanoTime();
        ProcessExitedException exited = catchThrowableOfType(ProcessExitedException.class, transport::receive);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exited.exitCode()).hasValue(7);
        assertThat(exited.pid()).isEqualTo(transport.pid().orElseThrow());
        assertThat(exited.command()).isEqualTo(spec.argv());
        assertThat(exited.stderrTail()).contains("exiting on request 2 with code 7");
        assertThat(exited.getMessage()).contains(transport.describe(), "exited with code 7",
                "exiting on request 2 with code 7");
        assertThat(took).isLessThan(PROMPT);
    }

    @Test
    void lastResponseWrittenBeforeExitIsDelivered() throws Exception {
        StdioTransport transport = spawn(javaPeer("exit-on", "1", "0", "answer"));

        transport.send(request(1, "last words"));

        assertThat(successId(transport.receive())).isEqualTo(RequestId.of(1));
        assertThat(catchThrowableOfType(ProcessExitedException.class, transport::receive).exitCode()).hasValue(0);
    }

    @Test
    void endIsStickyForReceiveAndSend() throws Exception {
        StdioTransport transport = spawn(javaPeer("exit-on", "1", "5", "silent"));
        transport.send(request(1, "fatal"));

        Throwable first = catchThrowable(transport::receive);
        Throwable second = catchThrowable(transport::receive);
        Throwable send = catchThrowable(() -> transport.send(request(2, "after the end")));
        transport.close();
        Throwable afterClose = catchThrowable(transport::receive);

        assertThat(first).isInstanceOf(ProcessExitedException.class).cause().isInstanceOf(ProcessExitedException.class);
        assertThat(second).isInstanceOf(ProcessExitedException.class).isNotSameAs(first).hasCause(first.getCause());
        assertThat(send).isInstanceOf(IOException.class).hasCause(first.getCause());
        assertThat(afterClose).isInstanceOf(ProcessExitedException.class).hasCause(first.getCause());
    }

    @Test
    void killedChildEndsAWaitingReceivePromptly() throws Exception {
        StdioTransport transport = spawn(javaPeer("echo"));
        transport.send(request(1, "up"));
        transport.receive();
        CompletableFuture<Throwable> outcome = receiveInBackground(transport);

        handle(transport).destroyForcibly();

        Throwable thrown = outcome.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(thrown).isInstanceOf(ProcessExitedException.class);
        assertThat(((ProcessExitedException) thrown).exitCode()).hasValue(128 + 9);
    }

    @Test
    void childThatClosesStdoutButLivesEndsTheTransport() throws Exception {
        StdioTransport transport = spawn(javaPeer("close-stdout"));

        ProcessExitedException ended = catchThrowableOfType(ProcessExitedException.class, transport::receive);

        assertThat(ended.exitCode()).isEmpty();
        assertThat(ended.getMessage()).contains(transport.describe(), "still running");
        assertThat(handle(transport).isAlive()).isTrue();
    }

    @Test
    void grandchildHoldingThePipeDoesNotDelayTheEnd() throws Exception {
        StdioTransport transport = spawn(javaPeer("grandchild"));
        Message announced = transport.receive();
        long grandchildPid = ((Notification) announced).params().get("pid").asLong();
        ProcessHandle grandchild = ProcessHandle.of(grandchildPid).orElseThrow();

        long start = System.nanoTime();
        ProcessExitedException exited = catchThrowableOfType(ProcessExitedException.class, transport::receive);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exited.exitCode()).hasValue(3);
        assertThat(took).isLessThan(PROMPT);
        assertThat(grandchild.isAlive()).as("the grandchild still holds the pipe").isTrue();

        transport.close();

        assertThat(ProcessTree.gone(grandchild)).as("orphaned grandchild killed by close").isTrue();
        // a killed orphan is a zombie until init reaps it, which some inits do only every few seconds
        Await.until(() -> ProcessHandle.of(grandchildPid).filter(ProcessHandle::isAlive).isEmpty(),
                Peers.PATIENCE, "orphaned grandchild reaped");
    }

    @Test
    void closeUnblocksAWaitingReceive() throws Exception {
        StdioTransport transport = spawn(ProcessSpec.of("cat"));
        ProcessHandle cat = handle(transport);
        CompletableFuture<Throwable> outcome = receiveInBackground(transport);

        transport.close();

        Throwable thrown = outcome.get(PROMPT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(thrown).isInstanceOf(EOFException.class).hasMessageContaining("closed");
        assertThat(cat.isAlive()).isFalse();
    }

    @Test
    void closeIsBoundedWhenTheChildIgnoresSigterm() throws Exception {
        Duration grace = Duration.ofMillis(100);
        StdioTransport transport = spawn(sh("trap '' TERM; exec sleep 600").withCloseGrace(grace));
        ProcessHandle child = handle(transport);
        Await.until(() -> child.info().command().orElse("").endsWith("sleep"), Peers.PATIENCE,
                "the trap is set and sleep runs");

        long start = System.nanoTime();
        transport.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(child.isAlive()).isFalse();
        assertThat(took).as("documented bound: grace + 5 s").isLessThan(grace.plusSeconds(6));
    }

    @Test
    void closeIsIdempotentAndConcurrentClosesAreFine() throws Exception {
        StdioTransport transport = spawn(ProcessSpec.of("cat"));
        int closers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < closers; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    transport.close();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }

        go.countDown();
        for (Thread thread : threads) {
            assertThat(thread.join(PATIENCE)).isTrue();
        }
        transport.close();

        assertThat(failures).isEmpty();
        assertThat(catchThrowable(transport::receive)).isInstanceOf(EOFException.class);
        assertThat(catchThrowable(() -> transport.send(request(1, "closed")))).isInstanceOf(EOFException.class)
                .cause().hasMessageContaining("closed");
    }

    @ParameterizedTest(name = "virtual senders: {0}")
    @ValueSource(booleans = {false, true})
    void concurrentSendersNeverInterleave(boolean virtual) throws Exception {
        StdioTransport transport = spawn(javaPeer("echo"));
        int senders = 8;
        int perSender = 40;
        String padding = "x".repeat(10_000); // longer than PIPE_BUF and than a BufferedOutputStream: many writes each
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            Runnable send = () -> {
                try {
                    go.await();
                    for (int i = 0; i < perSender; i++) {
                        long id = sender * 1000L + i;
                        transport.send(request(id, id + ":" + padding));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            };
            threads.add(virtual ? Thread.ofVirtual().start(send) : Thread.ofPlatform().start(send));
        }

        go.countDown();
        Map<RequestId, JsonNode> results = new HashMap<>();
        for (int n = 0; n < senders * perSender; n++) {
            Message message = transport.receive();
            assertThat(message).isInstanceOf(Response.Success.class);
            Response.Success success = (Response.Success) message;
            assertThat(results.put(success.id(), success.result())).as("one answer per id").isNull();
        }
        for (Thread thread : threads) {
            assertThat(thread.join(PATIENCE)).isTrue();
        }

        assertThat(failures).isEmpty();
        assertThat(results).hasSize(senders * perSender);
        results.forEach((id, result) -> assertThat(result.get("text").asText()).isEqualTo(id + ":" + padding));
    }

    @Test
    void stderrIsDrainedIntoABoundedTail() throws Exception {
        StdioTransport transport = spawn(javaPeer("stderr", "20000").withStderrTailBytes(1000));
        assertThat(transport.receive()).isEqualTo(new Notification("done", null)); // 300 KB of stderr did not block it
        transport.send(request(1, "still answering"));
        assertThat(transport.receive()).isInstanceOf(Response.Success.class);

        handle(transport).destroyForcibly();
        ProcessExitedException exited = catchThrowableOfType(ProcessExitedException.class, transport::receive);

        assertThat(exited.stderrTail()).hasSizeLessThanOrEqualTo(1000).endsWith("stderr line 20000\n")
                .doesNotContain("stderr line 1\n");
    }

    @Test
    void environmentAndDirectoryReachTheChild(@TempDir Path directory) throws Exception {
        StdioTransport transport = spawn(sh("printf '{\"jsonrpc\":\"2.0\",\"method\":\"%s\",\"params\":{\"dir\":\"%s\"}}\\n'"
                + " \"$WEFT_GREETING\" \"$(pwd -P)\"; exec cat >/dev/null")
                .withEnvironment("WEFT_GREETING", "hello")
                .withDirectory(directory));

        Notification notification = (Notification) transport.receive();

        assertThat(notification.method()).isEqualTo("hello");
        assertThat(notification.params().get("dir").asText()).isEqualTo(directory.toRealPath().toString());
    }

    @Test
    void framesSurviveCrLfAndBlankLines() throws Exception {
        StdioTransport transport = spawn(sh("printf '\\r\\n\\n{\"jsonrpc\":\"2.0\",\"method\":\"a\"}\\r\\n  \\n"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"b\"}'; exec cat >/dev/null"));

        assertThat(transport.receive()).isEqualTo(new Notification("a", null));
        assertThat(transport.receive()).isEqualTo(new Notification("b", null));
    }

    @Test
    void failedWriteToAChildThatClosedItsInputEndsTheTransport() throws Exception {
        StdioTransport transport = spawn(sh("exec 0<&-; exec sleep 600").withCloseGrace(Duration.ofMillis(50)));
        ProcessHandle child = handle(transport);
        Await.until(() -> child.info().command().orElse("").endsWith("sleep"), Peers.PATIENCE,
                "the child runs sleep");

        Throwable failed = catchThrowable(() -> transport.send(request(1, "nobody reads this")));
        Throwable later = catchThrowable(transport::receive);

        assertThat(failed).isInstanceOf(IOException.class).cause()
                .hasMessageContaining("writing to standard input failed");
        assertThat(later).hasCause(failed.getCause());
    }

    @Test
    void serverDirectionOverOurOwnStdioTalksToAClientAndEndsWithItsInput() throws Exception {
        Duration grace = Duration.ofSeconds(20);
        StdioTransport client = spawn(javaPeer("transport-echo").withCloseGrace(grace));

        client.send(request(1, "through both directions"));
        Message answer = client.receive();
        long start = System.nanoTime();
        client.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(successId(answer)).isEqualTo(RequestId.of(1));
        assertThat(took).as("the server exited on the end of its input, not on a signal after the grace")
                .isLessThan(grace);
    }

    @Test
    void spawnFailsWithTheCommandWhenTheProgramCannotRun() {
        assertThatThrownBy(() -> spawn(ProcessSpec.of("/nonexistent/weft-peer", "--flag")))
                .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/weft-peer --flag");
        assertThatThrownBy(() -> spawn(ProcessSpec.of("weft-no-such-program")))
                .isInstanceOf(IOException.class).hasMessageContaining("weft-no-such-program");
    }

    @Test
    void everyThreadIsNamedAndEndsAtClose() throws Exception {
        StdioTransport transport = spawn(ProcessSpec.of("cat"));
        List<Thread> threads = transport.threads();
        long aliveBeforeClose = threads.stream().filter(Thread::isAlive).count();

        transport.close();

        assertThat(aliveBeforeClose).isEqualTo(3);
        assertThat(threads).extracting(Thread::getName).allMatch(name -> name.startsWith("weft-stdio-"));
        assertThat(threads).noneMatch(Thread::isAlive);
    }
}
