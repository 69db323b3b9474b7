package dev.weft.bench.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server side of the MCP server benchmark: one JVM per run, started by the driver ({@code dev.weft.bench.ServerBench})
 * with Weft's server ({@code WeftServer}) or the official SDK's ({@code SdkServer}). Each of those lives in a source tree
 * of its own, compiled against its own class path; this class is the only code they share, and it uses nothing but the
 * JDK.
 *
 * <p>The server binds 127.0.0.1 on a free port and serves the endpoint {@code /mcp} with two tools:
 * {@code echo {message}}, answered at once with one text item holding the message, and {@code slow {ms}}, which sleeps
 * {@code ms} milliseconds on the handler's thread, then answers {@code "slept <ms>"}. Then this class prints
 * {@code @bench ready port=<port> pid=<pid> start_ns=<ns>} on standard output and serves a side channel on standard
 * input, one command per line, each answered with one {@code @bench} line:
 * <ul>
 *   <li>{@code heap}: two {@link System#gc()} (full collections with every collector the driver uses), then the heap
 *       used and committed, and the live platform threads;</li>
 *   <li>{@code stats}: the slow handlers running now, the most that ran at once, how many started and ended, and the
 *       live platform threads (no collection);</li>
 *   <li>{@code exit}, or the end of input: closes the server and exits.</li>
 * </ul>
 */
public final class ServerChild {
    /** Every line for the driver starts with this. */
    public static final String TAG = "@bench";

    private static final AtomicInteger SLOW_RUNNING = new AtomicInteger();
    private static final AtomicInteger SLOW_PEAK = new AtomicInteger();
    private static final AtomicLong SLOW_STARTED = new AtomicLong();
    private static final AtomicLong SLOW_ENDED = new AtomicLong();

    private ServerChild() {
    }

    /** A started server. */
    public interface Server {
        int port();

        void close() throws Exception;
    }

    /** Starts a server as the class comment says. */
    public interface Starter {
        Server start() throws Exception;
    }

    /** The {@code slow} tool's work, the same on both sides: counts itself, sleeps, and returns the answer's text. */
    public static String slow(long ms) throws InterruptedException {
        SLOW_STARTED.incrementAndGet();
        int running = SLOW_RUNNING.incrementAndGet();
        SLOW_PEAK.accumulateAndGet(running, Math::max);
        try {
            Thread.sleep(ms);
        } finally {
            SLOW_RUNNING.decrementAndGet();
            SLOW_ENDED.incrementAndGet();
        }
        return "slept " + ms;
    }

    /** Starts the server, serves the side channel until {@code exit} or the end of input, then exits. */
    public static void run(Starter starter) {
        int status = 0;
        try {
            long start = System.nanoTime();
            Server server = starter.start();
            emit("ready port=" + server.port() + " pid=" + ProcessHandle.current().pid() + " start_ns="
                    + (System.nanoTime() - start));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                switch (line) {
                    case "heap" -> {
                        System.gc();
                        System.gc();
                        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                        emit("heap used=" + heap.getUsed() + " committed=" + heap.getCommitted() + " threads="
                                + ManagementFactory.getThreadMXBean().getThreadCount());
                    }
                    case "stats" -> emit("stats running=" + SLOW_RUNNING.get() + " peak=" + SLOW_PEAK.get()
                            + " started=" + SLOW_STARTED.get() + " ended=" + SLOW_ENDED.get() + " threads="
                            + ManagementFactory.getThreadMXBean().getThreadCount());
                    default -> emit("unknown " + line);
                }
            }
            server.close();
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Servers may leave non-daemon threads behind (thread pools, schedulers).
        System.exit(status);
    }

    private static void emit(String line) {
        System.out.println(TAG + " " + line);
        System.out.flush();
    }
}
