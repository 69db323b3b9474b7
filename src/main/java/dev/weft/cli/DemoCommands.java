package dev.weft.cli;

import dev.weft.cli.Main.Command;
import dev.weft.conversation.Conversation;
import dev.weft.conversation.ConversationEvent;
import dev.weft.conversation.ConversationOptions;
import dev.weft.conversation.ToolCallFailedException;
import dev.weft.conversation.Turn;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Tool;
import dev.weft.pool.SessionCreationException;
import dev.weft.pool.SessionFactory;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import dev.weft.server.McpServer;
import dev.weft.transport.HttpServerSpec;
import dev.weft.transport.ProcessExitedException;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code weft serve --demo [--http HOST:PORT]} (serves the {@link DemoServer} toolset over standard input and output,
 * or over Streamable HTTP) and {@code weft demo} (starts that server as a child process through a session pool and
 * runs a short scripted conversation against it: a call, progress, a tool's error, a crash in the middle of a call that
 * fails at once with its cause, and the next call on a fresh session that the pool makes).
 */
final class DemoCommands {
    private static final long CRASH_AFTER_MILLIS = 300;
    /** The pid of the demo server of the session last opened; the demo runs on one thread. */
    private static long serverPid = -1;

    private DemoCommands() {}

    static List<Command> commands() {
        return List.of(
                new Command("demo", "Run a scripted session against the demo server, crash included", DemoCommands::demo,
                        List.of()),
                new Command("serve", "Serve the built-in demo toolset over stdio or Streamable HTTP (--demo)",
                        DemoCommands::serve, List.of()));
    }

    // ---- weft serve --------------------------------------------------------------------------------------------------

    private static final String SERVE_USAGE = "Usage: weft serve --demo [--http HOST:PORT]";
    private static final String SERVE_HELP = SERVE_USAGE + """


            Serves the built-in demo toolset as an MCP server. Its tools: echo {message}, slow {steps} (reports
            progress, 100 ms a step), fail {reason} (an error result) and crash {afterMillis} (kills the server in the
            middle of the call with SIGKILL, as a crash would).

            Without --http it serves the client that started this process, over standard input and output, until that
            client closes its end; standard output then carries nothing but protocol messages, and logs go to standard
            error. With --http HOST:PORT it serves any number of clients over Streamable HTTP at http://HOST:PORT/mcp
            (PORT 0 picks a free port; the first line on standard output is the endpoint's URL) until stopped with
            Ctrl-C. A loopback HOST such as 127.0.0.1 accepts only requests whose Host and Origin are local, against
            DNS rebinding.
            """;

