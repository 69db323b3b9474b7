package dev.weft.transport;

import dev.weft.internal.ProcessTree;
import dev.weft.internal.Uninterruptibles;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The process side of a spawned {@link StdioTransport}: runs the child's three threads, turns its exit or the end of its
 * output into the transport's terminal error, and takes its whole tree down at close.
 *
 * <p><b>Threads</b>, each named after the child's pid and each ending once the child and everything holding its pipes
 * are gone:
 * <ul>
 *   <li>{@code weft-stdio-out-<pid>}: the {@link Pump}, from the child's standard output to the inbox;</li>
 *   <li>{@code weft-stdio-err-<pid>}: the {@link StderrTail} drain;</li>
 *   <li>{@code weft-stdio-exit-<pid>}: the exit watcher, virtual. It waits for the exit, then for both pipes to
 *       {@linkplain PipeActivity#awaitSettled settle}, then ends the inbox with a {@link ProcessExitedException}.</li>
 * </ul>
 * The two pipe readers are platform threads, on purpose: reading a pipe is a blocking system call that holds the
 * carrier of a virtual thread for as long as the pipe is silent, which starves every other virtual thread when the
 * scheduler cannot add a carrier (one carrier, {@code jdk.virtualThreadScheduler.maxPoolSize=1}).
 *
 * <p><b>The drain window.</b> Frames the child wrote before it exited are delivered before its terminal error. After
 * the exit, the end waits until each pipe reader reaches end of stream (the usual case, at once), or has been blocked
 * in {@code read} for {@link #QUIET_NANOS} (a grandchild holds the pipe open; the dead child writes nothing more), or
 * has spent {@link #DRAIN_BUDGET_NANOS} of its own time reading (a grandchild that keeps writing); time the pump spends
 * waiting for the receiver to take frames does not count. What a grandchild writes after that is dropped.
 *
 * <p>Fields are final and set before the threads start; the state they reach is guarded by the inbox, the activities
 * and the tail. {@link #shutdown} runs on the thread that closes the transport, once.
 */
final class ChildProcess {
    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());
    /** How many of the last lines of a child's standard error a log of its crash shows. */
    private static final int STDERR_LOG_LINES = 10;

    /** After the exit, a pipe reader blocked this long in {@code read} has drained what the child wrote. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** After the exit, the most reading time a pipe reader gets before the end is reported anyway. */
    static final long DRAIN_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After the end of standard output, how long to wait for the exit before asking whether the child is exiting. */
    static final long EOF_EXIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How long to wait for the exit of a child that {@code /proc} says is exiting, or that cannot be asked. */
    static final long EXITING_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long UNKNOWN_EXITING_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** At close: how long after {@code SIGTERM}, and after {@code SIGKILL}, to wait for processes to go. */
    static final long TERM_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long KILL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** At close: how many times to look for the child's session and end what is in it. */
    static final int SESSION_ROUNDS = 3;
    /** At close: how long to wait for our threads once every process is gone. */
    static final long JOIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProcessSpec spec;
    private final Process process;
    private final boolean sessionLeader;
    private final String description;
    private final BoundedInbox<Object> inbox;
    private final CompletableFuture<Process> exit;
    private final StderrTail stderr;
    private final PipeActivity stdoutActivity = new PipeActivity();
    private final PipeActivity stderrActivity = new PipeActivity();
    private final List<Thread> threads;
    // Counted down by each of the three threads as it ends. Close awaits this rather than Thread.join: joining a
    // platform thread waits on its monitor, which pins a virtual caller on JDK 21 (the one-carrier run caught it).
    private final java.util.concurrent.CountDownLatch threadsDone = new java.util.concurrent.CountDownLatch(3);

    ChildProcess(ProcessSpec spec, Process process, boolean sessionLeader, String description, BoundedInbox<Object> inbox) {
        this.spec = spec;
        this.process = process;
        this.sessionLeader = sessionLeader;
        this.description = description;
        this.inbox = inbox;
        this.exit = process.onExit();
        this.stderr = new StderrTail(spec.stderrTailBytes(), description, LOG);
        long pid = process.pid();
        Pump pump = new Pump(process.getInputStream(), spec.codec(), inbox, stdoutActivity, true,
                this::outputEnded, description);
        this.threads = List.of(
                Thread.ofPlatform().daemon().name("weft-stdio-out-" + pid).unstarted(counted(pump)),
                Thread.ofPlatform().daemon().name("weft-stdio-err-" + pid)
                        .unstarted(counted(() -> stderr.drain(process.getErrorStream(), stderrActivity))),
                Thread.ofVirtual().name("weft-stdio-exit-" + pid).unstarted(counted(this::watchExit)));
    }

    /** Counts {@code threadsDone} down as the thread's last act, so close can wait without joining a platform thread. */
    private Runnable counted(Runnable body) {
        return () -> {
            try {
                body.run();
            } finally {
                threadsDone.countDown();
            }
        };
    }

    /** Starts the threads; called once, after the transport is built. */
    void start() {
        threads.forEach(Thread::start);
    }

    long pid() {
        return process.pid();
    }

    /** The threads this child runs, for tests. */
    List<Thread> threads() {
        return threads;
    }

    /** The exit watcher: waits for the exit, lets the pipes settle, and ends the transport with the exit. */
    private void watchExit() {
        try {
            Uninterruptibles.getUninterruptibly(exit); // nobody interrupts this thread; keep watching all the same
        } catch (ExecutionException e) {
            inbox.end(new IOException(description + ": watching the process failed", e.getCause()), false);
            return; // onExit does not fail; if it ever did, say so rather than guess an exit
        }
        long exitedAt = System.nanoTime();
        try {
            stdoutActivity.awaitSettled(exitedAt, QUIET_NANOS, DRAIN_BUDGET_NANOS);
            stderrActivity.awaitSettled(exitedAt, QUIET_NANOS, DRAIN_BUDGET_NANOS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop settling; the exit is reported all the same
        }
        int code = process.exitValue();
        ProcessExitedException exited = ProcessExitedException.exited(description, process.pid(), code, spec.argv(),
                stderr.snapshot());
        if (inbox.end(exited, false)) { // not our close: the process went away by itself
            logUnexpectedEnd(exited, code == 0 ? Level.INFO : Level.WARNING);
        }
    }

    /**
     * Says that the child ended the transport by itself (our own close is not news): a crash at {@code WARNING}, with
     * the tail of its standard error, which is where a crashing program says why; a clean exit or a closed output at
     * {@code INFO}.
     */
    private void logUnexpectedEnd(ProcessExitedException end, Level level) {
        LOG.log(level, () -> {
            List<String> lines = end.stderrTail().strip().lines().toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - STDERR_LOG_LINES), lines.size());
            return end.getMessage() + (tail.isEmpty() ? " (nothing on its standard error)"
                    : "; its standard error ends:\n  " + String.join("\n  ", tail));
        });
    }

    /**
     * Runs on the pump thread at the end of standard output: if the child is exiting, the watcher will report its exit;
     * otherwise it closed its output while running, which ends the transport too.
     */
    private void outputEnded() {
        if (awaitExit(EOF_EXIT_NANOS)) {
            return;
        }
        Optional<Boolean> exiting = ProcessTree.exiting(process.pid());
        if (exiting.orElse(true) && awaitExit(exiting.isPresent() ? EXITING_NANOS : UNKNOWN_EXITING_NANOS)) {
            return;
        }
        ProcessExitedException closedOutput = ProcessExitedException.stillRunning(description, process.pid(),
                spec.argv(), stderr.snapshot());
        if (inbox.end(closedOutput, false)) {
            logUnexpectedEnd(closedOutput, Level.WARNING);
        }
    }

    /**
     * The terminal error to report after a write to the child's standard input failed. A write fails when the child
     * has closed its input, usually because it is exiting: then its exit is the error, once the watcher has reported
     * it. Otherwise the failed write ends the transport.
     */
    IOException writeFailed(IOException cause) {
        boolean exiting = awaitExit(EOF_EXIT_NANOS) || ProcessTree.exiting(process.pid()).orElse(false);
        if (exiting) {
            try {
                inbox.awaitEnd(EXITING_NANOS + DRAIN_BUDGET_NANOS + QUIET_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbox.end(new IOException(description + ": writing to standard input failed: " + cause.getMessage(), cause),
                false);
        return inbox.endedError();
    }

    /**
     * Takes the child and its whole tree down, bounded in time: after {@code closeStdin} runs, waits up to the grace
     * period for the child to exit, then {@code SIGTERM}, then {@code SIGKILL}; then ends every process left that it
     * started (the descendants seen before the child died, and its session), then joins the threads. Returns after at
     * most the grace period plus five seconds (1 s for the child, 3 s for what it left, 1 s for the threads); usually
     * as soon as the child has exited on the end of its input.
     */
    void shutdown(Runnable closeStdin) {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        process.descendants().forEach(tree::add); // before anyone dies: orphans no longer descend from us
        closeStdin.run();
        if (!awaitExit(saturatedNanos(spec.closeGrace()))) {
            process.descendants().forEach(tree::add);
            LOG.log(Level.DEBUG, () -> description + ": still running after " + spec.closeGrace() + ", SIGTERM");
            if (!process.supportsNormalTermination() || !process.toHandle().destroy()) {
                process.toHandle().destroyForcibly();
            }
            if (!awaitExit(TERM_NANOS)) {
                process.descendants().forEach(tree::add);
                LOG.log(Level.DEBUG, () -> description + ": still running after SIGTERM, SIGKILL");
                process.toHandle().destroyForcibly(); // the handle's, not the Process's: that one closes our streams
                awaitExit(KILL_NANOS);
            }
        }
        List<ProcessHandle> stuck = ProcessTree.endAll(tree, process.pid(), sessionLeader, SESSION_ROUNDS,
                processes -> ProcessTree.terminate(processes, TERM_NANOS, KILL_NANOS));
        if (!stuck.isEmpty() || process.isAlive()) {
            List<ProcessHandle> left = stuck;
            LOG.log(Level.WARNING, () -> description + ": processes still alive after close: "
                    + (process.isAlive() ? process.pid() + " " : "") + left.stream().map(ProcessHandle::pid).toList());
        }
        joinThreads();
    }

    /**
     * Waits up to {@code nanos} for the child to exit; {@code true} if it has. An interrupt does not cut the wait short
     * (every wait here is bounded); the flag is restored before returning.
     */
    private boolean awaitExit(long nanos) {
        try {
            Uninterruptibles.getUninterruptibly(exit, nanos);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private void joinThreads() {
        long deadline = System.nanoTime() + JOIN_NANOS;
        Uninterruptibles.awaitUninterruptibly(threadsDone, JOIN_NANOS); // bounded: an interrupt does not cut it short
        for (Thread thread : threads) {
            // Their bodies have returned; the threads themselves end a moment later. Poll, never join (see above).
            while (thread.isAlive() && deadline - System.nanoTime() > 0) {
                Uninterruptibles.sleepUninterruptibly(50_000);
            }
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, () -> description + ": thread " + thread.getName()
                        + " still running after close: something outside the process tree holds its pipe");
            }
        }
    }

}
