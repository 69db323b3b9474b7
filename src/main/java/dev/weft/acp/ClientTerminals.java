package dev.weft.acp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Commands an agent runs on the host: serves {@code terminal/create}, {@code terminal/output},
 * {@code terminal/wait_for_exit}, {@code terminal/kill} and {@code terminal/release}. A client advertises
 * {@code terminal} only when it has one.
 *
 * <p>Each request runs on its own virtual thread, never on the connection's reader and not on the prompting thread:
 * an implementation must be thread-safe, and {@link #waitForExit} may block for as long as the command runs (it must
 * return early, throwing {@link InterruptedException}, when its thread is interrupted: the agent cancelled the request
 * or the client closed). A {@link dev.weft.jsonrpc.RpcErrorException} is sent to the agent as is (an unknown terminal
 * id is {@code -32002}); an {@link IOException} becomes {@code -32603} with its message.
 *
 * <p>Terminals belong to the session that made them: {@link #releaseAll} ends a session's terminals when the session
 * ends, and {@link #close()} ends every terminal when the client closes, killing their processes (and whatever those
 * started).
 *
 * @see ProcessTerminals the default: argv only, confined to a root, with an output byte limit
 */
public interface ClientTerminals extends AutoCloseable {

    /**
     * Starts a command and returns its terminal id at once, without waiting for it.
     *
     * @param sessionId the agent's session
     * @param request   what to run
     * @return the new terminal's id
     * @throws IOException if the command cannot be started
     */
    String create(String sessionId, TerminalRequest request) throws IOException;

    /**
     * {@return the output so far (the last {@code outputByteLimit} bytes of it) and, once it has exited, how}
     *
     * @param sessionId  the agent's session
     * @param terminalId the terminal
     */
    TerminalOutput output(String sessionId, String terminalId);

    /**
     * Blocks until the command has exited, and says how.
     *
     * @param sessionId  the agent's session
     * @param terminalId the terminal
     * @return how the command ended
     * @throws InterruptedException if the thread was interrupted first: the agent cancelled, or the client closed
     */
    ExitStatus waitForExit(String sessionId, String terminalId) throws InterruptedException;

    /**
     * Kills the command (and what it started); the terminal stays, so its output and exit status can still be read.
     *
     * @param sessionId  the agent's session
     * @param terminalId the terminal
     */
    void kill(String sessionId, String terminalId);

    /**
     * Kills the command if it still runs and forgets the terminal: its id is unknown from now on.
     *
     * @param sessionId  the agent's session
     * @param terminalId the terminal
     */
    void release(String sessionId, String terminalId);

    /**
     * Releases every terminal of {@code sessionId}. Never throws.
     *
     * @param sessionId the agent's session, which has ended
     */
    void releaseAll(String sessionId);

    /** Releases every terminal of every session. Idempotent; never throws. */
    @Override
    void close();

    /**
     * A {@code terminal/create} request.
     *
     * @param command         the program (or, where the host allows a shell, a command line)
     * @param args            its arguments
     * @param env             variables laid over the host's environment
     * @param cwd             an absolute working directory, or {@code null} for the implementation's default
     * @param outputByteLimit the most output bytes to keep (the oldest are dropped, at a character boundary), or
     *                        {@code null} for the implementation's default
     */
    record TerminalRequest(String command, List<String> args, Map<String, String> env, String cwd,
                           Long outputByteLimit) {
        /**
         * Checks and copies.
         *
         * @throws IllegalArgumentException if {@code outputByteLimit} is negative
         */
        public TerminalRequest {
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args);
            env = Map.copyOf(env);
            if (outputByteLimit != null && outputByteLimit < 0) {
                throw new IllegalArgumentException("outputByteLimit must not be negative: " + outputByteLimit);
            }
        }
    }

    /**
     * What {@code terminal/output} answers.
     *
     * @param output     the output kept, as text
     * @param truncated  whether older output was dropped to stay within the byte limit
     * @param exitStatus how the command ended, or {@code null} while it runs
     */
    record TerminalOutput(String output, boolean truncated, ExitStatus exitStatus) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if {@code output} is {@code null}
         */
        public TerminalOutput {
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * How a command ended.
     *
     * @param exitCode its exit code, or {@code null} when a signal ended it
     * @param signal   the signal's name ({@code "SIGKILL"}), or {@code null} when it exited
     */
    record ExitStatus(Integer exitCode, String signal) {
    }
}
