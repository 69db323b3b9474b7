package dev.weft.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cli.Main.Command;
import dev.weft.cli.Syntax.Option;
import dev.weft.jsonrpc.PeerErrorException;
import dev.weft.jsonrpc.RpcError;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.PromptResult;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceContents;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.Tool;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MCP client commands: {@code tools list|call}, {@code resources list|read}, {@code prompts list|get} and
 * {@code ping}. Each parses its arguments ({@link Syntax}), runs one session with the server on the calling thread
 * ({@link SessionRunner}), and prints the result to {@code out}: readable text ({@link Render}), or with
 * {@code --json} one JSON document in the shape of the MCP result.
 */
final class McpCommands {

    private static final Set<Option> JSON_ONLY = Set.of(Option.TIMEOUT, Option.JSON);
    private static final Set<Option> WITH_ARGS = Set.of(Option.ARGS, Option.TIMEOUT, Option.JSON);

    static final Syntax TOOLS_LIST = new Syntax("tools list", List.of(), JSON_ONLY, "List the server's tools", """
            Lists the tools the server offers: each tool's name and the first line of its description, then the names
            of its arguments, * marking the required ones. With --json, prints {"tools": [...]}: every tool as the
            server describes it, input schema included.""");
    static final Syntax TOOLS_CALL = new Syntax("tools call", List.of("NAME"), WITH_ARGS,
            "Call a tool and print its result", """
            Calls the tool NAME with the arguments given by --args (none if absent) and prints its result: text as
            text, images and audio as one line such as [image image/png, 1234 bytes], resource links and embedded
            resources as one line each, then the structured content, if any, as indented JSON. With --json, prints
            the result as one JSON document: {"content": [...], "structuredContent": ..., "isError": ...}.

            While the call runs, the server's progress updates show on standard error. When the tool reports an
            error (isError), its content is printed all the same and the exit status is 1.""");
    static final Syntax RESOURCES_LIST = new Syntax("resources list", List.of(), JSON_ONLY,
            "List the server's resources and resource templates", """
            Lists the resources the server offers (URI, name, MIME type and the first line of the description), then
            its resource templates. With --json, prints {"resources": [...], "resourceTemplates": [...]}.""");
    static final Syntax RESOURCES_READ = new Syntax("resources read", List.of("URI"), JSON_ONLY,
            "Read a resource and print its contents", """
            Reads the resource URI and prints its contents: text as text, binary contents as one line such as
            [blob image/png, 1234 bytes]. With --json, prints {"contents": [...]}, binary data in base64.""");
    static final Syntax PROMPTS_LIST = new Syntax("prompts list", List.of(), JSON_ONLY, "List the server's prompts",
            """
            Lists the prompts the server offers: each prompt's name and the first line of its description, then the
            names of its arguments, * marking the required ones. With --json, prints {"prompts": [...]}.""");
    static final Syntax PROMPTS_GET = new Syntax("prompts get", List.of("NAME"), WITH_ARGS,
            "Get a prompt with its arguments filled in", """
            Gets the prompt NAME with the arguments given by --args, a JSON object whose values are strings (numbers
            and booleans are sent as their text), and prints its description and its messages, each under a line
            naming its role. With --json, prints the result: {"description": ..., "messages": [...]}.""");
    static final Syntax PING = new Syntax("ping", List.of(), JSON_ONLY, "Ping the server and show the round trip time",
            """
            Connects, sends one ping, and prints the server's name and version and the round trip time of the ping
            (the connection and the handshake not included). With --json, prints {"server": {...},
            "protocolVersion": ..., "roundTripMillis": ...}.""");

    private McpCommands() {}

    /** The commands, as the top-level table lists them. */
    static List<Command> commands() {
        return List.of(
                Main.group("tools", "Work with the server's tools", List.of(
                        command(TOOLS_LIST, "list", McpCommands::toolsList),
                        command(TOOLS_CALL, "call", McpCommands::toolsCall))),
                Main.group("resources", "Work with the server's resources", List.of(
                        command(RESOURCES_LIST, "list", McpCommands::resourcesList),
                        command(RESOURCES_READ, "read", McpCommands::resourcesRead))),
                Main.group("prompts", "Work with the server's prompts", List.of(
                        command(PROMPTS_LIST, "list", McpCommands::promptsList),
                        command(PROMPTS_GET, "get", McpCommands::promptsGet))),
                command(PING, "ping", McpCommands::ping));
    }

    /** What a command does with its parsed arguments. */
    @FunctionalInterface
    private interface Action {
        int run(Syntax syntax, McpArgs args, Io io) throws UsageException;
    }

    private static Command command(Syntax syntax, String word, Action action) {
        return new Command(word, syntax.summary(), (args, io) -> {
            if (Syntax.wantsHelp(args)) {
                io.out().print(syntax.help());
                return Main.OK;
            }
            try {
                return action.run(syntax, syntax.parse(args), io);
            } catch (UsageException e) {
                io.err().println("weft " + syntax.name() + ": " + e.getMessage());
                io.err().println("Usage: " + syntax.usage());
                return Main.USAGE;
            }
        }, List.of());
    }

