package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weft.acp.ClientTerminals.ExitStatus;
import dev.weft.acp.ClientTerminals.TerminalOutput;
import dev.weft.acp.ClientTerminals.TerminalRequest;
import dev.weft.internal.ProcessTree;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tagged {@code concurrency} so that it also runs with one carrier thread: the output pumps block in pipe reads, which
 * must not starve the virtual threads (the exit watchers, the waiters) when the scheduler cannot add a carrier.
 */
@Tag("concurrency")
class ProcessTerminalsTest {
    /** How long a condition may take before a test gives up: generous, to tell "never" from "late" on a busy box. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String A = "session-a";
    private static final String B = "session-b";

    @TempDir
    Path base;
    Path root;
    ProcessTerminals terminals;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectory(base.resolve("root"));
        terminals = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(root));
    }

    @AfterEach
    void close() {
        terminals.close();
    }

    private static TerminalRequest argv(String command, String... args) {
        return new TerminalRequest(command, List.of(args), Map.of(), null, null);
    }

    private static TerminalRequest sh(String script) {
        return argv("sh", "-c", script);
    }

    private static RpcErrorException rpcError(ThrowingCallable call, int code, String... words) {
        RpcErrorException error = catchThrowableOfType(RpcErrorException.class, call);
        assertThat(error).as("an RpcErrorException").isNotNull();
        assertThat(error.error().code()).isEqualTo(code);
        assertThat(error.error().message()).contains(words);
        return error;
    }

    /** Waits until the output of {@code id} has a first line, and returns that line. */
    private String firstLine(String session, String id) {
        AtomicReference<String> line = new AtomicReference<>();
        Await.until(() -> {
            String text = terminals.output(session, id).output();
            int end = text.indexOf('\n');
            if (end < 0) {
                return false;
            }
            line.set(text.substring(0, end));
            return true;
        }, PATIENCE, "a first line of output from " + id);
        return line.get();
    }

