package dev.weft.cli;

import dev.weft.auth.AuthorizationException;
import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.ProtocolViolationException;
import dev.weft.jsonrpc.RpcException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.UnsupportedProtocolVersionException;
import dev.weft.transport.ProcessExitedException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The one place that turns a failed MCP exchange into what the user sees: a line on standard error that says what was
 * attempted and what went wrong, the server's standard error when its process ended, and an exit status. The outcome
 * decides, by exception type, never by message text.
 */
final class Failures {
    /** How many of the last lines of a dead server's standard error to show. */
    static final int STDERR_LINES = 20;

    private Failures() {}

    /**
     * Reports {@code failure} of command {@code command} on {@code err} and returns the exit status it maps to.
     *
     * @throws RuntimeException {@code failure} itself when it is not an outcome of talking to a server (a bug)
     */
    static int report(String command, RuntimeException failure, PrintStream err) {
        return report(command, "server", failure, err);
    }

    /** Like {@link #report(String, RuntimeException, PrintStream)}, naming the peer {@code peer} ("agent"). */
    static int report(String command, String peer, RuntimeException failure, PrintStream err) {
        String prefix = "weft " + command + ": ";
        switch (failure) {
            case PeerErrorException e -> {
                err.println(prefix + "the " + peer + " answered " + e.method() + " with error " + e.code() + ": "
                        + e.error().message() + (e.error().data() == null ? "" : " " + Json.compact(e.error().data())));
                return Main.PEER_ERROR;
            }
            case CallTimeoutException e -> {
                err.println(prefix + "no answer to " + e.method() + " within " + Durations.format(e.timeout())
                        + " from " + e.transport());
                return Main.TIMEOUT;
            }
            case TransportClosedException e -> {
                err.println(prefix + "the connection to the " + peer + " ended" + during(e) + ": " + reason(e.getCause()));
                stderrTail(e, peer, err);
                return Main.TRANSPORT;
            }
            case ExchangeFailedException e when e.getCause() instanceof AuthorizationException auth -> {
                err.println(prefix + "authorization for " + e.method() + " on " + e.transport() + " failed: "
                        + reason(auth));
                return Main.TRANSPORT;
            }
            case ExchangeFailedException e -> {
                err.println(prefix + e.method() + " failed on " + e.transport() + ": " + reason(e.getCause()));
                return Main.TRANSPORT;
            }
            case ProtocolViolationException e -> {
                err.println(prefix + "the " + peer + " broke the protocol: " + e.getMessage());
                return Main.TRANSPORT;
            }
            case CallCancelledException e -> {
                err.println(prefix + "interrupted: " + e.getMessage());
                return Main.TRANSPORT;
            }
            case UnsupportedProtocolVersionException e -> {
                err.println(prefix + e.getMessage());
                return Main.TRANSPORT;
            }
            default -> throw failure;
        }
    }

    /** Reports a server that could not be started or reached at all. */
    static int cannotConnect(String command, IOException failure, PrintStream err) {
        err.println("weft " + command + ": " + reason(failure));
        return Main.TRANSPORT;
    }

    private static String during(RpcException e) {
        return e.method() == null ? "" : " during " + e.method();
    }

    /** The cause's message on one line (an HTTP error's body excerpt may span several). */
    private static String reason(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        String message = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.toString()
                : cause.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The last lines of the server's standard error, when the transport ended because its process did. */
    private static void stderrTail(Throwable failure, String peer, PrintStream err) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProcessExitedException exited) {
                List<String> lines = exited.stderrTail().strip().lines().toList();
                if (lines.isEmpty()) {
                    err.println("(the " + peer + " wrote nothing to its standard error)");
                    return;
                }
                List<String> last = lines.subList(Math.max(0, lines.size() - STDERR_LINES), lines.size());
                err.println("--- the " + peer + "'s standard error" + (last.size() < lines.size()
                        ? ", last " + last.size() + " lines" : "") + " ---");
                last.forEach(err::println);
                err.println("---");
                return;
            }
        }
    }
}
