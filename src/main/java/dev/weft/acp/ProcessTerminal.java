package dev.weft.acp;

import dev.weft.acp.ClientTerminals.ExitStatus;
import dev.weft.acp.ClientTerminals.TerminalOutput;
import dev.weft.internal.ProcessTree;
import dev.weft.internal.Uninterruptibles;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One terminal of {@link ProcessTerminals}: a child process, its output kept in a {@link TerminalOutputBuffer}, and
 * how it ended.
 *
 * <p><b>Threads</b>, each ending once the process and everything holding its output pipe are gone:
 * <ul>
 *   <li>{@code weft-terminal-<n>-output}, the pump: reads the merged standard output and error into the buffer until
 *       the end of the stream. A platform thread, as the stdio transport's pipe readers are: a read on a silent pipe
 *       holds its thread in a system call, which on a virtual thread holds a carrier too and starves the others when
 *       the scheduler cannot add one.</li>
 *   <li>{@code weft-terminal-<n>-exit}, the exit watcher, virtual: waits for the exit, then for the output the process
 *       wrote before it to be drained (below), then publishes the exit status.</li>
 * </ul>
 *
 * <p><b>Drained.</b> After the exit the watcher waits until the pump reaches the end of the stream (the usual case, at
 * once), or has been blocked in {@code read} for {@link #QUIET_NANOS} (something the command started still holds the
 * pipe, and the command wrote nothing more), or {@link #DRAIN_BUDGET_NANOS} have passed (that something keeps
 * writing). So an exit status, once reported, comes with all the output the command wrote before it exited. Output
 * written later by what the command left running is still kept, until the terminal is killed or released.
 *
 * <p><b>Exit status.</b> Java reports a process that a signal ended as exit code {@code 128 + n} ({@code 137} for
 * {@code SIGKILL}) and cannot tell it from a process that exited with that code. So the status says
 * {@code signal: "SIGKILL"} when {@link #kill} was asked while the process ran and it then ended with 137; in every
 * other case it reports the exit code as Java gives it (a command that a signal from elsewhere ended reports
 * {@code 128 + n}).
 *
 * <p><b>Killing</b> ends the whole tree: the process was started as the leader of a session of its own where
 * {@code setsid} is available ({@link ProcessTree}), and every process of that session is killed, orphans included;
 * elsewhere its descendants still attached to it.
 *
 * <p>Thread-safe. {@code lock} guards the buffer, {@code reading}, {@code readingSince}, {@code outputEnded},
 * {@code killRequested} and {@code exitStatus}; {@code changed} is signalled when the pump begins to read, when the
 * output ends and when the exit status is published. The pump writes the buffer, {@code reading},
 * {@code readingSince} and {@code outputEnded}; the watcher writes {@code exitStatus}, once; {@link #kill} writes
 * {@code killRequested}; any thread may read them.
 */
final class ProcessTerminal {
    private static final System.Logger LOG = System.getLogger(ProcessTerminals.class.getName());

    /** After the exit, a pump blocked this long in {@code read} has drained what the command wrote. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** After the exit, the longest wait for the output to be drained before the exit is reported anyway. */
    static final long DRAIN_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After {@code SIGKILL}, how long to wait for the processes to go, per round. */
    static final long KILL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How many times to look for processes in the command's session and kill them. */
    static final int KILL_ROUNDS = 3;
    /** After the kill, how long to wait for the threads to end. */
    static final long JOIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** What Java reports for a process that {@code SIGKILL} (9) ended: {@code 0x80 + 9}. */
    static final int SIGKILL_EXIT_CODE = 128 + 9;

    private final String id;
    private final String sessionId;
    private final String description;
    private final Process process;
    private final boolean sessionLeader;
    private final Thread pump;
    private final Thread watcher;
    /** Counted down by each thread as its last act: close waits on this, never on a platform thread's monitor. */
    private final CountDownLatch threadsDone = new CountDownLatch(2);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@code lock}; written by the pump. */
    private final TerminalOutputBuffer buffer;
    /** Whether the pump has begun reading; guarded by {@code lock}. */
    private boolean reading;
    /** When the pump last went (back) to {@code read}, by {@link System#nanoTime}; guarded by {@code lock}. */
    private long readingSince;
    /** Whether the pump has ended; guarded by {@code lock}. */
    private boolean outputEnded;
    /** Whether {@link #kill} was asked while the process ran; guarded by {@code lock}. */
    private boolean killRequested;
    /** {@code null -> status}, once, by the watcher; guarded by {@code lock}. */
    private ExitStatus exitStatus;

    /**
     * @param number the terminal's number, for its thread names
     */
    ProcessTerminal(String id, String sessionId, int number, String description, Process process,
            boolean sessionLeader, int outputByteLimit) {
        this.id = id;
        this.sessionId = sessionId;
        this.description = description;
        this.process = process;
        this.sessionLeader = sessionLeader;
        this.buffer = new TerminalOutputBuffer(outputByteLimit);
        this.pump = Thread.ofPlatform().daemon().name("weft-terminal-" + number + "-output")
                .unstarted(counted(this::pump));
        this.watcher = Thread.ofVirtual().name("weft-terminal-" + number + "-exit").unstarted(counted(this::watch));
    }

    /** Starts the threads; once, right after construction. */
    void start() {
        pump.start();
        watcher.start();
    }

    String id() {
        return id;
    }

    String sessionId() {
        return sessionId;
    }

    long pid() {
        return process.pid();
    }

    /** The output kept so far and, once the command has exited and its output is drained, how it ended. */
    TerminalOutput output() {
        lock.lock();
        try {
            return new TerminalOutput(buffer.text(outputEnded || exitStatus != null), buffer.truncated(),
                    exitStatus);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the command has exited and its output is drained.
     *
     * @throws InterruptedException if the calling thread is interrupted first; the terminal is unchanged
     */
    ExitStatus waitForExit() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (exitStatus == null) {
                changed.await();
            }
            return exitStatus;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Kills the command and everything in its session with {@code SIGKILL}, and waits (bounded, not interruptibly)
     * until they are gone and the exit status is published. A command that has already exited keeps its status; what
     * it left running is killed all the same. The output stays readable.
     */
    void kill() {
        lock.lock();
        try {
            if (exitStatus == null && process.isAlive()) {
                killRequested = true;
            }
        } finally {
            lock.unlock();
        }
        killTree();
        lock.lock();
        try {
            long left = DRAIN_BUDGET_NANOS + QUIET_NANOS + KILL_NANOS;
            boolean interrupted = false;
            while (exitStatus == null && left > 0) {
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true; // bounded: finish waiting, then restore
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Kills the tree (see {@link #kill}) and waits, bounded, for both threads to end. */
    void end() {
        kill();
        long deadline = System.nanoTime() + JOIN_NANOS;
        Uninterruptibles.awaitUninterruptibly(threadsDone, JOIN_NANOS);
        for (Thread thread : List.of(pump, watcher)) {
            // Their bodies have returned; the threads end a moment later. Poll: joining a platform thread waits on
            // its monitor, which would pin a virtual caller on JDK 21.
            while (thread.isAlive() && deadline - System.nanoTime() > 0) {
                Uninterruptibles.sleepUninterruptibly(50_000);
            }
            if (thread.isAlive()) {
                LOG.log(Level.WARNING, () -> description + ": thread " + thread.getName() + " still running after "
                        + "release: a process outside the command's session holds its output pipe");
            }
        }
    }

    private void killTree() {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add); // before anyone dies: orphans no longer descend from us
        // the handles' SIGKILL, never Process.destroyForcibly: that one also closes the output we still read
        List<ProcessHandle> left = ProcessTree.endAll(tree, process.pid(), sessionLeader, KILL_ROUNDS,
                processes -> ProcessTree.kill(processes, KILL_NANOS));
        if (!left.isEmpty()) {
            List<Long> pids = new ArrayList<>();
            left.forEach(p -> pids.add(p.pid()));
            LOG.log(Level.WARNING, () -> description + ": processes still alive after SIGKILL: " + pids);
        }
    }

    /** The pump: from the process's output to the buffer, until the end of the stream. */
    private void pump() {
        byte[] chunk = new byte[8 * 1024];
        try (InputStream in = process.getInputStream()) {
            markReading();
            while (true) {
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                lock.lock();
                try {
                    buffer.append(chunk, 0, n);
                    readingSince = System.nanoTime(); // back to read at once
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> description + ": reading the output failed: " + e);
        } finally {
            lock.lock();
            try {
                outputEnded = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void markReading() {
        lock.lock();
        try {
            reading = true;
            readingSince = System.nanoTime();
            changed.signalAll(); // the watcher may be waiting for this to count the quiet time
        } finally {
            lock.unlock();
        }
    }

    /** The exit watcher: waits for the exit, lets the output drain, publishes the status. */
    private void watch() {
        try {
            Uninterruptibles.getUninterruptibly(process.onExit()); // nobody interrupts this thread
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, () -> description + ": watching the process failed: " + e.getCause());
        }
        int code = process.exitValue();
        long exitedAt = System.nanoTime();
        lock.lock();
        try {
            boolean interrupted = false;
            long wait;
            while ((wait = drainWait(exitedAt)) > 0) {
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            exitStatus = killRequested && code == SIGKILL_EXIT_CODE ? new ExitStatus(null, "SIGKILL")
                    : new ExitStatus(code, null);
            changed.signalAll();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
        LOG.log(Level.DEBUG, () -> description + ": ended, " + exitStatus);
    }

    /** Under {@code lock}: 0 once the output is drained (see the class comment), else how long to wait at most. */
    private long drainWait(long exitedAt) {
        if (outputEnded) {
            return 0;
        }
        long now = System.nanoTime();
        long budgetLeft = exitedAt + DRAIN_BUDGET_NANOS - now;
        long quietFrom = readingSince - exitedAt > 0 ? readingSince : exitedAt; // the later, overflow-safe
        long quietLeft = reading ? quietFrom + QUIET_NANOS - now : Long.MAX_VALUE;
        return Math.max(0, Math.min(budgetLeft, quietLeft));
    }

    /** Counts {@code threadsDone} down as the thread's last act. */
    private Runnable counted(Runnable body) {
        return () -> {
            try {
                body.run();
            } finally {
                threadsDone.countDown();
            }
        };
    }

    @Override
    public String toString() {
        return description;
    }
}
