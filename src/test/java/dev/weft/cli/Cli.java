package dev.weft.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this JVM, as {@code main} would, and keeps what it printed. */
final class Cli {

    /** What one run returned and printed; line separators in the output are {@code \n}. */
    record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Cli() {}

    static Result run(String... args) {
        return run(false, args);
    }

    static Result run(boolean errIsTerminal, String... args) {
        return run(errIsTerminal, "", args);
    }

    /** Runs with {@code input} as what a person types at the terminal (then end of input). */
    static Result runWithInput(String input, String... args) {
        return run(false, input, args);
    }

    private static Result run(boolean errIsTerminal, String input, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status;
        try (var outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                var errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, new Io(outStream, errStream, errIsTerminal,
                    new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));
        }
        return new Result(status, normalized(out), normalized(err));
    }

    /** {@code head} followed by {@code tail}, as one argument array. */
    static String[] args(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all.toArray(String[]::new);
    }

    private static String normalized(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
