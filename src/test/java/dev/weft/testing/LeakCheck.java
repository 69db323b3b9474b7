package dev.weft.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Finds threads named {@value #THREAD_PREFIX}{@code *} (platform and virtual) and child processes of this JVM that
 * outlive the code that started them.
 *
 * <p>Usage: take a {@link #baseline()} before the code under test runs, then {@link #verify} after it. What was
 * alive at the baseline is never blamed; neither is anything an earlier verification already reported (it stays
 * quarantined, so one leak fails one test, not every test after it).
 *
 * <p>Guarantees of {@link #verify}: it returns only when every new weft thread and every new descendant process is
 * gone; it waits for that up to the deadline, re-checking after short parks (1 ms doubling to 50 ms), never a fixed
 * sleep; on failure it names each leaked thread with its stack and each leaked process with pid and command line,
 * destroys those processes forcibly (waiting up to 5 s for them to exit) so the next test starts clean, and throws
 * {@link LeakError}. A thread cannot be destroyed: it is quarantined and reported once.
 *
 * <p>Cost when nothing leaks (JDK 25, 2 cores, measured): about 1.1-1.3 ms per {@link #verify}, that is one JSON
 * thread dump (about 0.4 ms; not parsed when no name in it starts with {@code weft-}, the fast path) and one scan of
 * the process table ({@link ProcessHandle#descendants()}, about 0.6 ms with 90 processes on the machine). There is no
 * sound cheaper fast path for virtual threads: no public API counts or lists them except a thread dump.
 *
 * <p>Only names tell weft threads apart: a thread the library names otherwise (a scope opened with a custom name)
 * is invisible here. Processes re-parented away from this JVM (a grandchild whose parent exited) are invisible too.
 *
 * <p>Threads named {@value #SHARED_PREFIX}{@code *} are never counted. They belong to runtime-wide resources that the
 * library starts once, on first use, and keeps for the life of the JVM on purpose: the HTTP client that every
 * Streamable HTTP transport shares (its selector, its idle pool threads and its scheduler). They are not per session,
 * so their number does not grow with the sessions opened, and the test that first opens a transport did not leak
 * them. Anything else the library starts must be named {@value #THREAD_PREFIX}{@code *} and must end.
 */
public final class LeakCheck {
    /** The prefix of every thread the library starts. */
    public static final String THREAD_PREFIX = "weft-";
    /** The prefix of the runtime-wide threads that live as long as the JVM: never counted as leaks. */
    public static final String SHARED_PREFIX = "weft-shared-";

    private static final Set<Long> QUARANTINED_THREADS = ConcurrentHashMap.newKeySet();
    private static final Set<ProcessHandle> QUARANTINED_PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Duration DESTROY_WAIT = Duration.ofSeconds(5);

    private LeakCheck() {}

    /** What was alive at one moment; immutable. */
    public record Baseline(Set<Long> threadIds, Set<ProcessHandle> processes) {}

    /** The weft threads and descendant processes alive now. */
    public static Baseline baseline() {
        ThreadDumps.requireAllThreadsTracked();
        Set<Long> threads = ThreadDumps.threadsNamed(THREAD_PREFIX).stream()
                .filter(entry -> !entry.name().startsWith(SHARED_PREFIX))
                .map(ThreadDumps.ThreadEntry::tid).collect(Collectors.toUnmodifiableSet());
        Set<ProcessHandle> processes = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .collect(Collectors.toUnmodifiableSet());
        return new Baseline(threads, processes);
    }

    /**
     * Waits until no weft thread or descendant process exists beyond {@code baseline}, then returns.
     *
     * @param baseline what may stay alive
     * @param deadline how long leftovers may take to end
     * @param subject  what ran, for the message ({@code "dev.weft.x.FooTest.bar()"})
     * @throws LeakError if something is still alive at the deadline; leaked processes have been destroyed by then
     */
    public static void verify(Baseline baseline, Duration deadline, String subject) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        List<ThreadDumps.ThreadEntry> threads;
        List<ProcessHandle> processes;
        while (true) {
            threads = leakedThreads(baseline);
            processes = leakedProcesses(baseline);
            if (threads.isEmpty() && processes.isEmpty()) {
                return;
            }
            long remaining = end - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            LockSupport.parkNanos(Math.min(pause, remaining));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw report(subject, deadline, threads, processes);
    }

    private static List<ThreadDumps.ThreadEntry> leakedThreads(Baseline baseline) {
        List<ThreadDumps.ThreadEntry> leaked = new ArrayList<>();
        for (ThreadDumps.ThreadEntry entry : ThreadDumps.threadsNamed(THREAD_PREFIX)) {
            if (!entry.name().startsWith(SHARED_PREFIX) && !baseline.threadIds().contains(entry.tid())
                    && !QUARANTINED_THREADS.contains(entry.tid())) {
                leaked.add(entry);
            }
        }
        return leaked;
    }

    private static List<ProcessHandle> leakedProcesses(Baseline baseline) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && !baseline.processes().contains(p) && !QUARANTINED_PROCESSES.contains(p))
                .sorted(Comparator.comparingLong(ProcessHandle::pid))
                .toList();
    }

    private static LeakError report(String subject, Duration deadline, List<ThreadDumps.ThreadEntry> threads,
            List<ProcessHandle> processes) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder("Leak after ").append(subject).append(": still alive ")
                .append(deadline.toMillis()).append(" ms after it ended");
        if (!threads.isEmpty()) {
            sb.append(nl).append(threads.size()).append(" thread(s) named ").append(THREAD_PREFIX).append("*:");
            for (ThreadDumps.ThreadEntry thread : threads) {
                QUARANTINED_THREADS.add(thread.tid());
                sb.append(nl).append("  ").append(thread.describe().replace(nl, nl + "  "));
            }
        }
        if (!processes.isEmpty()) {
            sb.append(nl).append(processes.size()).append(" child process(es), destroyed forcibly:");
            for (ProcessHandle process : processes) {
                sb.append(nl).append("  pid ").append(process.pid()).append(": ").append(commandOf(process));
            }
            for (String survivor : destroy(processes)) {
                sb.append(nl).append("  ").append(survivor);
            }
        }
        return new LeakError(sb.toString());
    }

    private static String commandOf(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine().or(info::command).orElse("<command unknown>");
    }

    /** Destroys {@code processes} forcibly and waits for them; returns a line for each one that survived. */
    private static List<String> destroy(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
        long end = System.nanoTime() + DESTROY_WAIT.toNanos();
        List<String> survivors = new ArrayList<>();
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                survivors.add("interrupted while waiting for pid " + process.pid() + " to exit");
                QUARANTINED_PROCESSES.add(process);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                survivors.add("pid " + process.pid() + " survived destroyForcibly for " + DESTROY_WAIT.toSeconds()
                        + " s; quarantined");
                QUARANTINED_PROCESSES.add(process);
            }
        }
        return survivors;
    }
}
