package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child JVM of a benchmark set, run to its end: its standard error goes to a log, its standard output is read as
 * it comes (so a full pipe never stalls it), kept in the log after the command line, and its lines that start with
 * {@link #TAG} are the figures it reports. Also the processes a repetition tags with a system property on their
 * command line, so that the set can tell that none outlived it.
 *
 * <p>Used from the benchmark's one driving thread; nothing here is shared.
 */
final class ChildJvm {
    /** How a child marks the lines that carry figures. */
    static final String TAG = "@bench ";

    /** What the child printed and how it ended. */
    record Output(List<String> tagged, int exitValue, boolean killed) {}

    private ChildJvm() {}

    /**
     * Runs {@code command} in {@code directory} (the benchmark's own when null) with no input, waits at most
     * {@code limitMinutes} for it to end (then kills it: {@link Output#killed()}), and appends the command line and its
     * standard output, each line cut at {@code lineCap} characters, to {@code log} after its standard error.
     */
    static Output run(List<String> command, Path directory, Path log, long limitMinutes, int lineCap)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process child = builder.start();
        child.getOutputStream().close();
        List<String> tagged = new ArrayList<>();
        List<String> all = new ArrayList<>();
        Thread reader = Thread.ofPlatform().name("bench-child-output").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(TAG)) {
                        tagged.add(line.substring(TAG.length()));
                    }
                    all.add(line.length() > lineCap ? line.substring(0, lineCap) + " ..." : line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean killed = false;
        if (!child.waitFor(limitMinutes, TimeUnit.MINUTES)) {
            killed = true;
            child.destroyForcibly();
            child.waitFor();
        }
        reader.join();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            w.println("--- " + String.join(" ", command));
            w.println("--- standard output ---");
            all.forEach(w::println);
        }
        return new Output(tagged, child.exitValue(), killed);
    }

    /** The live processes whose command line holds {@code property} as one argument. */
    static List<ProcessHandle> tagged(String property) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(property)).orElse(false))
                .toList();
    }

    /** Waits up to {@code capNanos} for the processes tagged with {@code property} to exit; returns those still alive. */
    static List<ProcessHandle> awaitGone(String property, long capNanos) throws InterruptedException {
        long start = System.nanoTime();
        for (ProcessHandle p : tagged(property)) {
            try {
                p.onExit().get(Math.max(1, capNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        return tagged(property);
    }
}
