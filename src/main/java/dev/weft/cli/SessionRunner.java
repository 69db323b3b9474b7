package dev.weft.cli;

import dev.weft.jsonrpc.Transport;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one command's work in an MCP session: connects, opens the session, runs the work on the calling thread, and
 * always closes the session, which stops the server process, on every path: success, failure, and the end of the JVM
 * (Ctrl-C), through a shutdown hook that lives only while the session does. Failures of the exchange become an exit
 * status through {@link Failures}.
 */
final class SessionRunner {

    /** The work of a command, given an open session; runs on the thread that runs the command. */
    @FunctionalInterface
    interface Work {
        /** Returns the exit status; throws the session's failures, which the runner reports. */
        int run(McpSession session);
    }

    private SessionRunner() {}

    /**
     * Runs {@code work} in a session with the server {@code args} name, and returns its exit status, or that of the
     * failure: {@value Main#TRANSPORT}, {@value Main#TIMEOUT} or {@value Main#PEER_ERROR}. Blocks the calling thread
     * until the work is done and the session closed.
     */
    static int run(Syntax syntax, McpArgs args, Io io, Work work) {
        McpClientOptions options = McpClientOptions.defaults().withThreadName("weft-cli");
        if (args.timeout() != null) {
            options = options.withRequestTimeout(args.timeout());
        }
        Target.Opened opened;
        try {
            opened = args.target().open(io.err());
        } catch (IOException e) {
            return Failures.cannotConnect(syntax.name(), e, io.err());
        }
        try {
            return run(syntax, opened.transport(), options, io, work);
        } finally {
            closeQuietly(opened.resources());
        }
    }

    private static int run(Syntax syntax, Transport transport, McpClientOptions options, Io io, Work work) {
        // What the hook closes: the transport while the handshake runs, then the session. Both closes are idempotent
        // and safe from any thread, so the hook and this thread may both close without coordinating.
        AtomicReference<AutoCloseable> open = new AtomicReference<>(transport);
        Thread hook = new Thread(() -> closeQuietly(open.get()), "weft-cli-close-on-exit");
        boolean hooked = addHook(hook);
        try {
            McpSession session = McpSession.open(transport, options); // closes the transport when it fails
            open.set(session);
            try {
                return work.run(session);
            } finally {
                session.close();
            }
        } catch (RuntimeException e) {
            return Failures.report(syntax.name(), e, io.err());
        } finally {
            if (hooked) {
                removeHook(hook);
            }
        }
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // the JVM is shutting down already; the finally blocks close the session
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) and closes what this thread closed already
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // the JVM is ending; there is no one left to tell
        }
    }
}
