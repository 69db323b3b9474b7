package dev.weft.cli;

import java.io.IOException;
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
 */
record Io(PrintStream out, PrintStream err, boolean errIsTerminal) {

    Io {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /**
     * Whether this process's standard error is a terminal. Java 21 has no portable test for one stream (a
     * {@link System#console()} speaks of standard input and output, and from Java 22 on it exists even when they are
     * redirected), so this asks Linux's {@code /proc/self/fd/2}; elsewhere it answers {@code false}, and progress
     * prints one line per update, which is right for a file or a pipe and merely verbose on a terminal.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