    // ---- the commands; each runs on the calling thread, and so do the session's progress callbacks ----------------

    private static int toolsList(Syntax syntax, McpArgs args, Io io) {
        return SessionRunner.run(syntax, args, io, session -> {
            List<Tool> tools = session.serverCapabilities().tools() ? session.listTools() : none(syntax, io, "tools");
            if (args.json()) {
                Json.print(io.out(), Json.object().set("tools", Json.tree(tools)));
            } else {
                Render.tools(tools, io.out());
            }
            return Main.OK;
        });
    }

    private static int toolsCall(Syntax syntax, McpArgs args, Io io) {
        String name = args.operand();
        return SessionRunner.run(syntax, args, io, session -> {
            ProgressLine progress = new ProgressLine(io.err(), io.errIsTerminal());
            CallToolResult result;
            try {
                RequestOptions options = RequestOptions.DEFAULT.withProgress(progress::show);
                if (args.timeout() != null) {
                    options = options.withTimeout(args.timeout());
                }
                result = session.callTool(name, args.arguments(), options);
            } finally {
                progress.end();
            }
            if (args.json()) {
                Json.print(io.out(), Json.tree(result));
            } else {
                Render.callResult(result, io.out());
            }
            if (result.isError()) {
                io.err().println("weft " + syntax.name() + ": the tool " + name + " reported an error");
                return Main.TOOL_ERROR;
            }
            return Main.OK;
        });
    }

    private static int resourcesList(Syntax syntax, McpArgs args, Io io) {
        return SessionRunner.run(syntax, args, io, session -> {
            boolean offered = session.serverCapabilities().resources();
            List<Resource> resources = offered ? session.listResources() : none(syntax, io, "resources");
            List<ResourceTemplate> templates = offered ? templates(session) : List.of();
            if (args.json()) {
                ObjectNode document = Json.object();
                document.set("resources", Json.tree(resources));
                document.set("resourceTemplates", Json.tree(templates));
                Json.print(io.out(), document);
            } else {
                Render.resources(resources, templates, io.out());
            }
            return Main.OK;
        });
    }

    /** The resource templates; none when the server does not know the method (templates are optional). */
    private static List<ResourceTemplate> templates(McpSession session) {
        try {
            return session.listResourceTemplates();
        } catch (PeerErrorException e) {
            if (e.code() == RpcError.METHOD_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    private static int resourcesRead(Syntax syntax, McpArgs args, Io io) {
        String uri = args.operand();
        return SessionRunner.run(syntax, args, io, session -> {
            List<ResourceContents> contents = session.readResource(uri);
            if (args.json()) {
                Json.print(io.out(), Json.object().set("contents", Json.tree(contents)));
            } else {
                Render.contents(contents, io.out());
            }
            return Main.OK;
        });
    }

    private static int promptsList(Syntax syntax, McpArgs args, Io io) {
        return SessionRunner.run(syntax, args, io, session -> {
            List<Prompt> prompts = session.serverCapabilities().prompts() ? session.listPrompts()
                    : none(syntax, io, "prompts");
            if (args.json()) {
                Json.print(io.out(), Json.object().set("prompts", Json.tree(prompts)));
            } else {
                Render.prompts(prompts, io.out());
            }
            return Main.OK;
        });
    }

    private static int promptsGet(Syntax syntax, McpArgs args, Io io) throws UsageException {
        String name = args.operand();
        Map<String, String> arguments = args.arguments() == null ? null
                : Json.stringMembers(args.arguments(), Option.ARGS.flag);
        return SessionRunner.run(syntax, args, io, session -> {
            PromptResult result = session.getPrompt(name, arguments);
            if (args.json()) {
                Json.print(io.out(), Json.tree(result));
            } else {
                Render.promptResult(result, io.out());
            }
            return Main.OK;
        });
    }

    private static int ping(Syntax syntax, McpArgs args, Io io) {
        return SessionRunner.run(syntax, args, io, session -> {
            long start = System.nanoTime();
            session.ping();
            double millis = (System.nanoTime() - start) / 1e6;
            Implementation server = session.serverInfo();
            if (args.json()) {
                ObjectNode document = Json.object();
                document.set("server", Json.tree(server));
                document.put("protocolVersion", session.protocolVersion());
                document.put("roundTripMillis", Math.round(millis * 1000) / 1000.0);
                Json.print(io.out(), document);
            } else {
                io.out().printf(Locale.ROOT, "pong from %s %s in %.3f ms%n", server.name(),
                        server.version(), millis);
            }
            return Main.OK;
        });
    }

    /** Says on standard error that the server offers none of {@code what}, and returns an empty list. */
    private static <T> List<T> none(Syntax syntax, Io io, String what) {
        io.err().println("weft " + syntax.name() + ": the server offers no " + what);
        return List.of();
    }
}
