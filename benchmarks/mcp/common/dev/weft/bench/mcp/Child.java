package dev.weft.bench.mcp;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of the MCP client benchmark: one JVM per run of one mode, started by the driver
 * ({@code dev.weft.bench.McpBench}) with a {@link Side} of the floor, Weft or the SDK. Results go to standard output
 * as lines starting with {@value #TAG}, which the driver parses; anything else the JVM prints is kept in a log.
 *
 * <p>Arguments: {@code <mode> <numbers...> -- <peer argv...>}. Modes:
 * <ul>
 *   <li>{@code sessions <further>}: the first session of this JVM, timed from {@code main}'s entry to an
 *       initialized session (the peer's spawn included); then {@code further} more, each timed from the call that
 *       spawns its peer to the session. Each session makes one checked {@code echo} call after its time is taken, and
 *       is closed, and its peer waited for, before the next one starts.</li>
 *   <li>{@code seq <warm> <calls> <callers>}: one session opened for {@code callers} (the floor's direct loop for 1,
 *       its demultiplexing reader for more), {@code warm} echo calls, then {@code calls} timed ones, back to back on
 *       one thread.</li>
 *   <li>{@code tput <callers> <callsPerCaller> <warmRounds> <rounds> <latencyRounds>}: one session; rounds with
 *       platform and with virtual caller threads alternate (platform first in even rounds). In a round,
 *       {@code callers} threads start together and each makes {@code callsPerCaller} echo calls back to back, counting
 *       failures by kind and going on after one. A round that has not ended 90 s after its start is cut short: its
 *       threads are dumped (to the directory named by the system property {@code weft.bench.mcp.dumps}, when set) and
 *       interrupted, and its calls not made are counted as unfinished. After the warm-up and measured rounds,
 *       {@code latencyRounds} more of each thread kind in which each caller also times each call (two
 *       {@code System.nanoTime()} around it): their times, per thread kind, and what failed in them; not their
 *       calls/s, so that the timing does not touch the measured rounds.</li>
 *   <li>{@code kill <pending> <reps> <capSeconds>}: per repetition a fresh session; {@code pending} virtual threads
 *       each call {@code hold} for longer than the cap; once each is parked and a {@code ping} sent after their calls
 *       has been answered (so the peer has read every hold), the peer is killed with {@code SIGKILL} by pid, and each
 *       caller takes the time at which its call throws. Callers still waiting {@code capSeconds} after the kill are
 *       counted as such, then interrupted.</li>
 *   <li>{@code killhttp <pending> <reps> <capSeconds>}: as {@code kill}, over Streamable HTTP: per repetition the
 *       child starts the server ({@code McpHttpPeer}, whose argv follows {@code --}), reads its port, and opens a
 *       session with {@link Side#openHttp}; once the server has printed that it received every hold, it is killed
 *       with {@code SIGKILL}, and each caller takes the time at which its call throws.</li>
 * </ul>
 */
public final class Child {
    /** Every result line starts with this. */
    public static final String TAG = "@bench";
    /** The echo message of every call, checked on every answer. */
    public static final String MESSAGE = "the quick brown fox jumps over the lazy dog";

    private static final long HOLD_MS = 120_000; // longer than any cap: the peer is killed first
    private static final long ROUND_CAP_NANOS = TimeUnit.SECONDS.toNanos(90);
    private static final long SETTLE_CAP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long PEER_EXIT_CAP_SECONDS = 10;

    private Child() {
    }

    /**
     * Runs one mode. {@code entered} and {@code enteredWall} are taken first thing in the side's {@code main}.
     */
    public static void run(String[] args, long entered, Instant enteredWall, Side side) throws Exception {
        int dash = Arrays.asList(args).indexOf("--");
        if (dash < 1) {
            throw new IllegalArgumentException("usage: <mode> <numbers...> -- <peer argv...>: " + Arrays.toString(args));
        }
        List<String> peer = List.of(Arrays.copyOfRange(args, dash + 1, args.length));
        int[] n = Arrays.stream(Arrays.copyOfRange(args, 1, dash)).mapToInt(Integer::parseInt).toArray();
        try {
            switch (args[0]) {
                case "sessions" -> sessions(side, peer, n[0], entered, enteredWall);
                case "seq" -> sequential(side, peer, n[0], n[1], n[2]);
                case "tput" -> throughput(side, peer, n[0], n[1], n[2], n[3], n[4]);
                case "kill" -> kill(side, peer, n[0], n[1], n[2]);
                case "killhttp" -> killHttp(side, peer, n[0], n[1], n[2]);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.flush();
        // The SDK leaves non-daemon threads behind (its schedulers), which would keep the JVM alive.
        System.exit(0);
    }

    private static void sessions(Side side, List<String> peer, int further, long entered, Instant enteredWall)
            throws Exception {
        Side.Client first = side.open(peer, 1);
        long ready = System.nanoTime();
        long enteredMicros = enteredWall.getEpochSecond() * 1_000_000 + enteredWall.getNano() / 1_000;
        emit("first", "main_to_session_ns=" + (ready - entered), "entered_epoch_us=" + enteredMicros,
                "session_epoch_us=" + (enteredMicros + (ready - entered) / 1_000));
        check(first.echo(MESSAGE));
        closeAndAwait(first);
        long[] times = new long[further];
        long[] closes = new long[further];
        for (int i = 0; i < further; i++) {
            long start = System.nanoTime();
            Side.Client client = side.open(peer, 1);
            times[i] = System.nanoTime() - start;
            check(client.echo(MESSAGE));
            closes[i] = closeAndAwait(client);
        }
        samples("session_ns", times);
        samples("close_ns", closes);
    }

    private static void sequential(Side side, List<String> peer, int warm, int calls, int callers)
            throws Exception {
        Side.Client client = side.open(peer, callers);
        try {
            for (int i = 0; i < warm; i++) {
                check(client.echo(MESSAGE));
            }
            long[] times = new long[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                String text = client.echo(MESSAGE);
                times[i] = System.nanoTime() - start;
                check(text);
            }
            samples("seq_ns", times);
        } finally {
            closeAndAwait(client);
        }
    }

    private static void throughput(Side side, List<String> peer, int callers, int perCaller, int warm, int rounds,
                                   int latencyRounds) throws Exception {
        Side.Client client = side.open(peer, callers);
        Map<String, List<long[]>> latencies = new HashMap<>();
        try {
            for (int round = 0; round < warm + rounds; round++) {
                boolean platformFirst = round % 2 == 0;
                for (boolean platform : platformFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Round r = round(client, callers, perCaller, platform, false);
                    String threads = platform ? "platform" : "virtual";
                    emit("round", "threads=" + threads, "callers=" + callers, "round=" + round,
                            "measured=" + (round >= warm), "ok=" + r.ok, "unfinished=" + r.unfinished,
                            "wall_ns=" + r.wall);
                    for (Map.Entry<String, Integer> e : r.errors.entrySet()) {
                        // the kind goes last: it may hold spaces
                        emit("error", "threads=" + threads, "callers=" + callers, "round=" + round,
                                "measured=" + (round >= warm), "count=" + e.getValue(), "kind=" + e.getKey());
                    }
                }
            }
            for (int round = 0; round < latencyRounds; round++) {
                boolean platformFirst = round % 2 == 0;
                for (boolean platform : platformFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Round r = round(client, callers, perCaller, platform, true);
                    String threads = platform ? "platform" : "virtual";
                    latencies.computeIfAbsent(threads, k -> new ArrayList<>()).add(r.latencies);
                    emit("latround", "threads=" + threads, "callers=" + callers, "round=" + round, "ok=" + r.ok,
                            "failed=" + r.errors.values().stream().mapToInt(Integer::intValue).sum(),
                            "unfinished=" + r.unfinished);
                }
            }
            for (Map.Entry<String, List<long[]>> e : latencies.entrySet()) {
                samples("tput_" + e.getKey() + "_ns", e.getValue().stream().flatMapToLong(Arrays::stream).toArray());
            }
        } finally {
            closeAndAwait(client);
        }
    }

    /**
     * What a round did; {@code latencies}: in a timed round, the time of each answered call, its caller's clock around
     * the call (empty otherwise).
     */
    private record Round(long ok, long unfinished, Map<String, Integer> errors, long wall, long[] latencies) {
    }

    private static Round round(Side.Client client, int callers, int perCaller, boolean platform, boolean timed)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        long[] ok = new long[callers];
        long[] failed = new long[callers];
        long[][] times = timed ? new long[callers][perCaller] : null;
        List<Map<String, Integer>> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        Thread.Builder builder = platform ? Thread.ofPlatform().name("bench-caller-", 0)
                : Thread.ofVirtual().name("bench-caller-", 0);
        for (int c = 0; c < callers; c++) {
            int me = c;
            Map<String, Integer> mine = new HashMap<>();
            errors.add(mine);
            threads.add(builder.start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (times == null) {
                    for (int i = 0; i < perCaller && !Thread.currentThread().isInterrupted(); i++) {
                        try {
                            if (MESSAGE.equals(client.echo(MESSAGE))) {
                                ok[me]++;
                            } else {
                                failed[me]++;
                                mine.merge("wrong answer", 1, Integer::sum);
                            }
                        } catch (Exception e) {
                            failed[me]++;
                            mine.merge(kind(e), 1, Integer::sum);
                        }
                    }
                    return;
                }
                for (int i = 0; i < perCaller && !Thread.currentThread().isInterrupted(); i++) {
                    try {
                        long start = System.nanoTime();
                        String text = client.echo(MESSAGE);
                        long time = System.nanoTime() - start;
                        if (MESSAGE.equals(text)) {
                            times[me][(int) ok[me]] = time;
                            ok[me]++;
                        } else {
                            failed[me]++;
                            mine.merge("wrong answer", 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failed[me]++;
                        mine.merge(kind(e), 1, Integer::sum);
                    }
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        long deadline = start + ROUND_CAP_NANOS;
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        long wall = System.nanoTime() - start;
        if (threads.stream().anyMatch(Thread::isAlive)) {
            dumpThreads("round cut short after " + TimeUnit.NANOSECONDS.toSeconds(wall) + " s");
        }
        for (Thread t : threads) {
            t.interrupt(); // only those still calling after the cap
        }
        for (Thread t : threads) {
            t.join();
        }
        long okAll = Arrays.stream(ok).sum();
        long failedAll = Arrays.stream(failed).sum();
        Map<String, Integer> merged = new HashMap<>();
        errors.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Integer::sum)));
        long[] latencies = new long[times == null ? 0 : (int) okAll];
        int at = 0;
        for (int c = 0; times != null && c < callers; c++) {
            System.arraycopy(times[c], 0, latencies, at, (int) ok[c]);
            at += (int) ok[c];
        }
        return new Round(okAll, (long) callers * perCaller - okAll - failedAll, merged, wall, latencies);
    }

    private static void kill(Side side, List<String> peer, int pending, int reps, int capSeconds) throws Exception {
        for (int rep = 0; rep < reps; rep++) {
            Side.Client client = side.open(peer, Math.max(2, pending));
            check(client.echo(MESSAGE));
            long[] failedAt = new long[pending];
            Exception[] outcomes = new Exception[pending];
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < pending; i++) {
                int me = i;
                callers.add(Thread.ofVirtual().name("bench-hold-" + i).start(() -> {
                    try {
                        client.hold(HOLD_MS);
                        outcomes[me] = new IllegalStateException("a hold call was answered");
                    } catch (Exception e) {
                        failedAt[me] = System.nanoTime();
                        outcomes[me] = e;
                    }
                }));
            }
            awaitParked(callers);
            client.ping(); // answered after the peer has read every hold sent before it
            awaitParked(callers);
            long pid = client.pid();
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no peer " + pid));
            long killedAt = System.nanoTime();
            handle.destroyForcibly();
            long deadline = killedAt + TimeUnit.SECONDS.toNanos(capSeconds);
            for (Thread t : callers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (int i = 0; i < pending; i++) {
                if (callers.get(i).isAlive()) {
                    emit("killed", "rep=" + rep, "call=" + i, "outcome=capped");
                    callers.get(i).interrupt();
                } else {
                    emit("killed", "rep=" + rep, "call=" + i, "outcome=failed", "ns=" + (failedAt[i] - killedAt),
                            "kind=" + kind(outcomes[i]));
                }
            }
            for (Thread t : callers) {
                t.join();
            }
            closeAndAwait(client);
        }
    }

    private static void killHttp(Side side, List<String> peer, int pending, int reps, int capSeconds)
            throws Exception {
        for (int rep = 0; rep < reps; rep++) {
            Process server = new ProcessBuilder(peer).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("port=")) {
                server.destroyForcibly();
                throw new IllegalStateException("the HTTP server printed " + first + ", not its port");
            }
            CountDownLatch held = new CountDownLatch(pending);
            Thread reader = Thread.ofPlatform().daemon().name("bench-server-out").start(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("held ")) {
                            held.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the server is gone
                }
            });
            URI endpoint = URI.create("http://127.0.0.1:" + first.substring("port=".length()) + "/mcp");
            Side.Client client = side.openHttp(endpoint, server.pid());
            check(client.echo(MESSAGE));
            long[] failedAt = new long[pending];
            Exception[] outcomes = new Exception[pending];
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < pending; i++) {
                int me = i;
                callers.add(Thread.ofVirtual().name("bench-hold-" + i).start(() -> {
                    try {
                        client.hold(HOLD_MS);
                        outcomes[me] = new IllegalStateException("a hold call was answered");
                    } catch (Exception e) {
                        failedAt[me] = System.nanoTime();
                        outcomes[me] = e;
                    }
                }));
            }
            if (!held.await(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                throw new TimeoutException("the HTTP server received " + (pending - held.getCount()) + " of "
                        + pending + " holds in 30 s");
            }
            long killedAt = System.nanoTime();
            server.destroyForcibly();
            long deadline = killedAt + TimeUnit.SECONDS.toNanos(capSeconds);
            for (Thread t : callers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (int i = 0; i < pending; i++) {
                if (callers.get(i).isAlive()) {
                    emit("killed", "rep=" + rep, "call=" + i, "outcome=capped");
                    callers.get(i).interrupt();
                } else {
                    emit("killed", "rep=" + rep, "call=" + i, "outcome=failed", "ns=" + (failedAt[i] - killedAt),
                            "kind=" + kind(outcomes[i]));
                }
            }
            for (Thread t : callers) {
                t.join();
            }
            // The server is dead: a close that waits on it is given 10 s, then left behind (the JVM exits at the end).
            Thread closer = Thread.ofVirtual().name("bench-close").start(() -> {
                try {
                    client.close();
                } catch (Exception e) {
                    emit("note", "close after the HTTP server's death threw " + kind(e));
                }
            });
            closer.join(10_000);
            if (closer.isAlive()) {
                emit("note", "close after the HTTP server's death still running after 10 s");
            }
            server.waitFor();
            reader.join();
        }
    }

    /** Dumps every thread, virtual ones included, to a new file in {@code weft.bench.mcp.dumps}, and says where. */
    private static void dumpThreads(String why) {
        String dir = System.getProperty("weft.bench.mcp.dumps");
        if (dir == null) {
            emit("note", why + "; no thread dump (weft.bench.mcp.dumps is not set)");
            return;
        }
        Path file = Path.of(dir).toAbsolutePath()
                .resolve("threads-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".txt");
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            emit("note", why + "; threads dumped to " + file);
        } catch (IOException | RuntimeException e) {
            emit("note", why + "; thread dump failed: " + e);
        }
    }

    /** Waits until every caller is parked, waiting for its answer. */
    private static void awaitParked(List<Thread> callers) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + SETTLE_CAP_NANOS;
        while (!callers.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING)) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("callers not parked after 30 s");
            }
            Thread.sleep(1); // polling a condition, outside the timed part
        }
    }

    /** Closes a session and waits for its peer to exit (killing it after 10 s); the time until the peer is gone. */
    private static long closeAndAwait(Side.Client client) throws Exception {
        long pid = client.pid();
        Optional<ProcessHandle> peer = ProcessHandle.of(pid);
        long start = System.nanoTime();
        client.close();
        if (peer.isPresent()) {
            try {
                peer.get().onExit().get(PEER_EXIT_CAP_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                emit("note", "peer " + pid + " still alive " + PEER_EXIT_CAP_SECONDS + " s after close; killed");
                peer.get().destroyForcibly();
                peer.get().onExit().get();
            }
        }
        return System.nanoTime() - start;
    }

    /**
     * An exception's kind: its class, the start of its message (up to a {@code [} or 60 characters, digits folded to
     * {@code #}, so that ids and command lines do not split kinds), and its cause's class.
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

    private static void check(String text) {
        if (!MESSAGE.equals(text)) {
            throw new IllegalStateException("wrong echo: " + text);
        }
    }

    private static void samples(String name, long[] values) {
        StringBuilder line = new StringBuilder(TAG).append(" samples ").append(name);
        for (long v : values) {
            line.append(' ').append(v);
        }
        System.out.println(line);
    }

    private static void emit(String what, String... fields) {
        System.out.println(TAG + " " + what + " " + String.join(" ", fields));
    }
}
