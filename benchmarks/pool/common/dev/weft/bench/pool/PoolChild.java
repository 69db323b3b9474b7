package dev.weft.bench.pool;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The host side of the session-pool benchmark: one JVM per repetition, started by the driver
 * ({@code dev.weft.bench.PoolBench}) with Weft's side or the SDK's. Results go to standard output as lines starting with
 * {@value #TAG}, which the driver parses; anything else the JVM prints is kept in a log.
 *
 * <p>Arguments: {@code <callers> <capSeconds> -- <server argv...>}. One repetition:
 * <ol>
 *   <li>{@code callers} threads (platform or virtual, as the side says) are started and wait on one latch; once every
 *       one of them is parked there, the JVM's threads, memory and child processes are taken (<em>before</em>).</li>
 *   <li>The start: {@link System#nanoTime()}, then {@link PoolSide#start} on the main thread, then the latch is
 *       opened. Each caller runs {@link PoolSide#ready}, which ends when its first {@code echo} has been answered; its
 *       <em>ready time</em> is from the start to that answer. A caller that fails is counted with the kind of its
 *       failure. Callers not done {@code capSeconds} after the start are dumped (to the directory named by the system
 *       property {@code weft.bench.pool.dumps}, when set), interrupted and counted as unfinished.</li>
 *   <li>As soon as every caller is done (all ready, unless some failed), with every conversation or client still
 *       open: the JVM's live platform threads ({@link ThreadMXBean#getThreadCount()}, and the peak since the JVM
 *       started), its OS threads (the entries of {@code /proc/self/task}), its RSS and PSS ({@code VmRSS} from
 *       {@code /proc/self/status}, {@code Pss} from {@code /proc/self/smaps_rollup}) and CPU time (utime + stime in
 *       clock ticks, {@code /proc/self/stat}); and for every descendant process ({@link ProcessHandle#descendants()}),
 *       the same but for the MXBean figures: {@code Threads} from its {@code status}; and the names of the JVM's
 *       platform threads, counted.</li>
 *   <li>The callers are released, each closes what it made ({@link PoolSide#close}), then the main thread calls
 *       {@link PoolSide#finish}; the time from the release until the JVM has no descendant process left is the
 *       <em>close</em> time. A descendant still alive 30 s after the release is reported as left over, then
 *       killed.</li>
 * </ol>
 */
public final class PoolChild {
    /** Every result line starts with this. */
    public static final String TAG = "@bench";
    /** The echo message of every call, checked on every answer. */
    public static final String MESSAGE = "the quick brown fox jumps over the lazy dog";

    private static final long PARK_CAP_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long GONE_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long JOIN_CAP_MILLIS = 60_000;

    private PoolChild() {
    }

    /** Checks the text of an {@code echo} answer. */
    public static void check(String text) {
        if (!MESSAGE.equals(text)) {
            throw new IllegalStateException("wrong echo: " + text);
        }
    }

    /** Runs one repetition, as the class comment says, and exits. */
    public static void run(String[] args, PoolSide side) {
        int status = 0;
        try {
            int dash = Arrays.asList(args).indexOf("--");
            if (dash != 2 || args.length < 4) {
                throw new IllegalArgumentException("usage: <callers> <capSeconds> -- <server argv...>: "
                        + Arrays.toString(args));
            }
            repetition(side, Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                    List.of(Arrays.copyOfRange(args, dash + 1, args.length)));
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // The SDK leaves non-daemon threads behind (its schedulers), which would keep the JVM alive.
        System.exit(status);
    }

    private static void repetition(PoolSide side, int callers, int capSeconds, List<String> server) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(callers); // ready or failed
        CountDownLatch release = new CountDownLatch(1);
        long[] readyAt = new long[callers];
        Throwable[] failures = new Throwable[callers];
        Throwable[] closeFailures = new Throwable[callers];
        Thread.Builder builder = side.platformCallers() ? Thread.ofPlatform().name("bench-caller-", 0)
                : Thread.ofVirtual().name("bench-caller-", 0);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int i = c;
            threads.add(builder.start(() -> {
                try {
                    go.await();
                    readyAt[i] = side.ready(i);
                } catch (Throwable e) {
                    failures[i] = e;
                } finally {
                    done.countDown();
                }
                awaitUninterruptibly(release);
                try {
                    side.close(i);
                } catch (Throwable e) {
                    closeFailures[i] = e;
                }
            }));
        }
        awaitParked(threads);
        emit("measure when=before " + measure());

        long start = System.nanoTime();
        side.start(server, callers);
        go.countDown();
        boolean all = done.await(capSeconds, TimeUnit.SECONDS);
        long allDone = System.nanoTime();
        int unfinished = 0;
        if (!all) {
            unfinished = (int) done.getCount();
            dumpThreads(unfinished + " callers not done " + capSeconds + " s after the start");
            for (int i = 0; i < callers; i++) {
                if (readyAt[i] == 0 && failures[i] == null) {
                    threads.get(i).interrupt();
                }
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                emit("note " + done.getCount() + " callers still not done 30 s after their interrupt");
            }
        }
        String figures = side.figures();
        String measured = measure();
        String names = threadNames();
        int ready = 0;
        for (int i = 0; i < callers; i++) {
            if (failures[i] != null) {
                emit("failed i=" + i + " kind=" + kind(failures[i]));
            } else if (readyAt[i] != 0) {
                ready++;
                emit("ready i=" + i + " ns=" + (readyAt[i] - start));
            }
        }
        emit("measure when=ready " + measured);
        emit("threadnames " + names);
        emit("summary callers=" + callers + " ready=" + ready + " unfinished=" + unfinished + " done_ns="
                + (allDone - start) + (figures.isEmpty() ? "" : " " + figures));

        long released = System.nanoTime();
        release.countDown();
        for (Thread t : threads) {
            t.join(JOIN_CAP_MILLIS);
            if (t.isAlive()) {
                emit("note " + t.getName() + " still closing after " + JOIN_CAP_MILLIS / 1000 + " s");
            }
        }
        side.finish();
        for (int i = 0; i < callers; i++) {
            if (closeFailures[i] != null) {
                emit("closefailed i=" + i + " kind=" + kind(closeFailures[i]));
            }
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
        while (!left.isEmpty() && System.nanoTime() - released < GONE_CAP_NANOS) {
            Thread.sleep(2); // polling, after the timed part; the close time is this loop's resolution late at most
            left = ProcessHandle.current().descendants().toList();
        }
        long gone = System.nanoTime() - released;
        String leftPids = left.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(","));
        emit("closed gone_ns=" + gone + " leftover=" + left.size() + (left.isEmpty() ? "" : " pids=" + leftPids));
        for (ProcessHandle p : left) {
            p.destroyForcibly();
        }
    }

    /** The JVM's and its descendants' figures, as {@code key=value} fields. */
    private static String measure() throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long self = ProcessHandle.current().pid();
        int tasks;
        try (Stream<Path> list = Files.list(Path.of("/proc/self/task"))) {
            tasks = (int) list.count();
        }
        Proc me = Proc.of(self);
        long servers = 0;
        long serverThreads = 0;
        long serverRss = 0;
        long serverPss = 0;
        long serverTicks = 0;
        List<String> pids = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            Proc proc = Proc.of(p.pid());
            if (proc == null) {
                continue; // gone meanwhile
            }
            servers++;
            serverThreads += proc.threads();
            serverRss += proc.rssKb();
            serverPss += proc.pssKb();
            serverTicks += proc.ticks();
            pids.add(Long.toString(p.pid()));
        }
        return "threads=" + mx.getThreadCount() + " peak_threads=" + mx.getPeakThreadCount() + " tasks=" + tasks
                + " rss_kb=" + me.rssKb() + " pss_kb=" + me.pssKb() + " ticks=" + me.ticks() + " processes=" + servers
                + " server_tasks=" + serverThreads + " server_rss_kb=" + serverRss + " server_pss_kb=" + serverPss
                + " server_ticks=" + serverTicks + " pids=" + (pids.isEmpty() ? "-" : String.join(",", pids));
    }

    /** The JVM's live platform threads by name, digits folded to {@code #}: {@code count×name}, separated by {@code |}. */
    private static String threadNames() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return names.entrySet().stream().map(e -> e.getValue() + "×" + e.getKey()).collect(Collectors.joining("|"));
    }

    /** What {@code /proc} says of one process: RSS and PSS (kB), threads, utime + stime (clock ticks). */
    private record Proc(long rssKb, long pssKb, int threads, long ticks) {
        /** {@code null} when the process is gone. */
        static Proc of(long pid) throws IOException {
            Path dir = Path.of("/proc/" + pid);
            try {
                long rss = -1;
                int threads = -1;
                for (String line : Files.readAllLines(dir.resolve("status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = number(line);
                    } else if (line.startsWith("Threads:")) {
                        threads = (int) number(line);
                    }
                }
                long pss = -1;
                for (String line : Files.readAllLines(dir.resolve("smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        pss = number(line);
                    }
                }
                String stat = Files.readString(dir.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)'s stat
                if (rss < 0 || threads < 0 || pss < 0) {
                    throw new IllegalStateException("no VmRSS, Threads or Pss for " + pid);
                }
                return new Proc(rss, pss, threads, ticks);
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                if (ProcessHandle.of(pid).isEmpty()) {
                    return null; // gone while read (a zombie's smaps_rollup cannot be read)
                }
                throw e;
            }
        }

        private static long number(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }

    /** Waits until every caller is parked on the start latch. */
    private static void awaitParked(List<Thread> callers) throws InterruptedException {
        long deadline = System.nanoTime() + PARK_CAP_NANOS;
        while (!callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("callers not parked after 60 s");
            }
            Thread.sleep(1); // before the start
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Dumps every thread, virtual ones included, to a new file in {@code weft.bench.pool.dumps}, and says where. */
    private static void dumpThreads(String why) {
        String dir = System.getProperty("weft.bench.pool.dumps");
        if (dir == null) {
            emit("note " + why + "; no thread dump (weft.bench.pool.dumps is not set)");
            return;
        }
        Path file = Path.of(dir).toAbsolutePath()
                .resolve("threads-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".txt");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            emit("note " + why + "; threads dumped to " + file);
        } catch (IOException | RuntimeException e) {
            emit("note " + why + "; thread dump failed: " + e);
        }
    }

    /**
     * An exception's kind: its class, the start of its message (up to a {@code [} or 60 characters, digits folded to
     * {@code #}), and its cause's class; as the MCP client benchmark's.
     */
    static String kind(Throwable e) {
        String message = String.valueOf(e.getMessage()).replaceAll("[0-9]+", "#").replaceAll("\\s+", " ");
        int bracket = message.indexOf('[');
        int cut = Math.min(bracket < 0 ? message.length() : bracket, 60);
        if (cut < message.length()) {
            message = message.substring(0, cut) + "...";
        }
        String kind = e.getClass().getName() + ": " + message;
        if (e.getCause() != null && e.getCause() != e) {
            kind += " (cause " + e.getCause().getClass().getName() + ")";
        }
        return kind;
    }

    private static void emit(String line) {
        System.out.println(TAG + " " + line);
    }
}