    /** Starts {@code waitForExit} on a thread of its own and returns once that thread waits. */
    private CompletableFuture<ExitStatus> waitingForExit(String session, String id) {
        CompletableFuture<ExitStatus> result = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().name("test-waiter").start(() -> {
            try {
                result.complete(terminals.waitForExit(session, id));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        Await.until(() -> waiter.getState() == Thread.State.WAITING || result.isDone(), PATIENCE,
                "waitForExit to block");
        return result;
    }

    private static void awaitGone(ProcessHandle process, String what) {
        Await.until(() -> ProcessTree.gone(process), PATIENCE, what + " (pid " + process.pid() + ") to be gone");
    }

    @Test
    void commandRunsAsArgvAndReportsItsOutputAndExitCode() throws Exception {
        String id = terminals.create(A, sh("echo hi; exit 7"));

        ExitStatus status = terminals.waitForExit(A, id);

        assertThat(id).startsWith("term-");
        assertThat(status).isEqualTo(new ExitStatus(7, null));
        assertThat(terminals.output(A, id)).isEqualTo(new TerminalOutput("hi\n", false, status));
    }

    @Test
    void outputHasNoExitStatusWhileTheCommandRuns() throws Exception {
        String id = terminals.create(A, sh("echo started; exec sleep 100"));

        assertThat(firstLine(A, id)).isEqualTo("started");
        assertThat(terminals.output(A, id).exitStatus()).isNull();
    }

    @Test
    void commandLineIsNotSplitWithoutTheShell() {
        IOException failure = catchThrowableOfType(IOException.class,
                () -> terminals.create(A, argv("echo hi there")));

        assertThat(failure).hasMessageContaining("cannot start [\"echo hi there\"] in " + root)
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void commandLineRunsThroughTheShellWhenAllowedAndArgsStillRunAsArgv() throws Exception {
        try (ProcessTerminals shell = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(root)
                .withAllowShell(true))) {
            String line = shell.create(A, argv("echo hi there | tr a-z A-Z"));
            String args = shell.create(A, argv("echo", "$HOME | tr"));

            assertThat(shell.waitForExit(A, line)).isEqualTo(new ExitStatus(0, null));
            assertThat(shell.output(A, line).output()).isEqualTo("HI THERE\n");
            assertThat(shell.waitForExit(A, args)).isEqualTo(new ExitStatus(0, null));
            assertThat(shell.output(A, args).output()).isEqualTo("$HOME | tr\n");
        }
    }

    @Test
    void outputKeepsTheLastBytesCutAtACharacterBoundary() throws Exception {
        // four euro signs, three bytes each; the last 7 bytes start inside the second one
        String id = terminals.create(A, new TerminalRequest("sh", List.of("-c",
                "printf '\\342\\202\\254\\342\\202\\254\\342\\202\\254\\342\\202\\254'"), Map.of(), null, 7L));

        terminals.waitForExit(A, id);

        assertThat(terminals.output(A, id)).isEqualTo(new TerminalOutput("€€", true, new ExitStatus(0, null)));
    }

    @Test
    void requestWithoutALimitGetsTheDefault() throws Exception {
        try (ProcessTerminals small = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(root)
                .withOutputByteLimit(4))) {
            String id = small.create(A, sh("printf abcdef"));

            small.waitForExit(A, id);

            assertThat(small.output(A, id).output()).isEqualTo("cdef");
            assertThat(small.output(A, id).truncated()).isTrue();
        }
    }

    @Test
    void everythingWrittenBeforeTheExitIsThereWhenTheWaitReturns() throws Exception {
        String id = terminals.create(A, sh("i=0; while [ $i -lt 20000 ]; do i=$((i+1)); echo line $i; done"));

        terminals.waitForExit(A, id);

        assertThat(terminals.output(A, id).output()).startsWith("line 1\n").endsWith("line 20000\n");
    }

    @Test
    void exitIsReportedWhileABackgroundProcessStillHoldsTheOutput() throws Exception {
        String id = terminals.create(A, sh("echo before; sleep 100 & exit 3"));

        assertThat(terminals.waitForExit(A, id)).isEqualTo(new ExitStatus(3, null));
        assertThat(terminals.output(A, id).output()).isEqualTo("before\n");
    }

    @Test
    void waitForExitOfALongCommandReturnsWithTheSignalAfterKill() throws Exception {
        String id = terminals.create(A, argv("sleep", "100"));
        CompletableFuture<ExitStatus> waiting = waitingForExit(A, id);

        terminals.kill(A, id);

        assertThat(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(new ExitStatus(null, "SIGKILL"));
    }

    @Test
    void killLeavesTheOutputAndExitStatusReadable() throws Exception {
        String id = terminals.create(A, sh("echo started; exec sleep 100"));
        firstLine(A, id);

        terminals.kill(A, id);

        ExitStatus killed = new ExitStatus(null, "SIGKILL");
        assertThat(terminals.output(A, id)).isEqualTo(new TerminalOutput("started\n", false, killed));
        assertThat(terminals.waitForExit(A, id)).isEqualTo(killed);
        terminals.kill(A, id); // again: nothing changes
        assertThat(terminals.output(A, id).exitStatus()).isEqualTo(killed);
    }

    @Test
    void killAfterTheExitKeepsTheExitCode() throws Exception {
        String id = terminals.create(A, sh("exit 3"));
        terminals.waitForExit(A, id);

        terminals.kill(A, id);

        assertThat(terminals.output(A, id).exitStatus()).isEqualTo(new ExitStatus(3, null));
    }

    @Test
    void releaseMakesTheIdUnknown() throws Exception {
        String id = terminals.create(A, argv("sleep", "100"));

        terminals.release(A, id);

        rpcError(() -> terminals.output(A, id), -32002, "Resource not found", id);
        rpcError(() -> terminals.waitForExit(A, id), -32002, id);
        rpcError(() -> terminals.kill(A, id), -32002, id);
        rpcError(() -> terminals.release(A, id), -32002, id);
    }

    @Test
    void anotherSessionsTerminalIsUnknown() throws Exception {
        String id = terminals.create(A, argv("sleep", "100"));

        rpcError(() -> terminals.output(B, id), -32002, id, B);
        rpcError(() -> terminals.waitForExit(B, id), -32002, id);
        rpcError(() -> terminals.kill(B, id), -32002, id);
        rpcError(() -> terminals.release(B, id), -32002, id);
        terminals.releaseAll(B);

        assertThat(terminals.output(A, id).exitStatus()).as("untouched").isNull();
    }

    @Test
    void releaseKillsTheCommandAndWhatItStarted() throws Exception {
        String id = terminals.create(A, sh("sleep 100 & echo $!; wait"));
        ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(firstLine(A, id))).orElseThrow();

        terminals.release(A, id);

        awaitGone(grandchild, "the background sleep");
    }

    @Test
    void releaseKillsAnOrphanTheCommandLeftRunning() throws Exception {
        String id = terminals.create(A, sh("sleep 100 & echo $!"));
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(firstLine(A, id))).orElseThrow();
        assertThat(terminals.waitForExit(A, id)).isEqualTo(new ExitStatus(0, null));
        assertThat(orphan.isAlive()).as("the orphan outlives its parent").isTrue();

        terminals.release(A, id);

        awaitGone(orphan, "the orphaned sleep");
    }

    @Test
    void releaseAllKillsTheSessionsTerminalsAndTheirChildrenOnly() throws Exception {
        String first = terminals.create(A, sh("sleep 100 & echo $!; wait"));
        String second = terminals.create(A, sh("sleep 100 & echo $!; wait"));
        String other = terminals.create(B, argv("sleep", "100"));
        ProcessHandle firstGrandchild = ProcessHandle.of(Long.parseLong(firstLine(A, first))).orElseThrow();
        ProcessHandle secondGrandchild = ProcessHandle.of(Long.parseLong(firstLine(A, second))).orElseThrow();

        terminals.releaseAll(A);

        awaitGone(firstGrandchild, "the first background sleep");
        awaitGone(secondGrandchild, "the second background sleep");
        rpcError(() -> terminals.output(A, first), -32002, first);
        rpcError(() -> terminals.output(A, second), -32002, second);
        assertThat(terminals.output(B, other).exitStatus()).as("session B's terminal still runs").isNull();
    }

    @Test
    void closeKillsEverythingAndRefusesNewTerminals() throws Exception {
        String id = terminals.create(A, sh("sleep 100 & echo $!; wait"));
        ProcessHandle grandchild = ProcessHandle.of(Long.parseLong(firstLine(A, id))).orElseThrow();
        CompletableFuture<ExitStatus> waiting = waitingForExit(A, id);

        terminals.close();
        terminals.close(); // idempotent

        awaitGone(grandchild, "the background sleep");
        assertThat(waiting.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(new ExitStatus(null, "SIGKILL"));
        rpcError(() -> terminals.output(A, id), -32002, id);
        assertThatThrownBy(() -> terminals.create(A, argv("true"))).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void interruptedWaitForExitThrowsAndLeavesTheTerminalRunning() throws Exception {
        String id = terminals.create(A, argv("sleep", "100"));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().name("test-waiter").start(() -> {
            try {
                terminals.waitForExit(A, id);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        Await.until(() -> waiter.getState() == Thread.State.WAITING, PATIENCE, "waitForExit to block");

        waiter.interrupt();

        assertThat(waiter.join(PATIENCE)).as("the waiter returned").isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(terminals.output(A, id).exitStatus()).isNull();
    }

    @Test
    void cwdMustBeADirectoryInsideTheRoot() throws IOException {
        Path outside = Files.createDirectory(base.resolve("outside"));
        Path inside = Files.createDirectory(root.resolve("inside"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.writeString(root.resolve("file"), "");

        rpcError(() -> terminals.create(A, inCwd(outside.toString())), RpcError.INVALID_PARAMS,
                "cwd " + outside + " is outside the root " + root);
        rpcError(() -> terminals.create(A, inCwd(inside + "/../inside")), RpcError.INVALID_PARAMS, "'..'");
        rpcError(() -> terminals.create(A, inCwd(root + "/out")), RpcError.INVALID_PARAMS,
                "leads outside the root");
        rpcError(() -> terminals.create(A, inCwd("inside")), RpcError.INVALID_PARAMS, "is not absolute");
        rpcError(() -> terminals.create(A, inCwd(root + "/missing")), RpcError.INVALID_PARAMS, "does not exist");
        rpcError(() -> terminals.create(A, inCwd(root + "/file")), RpcError.INVALID_PARAMS, "is not a directory");
    }

    private static TerminalRequest inCwd(String cwd) {
        return new TerminalRequest("pwd", List.of(), Map.of(), cwd, null);
    }

    @Test
    void commandRunsInItsCwdOrTheRoot() throws Exception {
        Path inside = Files.createDirectory(root.resolve("inside"));
        String there = terminals.create(A, inCwd(inside.toString()));
        String byDefault = terminals.create(A, argv("pwd"));

        terminals.waitForExit(A, there);
        terminals.waitForExit(A, byDefault);

        assertThat(terminals.output(A, there).output()).isEqualTo(inside.toRealPath() + "\n");
        assertThat(terminals.output(A, byDefault).output()).isEqualTo(root.toRealPath() + "\n");
    }

    @Test
    void envIsLaidOverTheHostsEnvironment() throws Exception {
        String id = terminals.create(A, new TerminalRequest("sh", List.of("-c",
                "printf '%s|%s' \"$WEFT_TERMINAL_TEST\" \"$PATH\""), Map.of("WEFT_TERMINAL_TEST", "laid over"), null,
                null));

        terminals.waitForExit(A, id);

        assertThat(terminals.output(A, id).output()).isEqualTo("laid over|" + System.getenv("PATH"));
    }

    @Test
    void terminalsBeyondTheMostAllowedAreRefusedUntilOneIsReleased() throws Exception {
        try (ProcessTerminals one = ProcessTerminals.open(ProcessTerminals.Options.defaults().withRoot(root)
                .withMaxTerminals(1))) {
            String first = one.create(A, argv("sleep", "100"));

            assertThatThrownBy(() -> one.create(B, argv("true"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("1 terminals exist, the most this client allows");

            one.release(A, first);
            String second = one.create(B, argv("true"));
            assertThat(one.waitForExit(B, second)).isEqualTo(new ExitStatus(0, null));
        }
    }

    @Test
    void emptyCommandAndHugeLimitAreRefused() {
        rpcError(() -> terminals.create(A, argv("")), RpcError.INVALID_PARAMS, "command is empty");
        rpcError(() -> terminals.create(A, new TerminalRequest("true", List.of(), Map.of(), null,
                Long.MAX_VALUE)), RpcError.INVALID_PARAMS, "outputByteLimit");
    }
}