    private static int serve(List<String> args, Io io) {
        if (Syntax.wantsHelp(args)) {
            io.out().print(SERVE_HELP);
            return Main.OK;
        }
        String http = null;
        boolean demo = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--demo")) {
                demo = true;
            } else if (arg.equals("--http") && i + 1 < args.size()) {
                http = args.get(++i);
            } else {
                return serveUsage(io, arg.equals("--http") ? "--http needs HOST:PORT"
                        : "unexpected argument '" + arg + "'");
            }
        }
        if (!demo) {
            return serveUsage(io, "missing --demo (the only toolset there is)");
        }
        HttpServerSpec spec = null;
        if (http != null) {
            int colon = http.lastIndexOf(':');
            try {
                spec = HttpServerSpec.loopback().withHost(http.substring(0, Math.max(0, colon)))
                        .withPort(Integer.parseInt(http.substring(colon + 1)));
            } catch (RuntimeException e) {
                return serveUsage(io, "--http wants HOST:PORT, such as 127.0.0.1:3000, got '" + http + "'");
            }
        }
        McpServer server = DemoServer.build(Main.weftVersion());
        return spec == null ? serveStdio(server) : serveHttp(server, spec, io);
    }

    private static int serveUsage(Io io, String reason) {
        io.err().println("weft serve: " + reason);
        io.err().println(SERVE_USAGE);
        return Main.USAGE;
    }

    private static int serveStdio(McpServer server) {
        PrintStream stdout = System.out;
        System.setOut(System.err); // nothing but protocol frames on standard output, whatever else prints
        try {
            server.serveStdio();
            return Main.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.OK;
        } finally {
            server.close();
            System.setOut(stdout);
        }
    }

    private static int serveHttp(McpServer server, HttpServerSpec spec, Io io) {
        StreamableHttpServer http;
        try {
            http = server.serveHttp(spec);
        } catch (IOException | RuntimeException e) {
            io.err().println("weft serve: cannot serve at " + spec.host() + ":" + spec.port() + ": " + e.getMessage());
            return Main.TRANSPORT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            http.close();
            server.close();
            stopped.countDown();
        }, "weft-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        io.out().println(http.uri());
        io.out().flush();
        io.err().println("weft serve: the demo toolset at " + http.uri() + "; Ctrl-C stops it");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.close();
            server.close();
        }
        return Main.OK;
    }

    // ---- weft demo -----------------------------------------------------------------------------------------------------

    private static final String DEMO_HELP = """
            Usage: weft demo

            Starts the demo MCP server (weft serve --demo) as a child process through a session pool and runs a short
            conversation against it, narrating each step: the handshake, a call, a slow call with progress (shown by
            the conversation's listener, on the conversation's own thread), a tool's error, then a call during which
            the server crashes, which fails at once with the server's exit status and last words, and the next call,
            for which the pool makes a fresh session with a new server process.
            """;

    private static int demo(List<String> args, Io io) {
        if (Syntax.wantsHelp(args)) {
            io.out().print(DEMO_HELP);
            return Main.OK;
        }
        if (!args.isEmpty()) {
            io.err().println("weft demo: takes no arguments, got '" + args.getFirst() + "'");
            io.err().println("Usage: weft demo");
            return Main.USAGE;
        }
        PrintStream out = io.out();
        List<String> server = serverCommand();
        TransportKey key = TransportKey.stdio(server);
        out.println("weft demo: a conversation with Weft's demo MCP server, run as a child process by a session pool:");
        out.println("  " + String.join(" ", shortened(server)));
        out.println();
        ProgressLine progress = new ProgressLine(out, false);
        SessionFactory recordingPids = (stdioKey, options) -> {
            StdioTransport transport = StdioTransport.spawn(((TransportKey.Stdio) stdioKey).processSpec());
            serverPid = transport.pid().orElse(-1);
            return McpSession.open(transport, options);
        };
        try (SessionPool pool = SessionPool.open(SessionPoolOptions.defaults().withFactory(recordingPids)
                .withClientOptions(McpClientOptions.defaults().withThreadName("weft-demo")));
             Conversation conversation = Conversation.open(pool, ConversationOptions.defaults()
                     .withName("weft-demo-conversation")
                     .withListener(event -> {
                         if (event instanceof ConversationEvent.ToolCallProgress p) {
                             out.print("     ");
                             progress.show(p.progress());
                         }
                     }))) {
            McpSession first = connect(pool, key, out, 1);
            conversation.run(turn -> {
                List<Tool> tools = turn.listTools(key);
                out.println("2. Its tools: " + tools.stream().map(Tool::name).collect(Collectors.joining(", ")));
                long start = System.nanoTime();
                CallToolResult echo = turn.callTool(key, "echo", Map.of("message", "hello from weft"));
                out.println("3. echo → " + echo.text() + " (" + millis(start) + ")");
                out.println("4. slow, 5 steps, with progress:");
                start = System.nanoTime();
                CallToolResult slow = turn.callTool(key, "slow", Map.of("steps", 5));
                out.println("   → " + slow.text() + " (" + millis(start) + ")");
                CallToolResult failed = turn.callTool(key, "fail", Map.of("reason", "the disk is full"));
                out.println("5. fail → the tool reported an error (isError): " + failed.text());
                out.println("6. crash: the server kills itself (SIGKILL) " + CRASH_AFTER_MILLIS
                        + " ms into the call:");
                crash(turn, key, first, out);
                return null;
            });
            out.println();
            McpSession fresh = connect(pool, key, out, 7);
            String again = conversation.run(turn -> turn.callTool(key, "echo", Map.of("message", "hello again"))
                    .text());
            out.println("   echo → " + again + (fresh != first ? " (the pool replaced the dead session)" : ""));
            out.println();
            out.println("Done: every call ended, the crashed one at once with its cause; no process was left behind.");
            return Main.OK;
        } catch (SessionCreationException e) {
            return Failures.cannotConnect("demo", e.getCause() instanceof IOException io2 ? io2
                    : new IOException(e.getMessage(), e), io.err());
        } catch (RuntimeException e) {
            return Failures.report("demo", e, io.err());
        }
    }

    /** The pool's session for {@code key}: made now, by this call, unless it is alive. */
    private static McpSession connect(SessionPool pool, TransportKey key, PrintStream out, int step) {
        long start = System.nanoTime();
        McpSession session = pool.session(key);
        out.println(step + ". " + (step == 1 ? "Connected" : "A fresh session with a new server process: connected")
                + " to " + session.serverInfo().name() + " " + session.serverInfo().version() + ", protocol "
                + session.protocolVersion() + ", in " + millis(start));
        return session;
    }

    private static void crash(Turn.Context turn, TransportKey key, McpSession session, PrintStream out) {
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong exitedAt = new java.util.concurrent.atomic.AtomicLong();
        ProcessHandle.of(serverPid).ifPresent(p -> p.onExit().thenRun(() -> exitedAt.set(System.nanoTime())));
        try {
            turn.callTool(key, "crash", Map.of("afterMillis", CRASH_AFTER_MILLIS));
            out.println("   → the call returned, which it should not have");
        } catch (ToolCallFailedException failure) {
            long failedAt = System.nanoTime();
            long exitNanos = exitedAt.get();
            RuntimeException e = (RuntimeException) failure.getCause();
            out.println("   → the call failed " + TimeUnit.NANOSECONDS.toMillis(failedAt - start)
                    + " ms after it started, " + (exitNanos == 0 ? "as the server process ended:"
                    : String.format(java.util.Locale.ROOT, "%.1f ms after the server process ended:",
                    Math.max(0, failedAt - exitNanos) / 1e6)));
            out.println("     " + e.getClass().getSimpleName() + ": " + e.getMessage());
            if (e.getCause() instanceof ProcessExitedException exited) {
                out.println("     cause: the server exited"
                        + (exited.exitCode().isPresent() ? " with status " + exited.exitCode().getAsInt() : ""));
                String tail = exited.stderrTail().strip();
                if (!tail.isEmpty()) {
                    out.println("     its last words on stderr: " + tail.lines().reduce((a, b) -> b).orElse(tail));
                }
            } else if (e.getCause() != null) {
                out.println("     cause: " + e.getCause());
            }
            out.println("   later calls on that session fail at once too: " + laterCall(session));
        }
    }

    private static String laterCall(McpSession session) {
        long start = System.nanoTime();
        try {
            session.ping();
            return "ping answered (unexpected)";
        } catch (TransportClosedException e) {
            return "ping failed in " + millis(start);
        }
    }

    /** How to start this very program as the demo server: the same JVM and class path, {@code serve --demo}. */
    static List<String> serverCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("serve");
        command.add("--demo");
        return command;
    }

    /** The command with a long class path shortened, for display. */
    private static List<String> shortened(List<String> command) {
        return command.stream().map(a -> a.length() > 60 ? a.substring(0, 28) + "…" + a.substring(a.length() - 28)
                : a).toList();
    }

    private static String millis(long startNanos) {
        double ms = (System.nanoTime() - startNanos) / 1e6;
        return ms < 10 ? String.format(java.util.Locale.ROOT, "%.1f ms", ms) : Math.round(ms) + " ms";
    }
}
