package dev.weft.bench.acp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The host side of the ACP client benchmark: one JVM per repetition, started by the driver
 * ({@code dev.weft.bench.AcpBench}) with Weft's side or acp-core's. Results go to standard output as lines starting
 * with {@value #TAG}, which the driver parses; anything else the JVM prints is kept in a log.
 *
 * <p>Arguments: {@code <floodN> <toolsN> <warmFloodN> <warmToolsN> <capSeconds> -- <agent argv...>}. Every prompt
 * runs on the main thread (a platform thread) unless said otherwise. One repetition:
 * <ol>
 *   <li>The side opens a client on a fresh agent and one session. Warm-up, not timed but checked: {@code flood
 *       <warmFloodN>}, then {@code tools <warmToolsN>}.</li>
 *   <li><b>flood</b>: {@code flood <floodN>}. Before: the JVM's peak thread count is reset and its live platform
 *       threads ({@link ThreadMXBean#getThreadCount()}) and CPU time ({@code getProcessCpuTime()}, every thread of the
 *       process) are taken; then {@link System#nanoTime()} and the prompt is sent. The listener counts every update,
 *       records its sequence number (the chunk text's first word) at its place in delivery order (the order in which
 *       listener calls began, an atomic counter), notes each thread it runs on and how many calls run at once, takes
 *       the live thread count at the middle update, and the time of the last one. The figure: from the send to
 *       whichever is later, the prompt's return or the last update's delivery (waited for up to {@code capSeconds}
 *       after the return); how many updates the listener had seen when the prompt returned is reported apart. CPU
 *       time and the peak thread count are taken at that end, the live count when the prompt returns, and the
 *       platform threads' names just after the end.</li>
 *   <li><b>tools</b>: {@code tools <toolsN>} (2 updates per tool call), timed as flood. Position of an update:
 *       {@code 2i} for {@code tool_call t<i>}, {@code 2i+1} for its update. Tool calls whose last status seen (in
 *       delivery order) is not terminal are counted.</li>
 *   <li><b>cancel</b>: {@code slow}. The listener, when the {@code tool_call} arrives, takes the time and calls the
 *       side's cancel on its own thread. The figure: from then to the prompt's return on the main thread. Counted:
 *       terminal tool-call updates the listener saw, how many of them the client made up, and tool calls left
 *       non-terminal.</li>
 *   <li>The client is closed; the time until the JVM has no descendant process left is reported.</li>
 *   <li><b>crash</b>: a new client on a new agent, one session; {@code crash} is prompted on a platform thread of its
 *       own. The listener takes the time when the chunk {@code "bye"} arrives; the prompting thread takes it when the
 *       prompt returns or throws. The figure: from "bye" to that, capped at {@code capSeconds} after "bye" (then it
 *       is reported as capped, and the client is closed, which may end the prompt). What the prompt threw is
 *       reported.</li>
 *   <li>The client is closed. A descendant process still alive 30 s after a close is reported as left over, then
 *       killed.</li>
 * </ol>
 */
public final class AcpChild {
    /** Every result line starts with this. */
    public static final String TAG = "@bench";

    private static final long GONE_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final AcpSide side;
    private final List<String> agent;
    private final Path cwd = Path.of("").toAbsolutePath();
    private final int capSeconds;

    private AcpChild(AcpSide side, List<String> agent, int capSeconds) {
        this.side = side;
        this.agent = agent;
        this.capSeconds = capSeconds;
    }

    /** Runs one repetition, as the class comment says, and exits. */
    public static void run(String[] args, AcpSide side) {
        int status = 0;
        try {
            int dash = Arrays.asList(args).indexOf("--");
            if (dash != 5 || args.length < 7) {
                throw new IllegalArgumentException("usage: <floodN> <toolsN> <warmFloodN> <warmToolsN> <capSeconds> -- "
                        + "<agent argv...>: " + Arrays.toString(args));
            }
            AcpChild child = new AcpChild(side, List.of(Arrays.copyOfRange(args, dash + 1, args.length)),
                    Integer.parseInt(args[4]));
            child.repetition(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]));
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // acp-core leaves threads of its own behind; some may not be daemons.
        System.exit(status);
    }

    private void repetition(int floodN, int toolsN, int warmFloodN, int warmToolsN) throws Exception {
        emit("defaults " + side.defaults());
        long start = System.nanoTime();
        side.open(agent, cwd);
        emit("open ns=" + (System.nanoTime() - start));
        try {
            timed("warmflood", Script.FLOOD, warmFloodN);
            timed("warmtools", Script.TOOLS, warmToolsN);
            timed("flood", Script.FLOOD, floodN);
            timed("tools", Script.TOOLS, toolsN);
            cancel();
        } finally {
            closeAndAwaitGone("first");
        }
        side.open(agent, cwd);
        try {
            crash();
        } finally {
            closeAndAwaitGone("crash");
        }
    }

    // ---------------------------------------------------------------- flood and tools

    private enum Script { FLOOD, TOOLS }

    /** The listener of a timed prompt: see the class comment. */
    private static final class Recorder implements AcpSide.Listener {
        final Script script;
        final int expected; // updates
        final int[] positions; // in delivery order
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger stray = new AtomicInteger();
        final Map<Long, String> threads = new ConcurrentHashMap<>(); // every thread the listener ran on: id, name
        final CountDownLatch all;
        volatile Thread lastThread;
        volatile long lastAt;
        volatile int midThreads = -1;

        Recorder(Script script, int n) {
            this.script = script;
            this.expected = script == Script.FLOOD ? n : 2 * n;
            this.positions = new int[expected];
            this.all = new CountDownLatch(expected);
        }

        @Override
        public void update(AcpSide.Update update) {
            int now = running.incrementAndGet();
            if (now > 1) {
                maxRunning.accumulateAndGet(now, Math::max);
            }
            try {
                Thread thread = Thread.currentThread();
                if (thread != lastThread) {
                    lastThread = thread;
                    threads.putIfAbsent(thread.threadId(), thread.getName());
                }
                int position = position(update);
                if (position < 0) {
                    stray.incrementAndGet();
                    return;
                }
                int index = count.getAndIncrement();
                if (index >= expected) {
                    stray.incrementAndGet();
                    return;
                }
                positions[index] = position;
                if (index == expected / 2) {
                    midThreads = THREADS.getThreadCount();
                }
                if (index == expected - 1) {
                    lastAt = System.nanoTime();
                }
                all.countDown();
            } finally {
                running.decrementAndGet();
            }
        }

        /** The update's place in the script, or -1 for one that does not belong to it. */
        private int position(AcpSide.Update update) {
            try {
                if (script == Script.FLOOD) {
                    if (update.kind() != AcpSide.Kind.MESSAGE) {
                        return -1;
                    }
                    String text = update.text();
                    return Integer.parseInt(text, 0, text.indexOf(' '), 10);
                }
                String id = update.toolCallId();
                if (id == null || !id.startsWith("t")) {
                    return -1;
                }
                int i = Integer.parseInt(id, 1, id.length(), 10);
                return switch (update.kind()) {
                    case TOOL_CALL -> "pending".equals(update.status()) ? 2 * i : -1;
                    case TOOL_CALL_UPDATE -> "completed".equals(update.status()) ? 2 * i + 1 : -1;
                    default -> -1;
                };
            } catch (RuntimeException e) {
                return -1;
            }
        }
    }

    private void timed(String name, Script script, int n) throws InterruptedException {
        Recorder recorder = new Recorder(script, n);
        String prompt = (script == Script.FLOOD ? "flood " : "tools ") + n;
        THREADS.resetPeakThreadCount();
        int threadsBefore = THREADS.getThreadCount();
        long cpuBefore = OS.getProcessCpuTime();
        long sent = System.nanoTime();
        String stop;
        try {
            stop = side.prompt(prompt, recorder);
        } catch (Exception | Error e) {
            emit("failed scenario=" + name + " seen=" + recorder.count.get() + " after_ns=" + (System.nanoTime() - sent)
                    + " kind=" + kind(e));
            return;
        }
        long returned = System.nanoTime();
        int atReturn = Math.min(recorder.count.get(), recorder.expected);
        int threadsAtReturn = THREADS.getThreadCount();
        boolean all = recorder.all.await(capSeconds, TimeUnit.SECONDS);
        long cpuAfter = OS.getProcessCpuTime();
        int peak = THREADS.getPeakThreadCount();
        String names = threadNames(); // after the CPU time: it walks every thread's stack
        long end = all ? Math.max(returned, recorder.lastAt) : System.nanoTime();
        int delivered = Math.min(recorder.count.get(), recorder.expected);

        int outOfPlace = 0;
        int descents = 0;
        BitSet seen = new BitSet(recorder.expected);
        int duplicates = 0;
        for (int i = 0; i < delivered; i++) {
            int p = recorder.positions[i];
            if (p != i) {
                outOfPlace++;
            }
            if (i > 0 && p < recorder.positions[i - 1]) {
                descents++;
            }
            if (p >= recorder.expected || seen.get(p)) {
                duplicates++;
            } else {
                seen.set(p);
            }
        }
        int missing = recorder.expected - seen.cardinality();
        String extra = "";
        if (script == Script.TOOLS) {
            // The last status of each tool call in delivery order: pending unless its completed update came after.
            byte[] last = new byte[n];
            for (int i = 0; i < delivered; i++) {
                int p = recorder.positions[i];
                if (p / 2 < n) {
                    last[p / 2] = (byte) (p % 2 == 0 ? 1 : 2);
                }
            }
            int nonTerminal = 0;
            for (byte b : last) {
                if (b != 2) {
                    nonTerminal++;
                }
            }
            extra = " nonterminal=" + nonTerminal;
        }
        emit(name + " n=" + recorder.expected + " delivered=" + delivered + " at_return=" + atReturn + " all=" + all
                + " wall_ns=" + (end - sent) + " return_ns=" + (returned - sent) + " cpu_ns=" + (cpuAfter - cpuBefore)
                + " out_of_place=" + outOfPlace + " descents=" + descents + " missing=" + missing + " duplicates="
                + duplicates + " stray=" + recorder.stray.get() + " max_concurrent=" + Math.max(1,
                recorder.maxRunning.get()) + " listener_threads=" + recorder.threads.size() + " threads_before="
                + threadsBefore + " threads_mid=" + recorder.midThreads + " threads_peak=" + peak
                + " threads_at_return=" + threadsAtReturn + " stop=" + stop + extra);
        emit(name + "threads names=" + names + " listener=" + fold(recorder.threads.values()));
    }

    // ---------------------------------------------------------------- cancel

    private void cancel() throws InterruptedException {
        AtomicLong cancelAt = new AtomicLong();
        AtomicInteger toolCalls = new AtomicInteger();
        AtomicInteger terminal = new AtomicInteger();
        AtomicInteger synthesized = new AtomicInteger();
        Map<String, String> last = new ConcurrentHashMap<>(); // last status seen per tool call
        Map<Long, String> threads = new ConcurrentHashMap<>();
        List<String> cancelFailures = new ArrayList<>();
        AcpSide.Listener listener = update -> {
            threads.putIfAbsent(Thread.currentThread().threadId(), Thread.currentThread().getName());
            if (update.toolCallId() != null && update.status() != null) {
                last.put(update.toolCallId(), update.status());
            }
            if (update.terminal()) {
                terminal.incrementAndGet();
                if (update.synthesized()) {
                    synthesized.incrementAndGet();
                }
            }
            if (update.kind() == AcpSide.Kind.TOOL_CALL && toolCalls.getAndIncrement() == 0) {
                cancelAt.set(System.nanoTime());
                try {
                    side.cancel();
                } catch (Exception e) {
                    synchronized (cancelFailures) {
                        cancelFailures.add(kind(e));
                    }
                }
            }
        };
        long sent = System.nanoTime();
        String outcome;
        long returned;
        try {
            outcome = "returned stop=" + side.prompt("slow", listener);
            returned = System.nanoTime();
        } catch (Exception | Error e) {
            returned = System.nanoTime();
            outcome = "threw kind=" + kind(e);
        }
        long cancelled = cancelAt.get();
        long nonTerminal = last.values().stream().filter(s -> !s.equals("completed") && !s.equals("failed")).count();
        for (String failure : cancelFailures) {
            emit("note cancel() threw " + failure);
        }
        emit("cancel cancel_ns=" + (cancelled == 0 ? -1 : returned - cancelled) + " prompt_ns=" + (returned - sent)
                + " tool_calls=" + toolCalls.get() + " terminal_seen=" + terminal.get() + " synthesized="
                + synthesized.get() + " nonterminal=" + nonTerminal + " listener=" + fold(threads.values())
                + " outcome=" + outcome);
    }

    // ---------------------------------------------------------------- crash

    private void crash() throws InterruptedException {
        CountDownLatch bye = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicLong byeAt = new AtomicLong();
        AtomicLong endAt = new AtomicLong();
        String[] outcome = new String[1];
        AcpSide.Listener listener = update -> {
            if (update.kind() == AcpSide.Kind.MESSAGE && "bye".equals(update.text()) && byeAt.get() == 0) {
                byeAt.set(System.nanoTime());
                bye.countDown();
            }
        };
        long sent = System.nanoTime();
        Thread prompter = Thread.ofPlatform().name("bench-crash-prompt").start(() -> {
            String result;
            try {
                result = "returned stop=" + side.prompt("crash", listener);
            } catch (Exception | Error e) {
                result = "threw kind=" + kind(e);
            }
            endAt.set(System.nanoTime());
            outcome[0] = result;
            ended.countDown();
        });
        if (!bye.await(capSeconds, TimeUnit.SECONDS)) {
            emit("note crash: no \"bye\" within " + capSeconds + " s of the prompt");
        }
        long byeTime = byeAt.get() == 0 ? sent : byeAt.get();
        long remaining = TimeUnit.SECONDS.toNanos(capSeconds) - (System.nanoTime() - byeTime);
        boolean done = ended.await(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        if (done) {
            emit("crash capped=false bye=" + (byeAt.get() != 0) + " end_ns=" + (endAt.get() - byeTime)
                    + " since_send_ns=" + (endAt.get() - sent) + " outcome=" + outcome[0]);
            prompter.join();
            return;
        }
        long cappedAt = System.nanoTime();
        emit("crash capped=true bye=" + (byeAt.get() != 0) + " end_ns=" + (cappedAt - byeTime) + " since_send_ns="
                + (cappedAt - sent) + " outcome=none within " + capSeconds + " s");
        // What ends it: the client's close (done by the caller's finally, after this returns) or its own timeout.
        Thread.ofPlatform().daemon().name("bench-crash-watch").start(() -> {
            try {
                if (ended.await(60, TimeUnit.SECONDS)) {
                    emit("note crash: after the cap, the prompt ended " + (endAt.get() - byeTime) / 1_000_000
                            + " ms after bye: " + outcome[0]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ---------------------------------------------------------------- close

    private void closeAndAwaitGone(String which) throws InterruptedException {
        long closing = System.nanoTime();
        try {
            side.close();
        } catch (Exception e) {
            emit("note close (" + which + ") threw " + kind(e));
        }
        long closed = System.nanoTime();
        List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        while (!left.isEmpty() && System.nanoTime() - closing < GONE_CAP_NANOS) {
            for (ProcessHandle p : left) {
                try {
                    p.onExit().get(Math.max(1, GONE_CAP_NANOS - (System.nanoTime() - closing)), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    break; // the cap: reported below
                }
            }
            left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        }
        long gone = System.nanoTime();
        emit("closed which=" + which + " close_ns=" + (closed - closing) + " gone_ns=" + (gone - closing)
                + " leftover=" + left.size() + (left.isEmpty() ? "" : " pids=" + left.stream()
                .map(p -> Long.toString(p.pid())).collect(Collectors.joining(","))));
        for (ProcessHandle p : left) {
            p.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The JVM's live platform threads by name, folded: {@code count×name}, joined by {@code |}. */
    private static String threadNames() {
        Map<String, Integer> names = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.merge(folded(t.getName()), 1, Integer::sum);
        }
        return names.entrySet().stream().map(e -> e.getValue() + "×" + e.getKey().replace(' ', '_'))
                .collect(Collectors.joining("|"));
    }

    /** A thread's name with its numbers folded: acp-core's 8 hex digits to {@code <id>}, then digits to {@code #}. */
    private static String folded(String name) {
        return name.replaceAll("-[0-9a-f]{8}$", "-<id>").replaceAll("[0-9]+", "#");
    }

    /** Thread names, folded, counted. */
    private static String fold(Collection<String> names) {
        Map<String, Integer> folded = new HashMap<>();
        for (String name : names) {
            folded.merge(folded(name), 1, Integer::sum);
        }
        return new TreeMap<>(folded).entrySet().stream().map(e -> e.getValue() + "×" + e.getKey().replace(' ', '_'))
                .collect(Collectors.joining("|"));
    }

    /**
     * An exception's kind: its class and message, and its cause's class and message, the agent's command line in them
     * shortened to {@code stdio[agent]} and pids to {@code #}, each message cut at 160 characters.
     */
    static String kind(Throwable e) {
        String kind = e.getClass().getName() + ": " + shorten(e.getMessage());
        if (e.getCause() != null && e.getCause() != e) {
            kind += " (cause " + e.getCause().getClass().getName() + ": " + shorten(e.getCause().getMessage()) + ")";
        }
        return kind;
    }

    private static String shorten(String message) {
        String m = String.valueOf(message).replaceAll("stdio\\[[^\\]]*\\]", "stdio[agent]")
                .replaceAll("pid [0-9]+", "pid #").replaceAll("\\s+", " ");
        return m.length() <= 160 ? m : m.substring(0, 160) + "...";
    }

    private static synchronized void emit(String line) {
        System.out.println(TAG + " " + line);
    }
}
