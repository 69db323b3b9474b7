package dev.weft.cli;

import dev.weft.cli.Main.Command;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.Tool;
import dev.weft.server.McpServer;
import dev.weft.transport.ProcessExitedException;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code weft serve --demo} (serves the {@link DemoServer} toolset over standard input and output) and {@code weft
 * demo} (starts that server as a child process and runs a short scripted session against it: a call, progress, a
 * tool's error, a crash in the middle of a call that fails at once with its cause, and a fresh session).
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
                new Command("serve", "Serve the built-in demo toolset over stdin and stdout (--demo)",
                        DemoCommands::serve, List.of()));
    }

    // ---- weft serve --------------------------------------------------------------------------------------------------

    private static final String SERVE_USAGE = "Usage: weft serve --demo";
    private static final String SERVE_HELP = SERVE_USAGE + """


            Serves the built-in demo toolset as an MCP server over standard input and output, for the client that
            started this process, until that client closes its end. Its tools: echo {message}, slow {steps} (reports
            progress, 100 ms a step), fail {reason} (an error result) and crash {afterMillis} (ends the server in the
            middle of the call with SIGKILL, as a crash would). Standard output carries nothing but protocol messages; logs go to
            standard error.
            """;

    private static int serve(List<String> args, Io io) {
        if (Syntax.wantsHelp(args)) {
            io.out().print(SERVE_HELP);
            return Main.OK;
        }
        if (!args.equals(List.of("--demo"))) {
            io.err().println("weft serve: " + (args.isEmpty() ? "missing --demo (the only toolset there is)"
                    : "unexpected argument '" + args.stream().filter(a -> !a.equals("--demo")).findFirst()
                    .orElse("--demo") + "'"));
            io.err().println(SERVE_USAGE);
            return Main.USAGE;
        }
        McpServer server = DemoServer.build(Main.weftVersion());
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

    // ---- weft demo -----------------------------------------------------------------------------------------------------

    private static final String DEMO_HELP = """
            Usage: weft demo

            Starts the demo MCP server (weft serve --demo) as a child process and runs a short session against it,
            narrating each step: the handshake, a call, a slow call with progress, a tool's error, then a call during
            which the server crashes, which fails at once with the server's exit status and last words, and a fresh
            session with a new server process.
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
        out.println("weft demo: a session with Weft's demo MCP server, run as a child process:");
        out.println("  " + String.join(" ", shortened(server)));
        out.println();
        try {
            try (McpSession session = open(server, out, 1)) {
                List<Tool> tools = session.listTools();
                out.println("2. Its tools: " + tools.stream().map(Tool::name).collect(Collectors.joining(", ")));
                long start = System.nanoTime();
                CallToolResult echo = session.callTool("echo", Map.of("message", "hello from weft"));
                out.println("3. echo → " + echo.text() + " (" + millis(start) + ")");
                out.println("4. slow, 5 steps, with progress:");
                ProgressLine progress = new ProgressLine(out, false);
                start = System.nanoTime();
                CallToolResult slow = session.callTool("slow", Map.of("steps", 5), RequestOptions.DEFAULT
                        .withProgress(p -> {
                            out.print("     ");
                            progress.show(p);
                        }));
                out.println("   → " + slow.text() + " (" + millis(start) + ")");
                CallToolResult failed = session.callTool("fail", Map.of("reason", "the disk is full"));
                out.println("5. fail → the tool reported an error (isError): " + failed.text());
                out.println("6. crash: the server kills itself (SIGKILL) " + CRASH_AFTER_MILLIS + " ms into the call:");
                crash(session, out);
            }
            out.println();
            try (McpSession fresh = open(server, out, 7)) {
                out.println("   echo → " + fresh.callTool("echo", Map.of("message", "hello again")).text());
            }
            out.println();
            out.println("Done: every call ended, the crashed one at once with its cause; no process was left behind.");
            return Main.OK;
        } catch (IOException e) {
            return Failures.cannotConnect("demo", e, io.err());
        } catch (RuntimeException e) {
            return Failures.report("demo", e, io.err());
        }
    }

    private static McpSession open(List<String> server, PrintStream out, int step) throws IOException {
        long start = System.nanoTime();
        StdioTransport transport = StdioTransport.spawn(ProcessSpec.of(server.toArray(String[]::new)));
        serverPid = transport.pid().orElse(-1);
        McpSession session = McpSession.open(transport, McpClientOptions.defaults().withThreadName("weft-demo"));
        out.println(step + ". " + (step == 1 ? "Connected" : "A fresh session with a new server process: connected")
                + " to " + session.serverInfo().name() + " " + session.serverInfo().version() + ", protocol "
                + session.protocolVersion() + ", in " + millis(start));
        return session;
    }

    private static void crash(McpSession session, PrintStream out) {
        long start = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong exitedAt = new java.util.concurrent.atomic.AtomicLong();
        ProcessHandle.of(serverPid).ifPresent(p -> p.onExit().thenRun(() -> exitedAt.set(System.nanoTime())));
        ProgressLine progress = new ProgressLine(out, false);
        try {
            session.callTool("crash", Map.of("afterMillis", CRASH_AFTER_MILLIS), RequestOptions.DEFAULT
                    .withProgress(p -> {
                        out.print("     ");
                        progress.show(p);
                    }));
            out.println("   → the call returned, which it should not have");
        } catch (TransportClosedException e) {
            long failedAt = System.nanoTime();
            long exitNanos = exitedAt.get();
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
