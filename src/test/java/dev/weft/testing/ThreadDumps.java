package dev.weft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread dumps that include virtual threads, for people (text) and for checks (parsed JSON).
 *
 * <p>{@link Thread#getAllStackTraces()} and {@code java.lang.management.ThreadMXBean} see platform threads only.
 * This class uses {@code com.sun.management.HotSpotDiagnosticMXBean.dumpThreads} (through {@link HotSpot}), the API
 * behind {@code jcmd Thread.dump_to_file}, which also lists virtual threads: those started by an
 * {@link java.util.concurrent.ExecutorService} or a structured scope (each in its thread container) and those created
 * directly with the {@link Thread} API, which are tracked in the root container <em>only while
 * {@code jdk.trackAllThreads} is unset or true</em>. That is the JDK default (JDK 21 to 25,
 * {@code jdk.internal.vm.ThreadContainers}); with {@code -Djdk.trackAllThreads=false} directly created virtual threads
 * vanish from every dump. {@link #requireAllThreadsTracked()} fails fast in that case, and {@code ThreadDumpsTest}
 * proves both halves in child JVMs.
 *
 * <p>Thread-safe. Every method takes a fresh dump: about half a millisecond to a millisecond with a few dozen threads
 * (measured on JDK 25, 2 cores); it briefly stops each thread it samples.
 */
public final class ThreadDumps {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ThreadDumps() {}

    /** One live thread as a dump saw it. {@code stack}: innermost first, {@code module/class.method(file:line)}. */
    public record ThreadEntry(long tid, String name, boolean virtual, String state, List<String> stack) {
        /** The header and stack, formatted like a {@code jstack} entry. */
        public String describe() {
            StringBuilder sb = new StringBuilder().append('#').append(tid).append(" \"").append(name).append('"');
            if (virtual) {
                sb.append(" virtual");
            }
            if (!state.isEmpty()) {
                sb.append(' ').append(state);
            }
            for (String frame : stack) {
                sb.append(System.lineSeparator()).append("      at ").append(frame);
            }
            return sb.toString();
        }
    }

    /**
     * Fails unless directly created virtual threads are tracked, i.e. unless they appear in thread dumps.
     *
     * @throws IllegalStateException if {@code jdk.trackAllThreads} is set to something other than empty or true
     */
    public static void requireAllThreadsTracked() {
        requireTracking(System.getProperty("jdk.trackAllThreads"));
    }

    /** {@link #requireAllThreadsTracked()} for a given value of {@code jdk.trackAllThreads} (null when unset). */
    static void requireTracking(String trackAllThreads) {
        if (trackAllThreads != null && !trackAllThreads.isEmpty() && !Boolean.parseBoolean(trackAllThreads)) {
            throw new IllegalStateException("-Djdk.trackAllThreads=" + trackAllThreads + " hides virtual threads"
                    + " created with the Thread API from thread dumps, so leak checks and hard-timeout dumps would"
                    + " miss them; remove it");
        }
    }

    /** All live threads, platform and virtual, in the dump's order. */
    public static List<ThreadEntry> threads() {
        return parse(dump(HotSpot.DumpFormat.JSON));
    }

    /**
     * Live threads, platform and virtual, whose name starts with {@code prefix}. Fast path: when the raw dump does not
     * contain {@code "prefix} no thread can have such a name (JSON escapes nothing in a name's first characters unless
     * the prefix itself needs escaping, which callers must not use), so the dump is not parsed.
     */
    public static List<ThreadEntry> threadsNamed(String prefix) {
        String raw = dump(HotSpot.DumpFormat.JSON);
        if (!raw.contains("\"" + prefix)) {
            return List.of();
        }
        List<ThreadEntry> named = new ArrayList<>();
        for (ThreadEntry entry : parse(raw)) {
            if (entry.name().startsWith(prefix)) {
                named.add(entry);
            }
        }
        return named;
    }

    /** A plain-text dump of all threads, virtual ones included. */
    public static String text() {
        return dump(HotSpot.DumpFormat.TEXT_PLAIN);
    }

    /**
     * Writes a plain-text dump of all threads to {@code file}, replacing it, creating its directory.
     *
     * @return the absolute path written
     */
    public static Path writeText(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target); // dumpThreads refuses to overwrite
        try {
            HotSpot.dumpThreads(target, HotSpot.DumpFormat.TEXT_PLAIN);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return target;
    }

    /** {@code target/} of this build, found from where the test classes were loaded ({@code target/test-classes}). */
    public static Path buildDirectory() {
        try {
            Path classes = Path.of(ThreadDumps.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String dump(HotSpot.DumpFormat format) {
        Path file = ScratchDirectory.PATH.resolve("dump-" + SEQUENCE.incrementAndGet() + "."
                + (format == HotSpot.DumpFormat.JSON ? "json" : "txt"));
        try {
            HotSpot.dumpThreads(file, format);
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot dump threads to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover scratch file is harmless; the directory is deleted on exit when empty
            }
        }
    }

    private static List<ThreadEntry> parse(String raw) {
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable JSON thread dump", e);
        }
        List<ThreadEntry> entries = new ArrayList<>();
        for (JsonNode container : root.path("threadDump").path("threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                List<String> stack = new ArrayList<>();
                for (JsonNode frame : thread.path("stack")) {
                    stack.add(frame.asText());
                }
                // JDK 21 has no "virtual" field; a virtual thread's outermost frame is VirtualThread.run there.
                boolean virtual = thread.has("virtual") ? thread.path("virtual").asBoolean()
                        : !stack.isEmpty() && stack.getLast().contains("java.lang.VirtualThread.run");
                entries.add(new ThreadEntry(Long.parseLong(thread.path("tid").asText()), thread.path("name").asText(),
                        virtual, thread.path("state").asText(""), List.copyOf(stack)));
            }
        }
        return entries;
    }

    /** A private directory for scratch dumps (dumpThreads writes only to files). */
    private static final class ScratchDirectory {
        static final Path PATH;

        static {
            try {
                PATH = Files.createTempDirectory("weft-thread-dumps");
                PATH.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
