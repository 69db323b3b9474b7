package dev.weft.transport;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The terminal error of a {@link StdioTransport} whose server process ended: it exited (by itself or killed by a
 * signal), or it closed its standard output while still running.
 *
 * <p>Carries what a user needs to see why a server died: its pid, its exit code when known, its command and the last
 * bytes of its standard error. Immutable.
 */
public final class ProcessExitedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The process id. */
    private final long pid;
    /** The exit code, when {@link #exitCodeKnown}. */
    private final int exitCode;
    /** Whether the process had exited, so that {@link #exitCode} is its exit code. */
    private final boolean exitCodeKnown;
    /** The argument vector. */
    private final String[] command;
    /** The last bytes of standard error. */
    private final String stderrTail;

    /**
     * A process that exited.
     *
     * @param transport  the transport's description, for the message
     * @param pid        the process id
     * @param exitCode   its exit code; on Unix {@code 128 + n} when it was killed by signal {@code n}
     * @param command    its argument vector
     * @param stderrTail the last bytes of its standard error
     * @return the exception
     */
    public static ProcessExitedException exited(String transport, long pid, int exitCode, List<String> command,
                                                String stderrTail) {
        return new ProcessExitedException(transport + " exited with code " + exitCode + lastLine(stderrTail), pid,
                exitCode, true, command, stderrTail, null);
    }

    /**
     * A process that closed its standard output and is still running, so its exit code is unknown.
     *
     * @param transport  the transport's description, for the message
     * @param pid        the process id
     * @param command    its argument vector
     * @param stderrTail the last bytes of its standard error
     * @return the exception
     */
    public static ProcessExitedException stillRunning(String transport, long pid, List<String> command,
                                                      String stderrTail) {
        return new ProcessExitedException(transport + " closed its standard output but is still running"
                + lastLine(stderrTail), pid, 0, false, command, stderrTail, null);
    }

    private ProcessExitedException(String message, long pid, int exitCode, boolean exitCodeKnown,
                                   List<String> command, String stderrTail, Throwable cause) {
        super(message, cause);
        this.pid = pid;
        this.exitCode = exitCode;
        this.exitCodeKnown = exitCodeKnown;
        this.command = command.toArray(String[]::new);
        this.stderrTail = Objects.requireNonNull(stderrTail, "stderrTail");
    }

    /**
     * A copy to throw at one more caller after the end: same message and values, and {@code terminal} as its cause, so
     * that each stack trace shows its own caller and the cause is the same terminal error every time.
     */
    ProcessExitedException(ProcessExitedException terminal) {
        this(terminal.getMessage(), terminal.pid, terminal.exitCode, terminal.exitCodeKnown, terminal.command(),
                terminal.stderrTail, terminal);
    }

    /** {@return the process id} */
    public long pid() {
        return pid;
    }

    /**
     * {@return the exit code, or empty when the process closed its standard output and was still running} On Unix a
     * process killed by signal {@code n} reports {@code 128 + n} (137 for {@code SIGKILL}).
     */
    public OptionalInt exitCode() {
        return exitCodeKnown ? OptionalInt.of(exitCode) : OptionalInt.empty();
    }

    /** {@return the argument vector the process was started with} */
    public List<String> command() {
        return List.of(command);
    }

    /**
     * {@return the last bytes of the process's standard error, decoded as UTF-8 leniently; empty when there were none}
     */
    public String stderrTail() {
        return stderrTail;
    }

    /** The last non-blank line of the tail, for the message: {@code ": Error: listen EADDRINUSE"}. */
    private static String lastLine(String tail) {
        String trimmed = tail.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        String line = trimmed.substring(trimmed.lastIndexOf('\n') + 1).strip();
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
