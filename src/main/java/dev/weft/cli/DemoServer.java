package dev.weft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.LogLevel;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.Tool;
import dev.weft.mcp.ToolAnnotations;
import dev.weft.server.McpServer;
import java.time.Duration;

/**
 * The built-in demo toolset of {@code weft serve --demo}: {@code echo}, {@code slow} (reports progress while it works),
 * {@code fail} (a tool that reports an error), and {@code crash} (ends the server process mid-call, to show a client
 * failing at once with the cause). The crash is this class's business alone: it is a command-line demo, not library
 * behaviour.
 */
final class DemoServer {
    /** The exit status of a server the {@code crash} tool ended, where it cannot kill itself with a signal. */
    static final int CRASH_STATUS = 70;

    private DemoServer() {}

    static McpServer build(String version) {
        return McpServer.builder("weft-demo", version).title("Weft demo server")
                .instructions("A demo toolset: echo, slow (with progress), fail (an error result), crash (ends the"
                        + " server mid-call).")
                .tool(tool("echo", "Echoes its message", "message", "string", "What to echo", true),
                        (args, ctx) -> CallToolResult.text(args.path("message").asText("")))
                .tool(tool("slow", "Works for a while, reporting progress", "steps", "integer",
                                "How many steps of 100 ms (default 5)", true),
                        (args, ctx) -> {
                            int steps = Math.clamp(args.path("steps").asInt(5), 1, 600);
                            for (int i = 1; i <= steps; i++) {
                                Thread.sleep(Duration.ofMillis(100)); // the work; a cancel interrupts it
                                ctx.progress(i, (double) steps, "step " + i + " of " + steps);
                            }
                            ctx.log(LogLevel.INFO, "slow", "done after " + steps + " steps");
                            return CallToolResult.text("done after " + steps + " steps");
                        })
                .tool(tool("fail", "Reports an error, as a tool does when it cannot do its job", "reason", "string",
                                "What went wrong", true),
                        (args, ctx) -> CallToolResult.error("failed: " + args.path("reason").asText("no reason")))
                .tool(tool("crash", "Kills the server process (SIGKILL) in the middle of the call", "afterMillis", "integer",
                                "How long to work before the crash (default 300)", false),
                        (args, ctx) -> {
                            long after = Math.clamp(args.path("afterMillis").asLong(300), 0, 60_000);
                            ctx.progress(0, 1.0, "working; the server will crash in " + after + " ms");
                            Thread.sleep(Duration.ofMillis(after));
                            System.err.println("weft-demo: crashing on purpose in the middle of a call");
                            System.err.flush();
                            crash();
                            return null;
                        })
                .build();
    }

    /**
     * Dies as a crashing server does: {@code SIGKILL} to itself (the way the kernel's out-of-memory killer ends a
     * process), so nothing of the JVM's orderly exit runs; where that is not possible, {@link Runtime#halt}. (Halting
     * alone would take 300 ms here: a JVM waits that long at exit for threads blocked in native reads, such as the
     * one reading standard input.)
     */
    private static void crash() throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor(); // if it worked, this process is gone before the wait returns
        } catch (java.io.IOException e) {
            // no kill command here: halt instead
        }
        Runtime.getRuntime().halt(CRASH_STATUS);
    }

    private static Tool tool(String name, String description, String argument, String type, String about,
                             boolean readOnly) {
        ObjectNode schema = McpProtocol.mapper().createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(argument).put("type", type).put("description", about);
        return new Tool(name, null, description, schema, null,
                new ToolAnnotations(null, readOnly, !readOnly, readOnly, false), null, null, null);
    }
}
