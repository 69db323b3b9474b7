package dev.weft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a command writes: results to {@code out}, errors and progress to {@code err}, and whether {@code err} is a
 * terminal (then progress overwrites one line with {@code \r}; otherwise it prints one line per update).
 *
 * @param out           where results go
 * @param err           where errors, diagnostics and progress go
 * @param errIsTerminal whether {@code err} is a terminal
 * @param in            where a command that asks (a permission prompt) reads the answers
 */
record Io(PrintStream out, PrintStream err, boolean errIsTerminal, InputStream in) {

    Io {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(in, "in");
    }

    /** No input: a command that asks reads end of input at once. */
    Io(PrintStream out, PrintStream err, boolean errIsTerminal) {
        this(out, err, errIsTerminal, InputStream.nullInputStream());
    }

    /** Whether this process's standard input is a terminal (see {@link #stderrIsTerminal()}). */
    static boolean stdinIsTerminal() {
        return isTerminal(0);
    }

    /**
     * Whether this process's standard error is a terminal. Java 21 has no portable test for one stream (a
     * {@link System#console()} speaks of standard input and output, and from Java 22 on it exists even when they are
     * redirected), so this asks Linux's {@code /proc/self/fd/2}; elsewhere it answers {@code false}, and progress
     * prints one line per update, which is right for a file or a pipe and merely verbose on a terminal.
     */
    static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
