package dev.weft.cli;

import dev.weft.mcp.Progress;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Shows a request's progress on standard error as {@code progress 2/5 message}. On a terminal each update overwrites
 * the last with {@code \r}, and {@link #end} finishes the line; elsewhere (a file, a pipe, a test) each update is a
 * line of its own.
 *
 * <p>Not thread-safe, and need not be: the session delivers progress on the thread that made the request, which is
 * the thread that runs the command and calls {@link #end}.
 */
final class ProgressLine {
    private final PrintStream err;
    private final boolean terminal;
    /** Length of the line on screen, for overwriting a longer one; 0 when none is. Terminal only. */
    private int shown;

    ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Shows one update. */
    void show(Progress progress) {
        String line = format(progress);
        if (!terminal) {
            err.println(line);
            return;
        }
        String padding = " ".repeat(Math.max(0, shown - line.length()));
        err.print("\r" + line + padding);
        err.flush();
        shown = line.length();
    }

    /** Finishes the line an update left on a terminal, so that what follows starts on a line of its own. */
    void end() {
        if (shown > 0) {
            err.println();
            shown = 0;
        }
    }

    /** {@code progress 2/5 message}, leaving out the total and the message when the server sent none. */
    static String format(Progress progress) {
        StringBuilder line = new StringBuilder("progress ").append(number(progress.progress()));
        if (progress.total() != null) {
            line.append('/').append(number(progress.total()));
        }
        if (progress.message() != null && !progress.message().isBlank()) {
            // one line, whatever the server sent: a line break would break the overwriting
            line.append(' ').append(progress.message().strip().replaceAll("\\s+", " "));
        }
        return line.toString();
    }

    /** {@code 3}, {@code 0.25}: integers without a fraction, others with at most three decimals. */
    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
