package dev.weft.bench.acp;

import java.nio.file.Path;
import java.util.List;

/**
 * One ACP client under test in the ACP client benchmark: Weft's ({@code WeftAcpSide}) or acp-core's
 * ({@code SdkAcpSide}). Each lives in a source tree of its own, compiled against its own class path, and runs in a JVM
 * of its own; this interface, {@link Update} and {@link AcpChild} are the only code they share, and they use nothing
 * but the JDK.
 */
public interface AcpSide {
    /** What an update is, as far as the benchmark cares. */
    enum Kind { MESSAGE, TOOL_CALL, TOOL_CALL_UPDATE, OTHER }

    /**
     * One update as the host's listener saw it.
     *
     * @param kind        what it is
     * @param text        a message chunk's text, else {@code null}
     * @param toolCallId  a tool call's or tool call update's id, else {@code null}
     * @param status      its status as the wire names it ({@code pending}, {@code completed}, ...), or {@code null}
     * @param synthesized whether the client made it up itself (Weft's terminal update of a tool call left open)
     */
    record Update(Kind kind, String text, String toolCallId, String status, boolean synthesized) {
        /** Whether this is a tool call's terminal status. */
        public boolean terminal() {
            return "completed".equals(status) || "failed".equals(status);
        }
    }

    /** The host's listener. */
    @FunctionalInterface
    interface Listener {
        void update(Update update);
    }

    /** Starts the agent {@code argv}, initializes it and opens one session working in {@code cwd}. */
    void open(List<String> argv, Path cwd) throws Exception;

    /**
     * Sends a text prompt on the session and blocks until the client says the turn has ended; every update the client
     * delivers goes to {@code listener} (on whatever thread the client runs its listener). Returns the stop reason as
     * the wire names it ({@code end_turn}, {@code cancelled}, ...).
     */
    String prompt(String text, Listener listener) throws Exception;

    /** Cancels the running prompt, as the client offers it; returns without waiting for the turn's end. Any thread. */
    void cancel() throws Exception;

    /** Closes the client: the agent's process is stopped as the client stops it. */
    void close() throws Exception;

    /** The client's defaults that decide some figures, for the log (timeouts and the like). */
    String defaults();
}
