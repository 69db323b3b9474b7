package dev.weft.cli;

import dev.weft.acp.AcpClient;
import dev.weft.acp.AcpClientOptions;
import dev.weft.acp.AcpSession;
import dev.weft.acp.PermissionHandler;
import dev.weft.acp.PermissionOption;
import dev.weft.acp.PermissionOutcome;
import dev.weft.acp.PermissionRequest;
import dev.weft.acp.ProcessTerminals;
import dev.weft.acp.PromptResult;
import dev.weft.acp.RootedFileSystem;
import dev.weft.cli.Main.Command;
import dev.weft.mcp.Content;
import dev.weft.transport.ProcessSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ACP client command: {@code weft acp prompt TEXT [--cwd DIR] [--allow | --deny | --ask] [--idle-timeout DURATION]
 * -- AGENT_CMD ARGS...}. It starts the agent, opens a session working in {@code DIR}, lets it read and write files and run commands inside
 * {@code DIR} only, sends one prompt, and streams the turn to the terminal ({@link AcpRender}). Permission requests are
 * allowed, denied, or asked of the person at the terminal. Ctrl-C cancels the turn: the agent is told, its open tool
 * calls are closed, and the command exits with {@value Main#CANCELLED}.
 *
 * <p>Runs on the calling thread; so do the rendering and the permission prompts.
 */
final class AcpCommands {
    static final String USAGE = "weft acp prompt TEXT [--cwd DIR] [--allow | --deny | --ask] "
            + "[--idle-timeout DURATION] -- AGENT_CMD ARGS...";
    private static final String HELP = """
            Usage: %s

            Starts the ACP agent AGENT_CMD with ARGS (an argument vector, not a shell line), opens a session working
            in DIR, sends TEXT as the prompt, and streams the turn: the agent's message as it comes, its thoughts, each tool
            call with its status, its plan as a checklist. Usage and the stop reason go to standard error.

            The agent may read and write files and run commands (argv, no shell), inside DIR only. Ctrl-C cancels
            the turn: the agent is told (session/cancel), every tool call still open is closed, and the exit status
            is 130.

            Options:
              --cwd DIR                The session's working directory and the root the agent is confined to
                                       (default: the current directory)
              --allow                  Allow every permission request
              --deny                   Refuse every permission request
              --ask                    Ask at the terminal (default when standard input is a terminal, else --deny)
              --idle-timeout DURATION  Cancel the turn after this long without an update (default 30m)
              -h, --help               Show this help

            %s
            """;

    /** How permission requests are answered. */
    enum Policy { ALLOW, DENY, ASK }

    /**
     * The parsed arguments.
     *
     * @param text        the prompt
     * @param cwd         the working directory and root
     * @param policy      how to answer permission requests
     * @param idleTimeout the prompt's idle timeout
     * @param agent       the agent's argv
     */
    record PromptArgs(String text, Path cwd, Policy policy, Duration idleTimeout, List<String> agent) {
        PromptArgs {
            agent = List.copyOf(agent);
        }
    }

    private AcpCommands() {}

    static List<Command> commands() {
        return List.of(Main.group("acp", "Drive a coding agent over the Agent Client Protocol", List.of(
                new Command("prompt", "Send a prompt to an ACP agent and stream its turn", AcpCommands::prompt,
                        List.of()))));
    }

    private static int prompt(List<String> args, Io io) {
        if (Syntax.wantsHelp(args)) {
            io.out().print(HELP.formatted(USAGE, Main.EXIT_STATUS));
            return Main.OK;
        }
        PromptArgs parsed;
        try {
            parsed = parse(args, Io.stdinIsTerminal() && io.in() == System.in);
        } catch (UsageException e) {
            io.err().println("weft acp prompt: " + e.getMessage());
            io.err().println("Usage: " + USAGE);
            return Main.USAGE;
        }
        return run(parsed, io);
    }

    /** Parses {@code TEXT [options] -- AGENT_CMD ARGS...}; options and the text in any order before {@code --}. */
    static PromptArgs parse(List<String> args, boolean interactive) throws UsageException {
        String text = null;
        Path cwd = Path.of("").toAbsolutePath();
        Policy policy = null;
        Duration idle = Duration.ofMinutes(30);
        int i = 0;
        for (; i < args.size() && !args.get(i).equals("--"); i++) {
            String arg = args.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--allow", "--deny", "--ask" -> {
                    if (value != null) {
                        throw new UsageException(arg + " takes no value");
                    }
                    if (policy != null) {
                        throw new UsageException("choose one of --allow, --deny and --ask");
                    }
                    policy = Policy.valueOf(arg.substring(2).toUpperCase(Locale.ROOT));
                }
                case "--cwd" -> {
                    String dir = value != null ? value : next(args, ++i, "--cwd");
                    cwd = Path.of(dir).toAbsolutePath().normalize();
                    if (!Files.isDirectory(cwd)) {
                        throw new UsageException("--cwd " + dir + " is not a directory");
                    }
                }
                case "--idle-timeout" -> {
                    String duration = value != null ? value : next(args, ++i, "--idle-timeout");
                    try {
                        idle = Durations.parse(duration);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--idle-timeout " + duration + ": " + e.getMessage());
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "'");
                    }
                    if (text != null) {
                        throw new UsageException("unexpected argument '" + arg + "' (quote the prompt as one"
                                + " argument)");
                    }
                    text = arg;
                }
            }
        }
        if (text == null) {
            throw new UsageException("missing the prompt TEXT");
        }
        if (i >= args.size() - 1) {
            throw new UsageException("missing the agent: -- AGENT_CMD ARGS...");
        }
        return new PromptArgs(text, cwd, policy != null ? policy : interactive ? Policy.ASK : Policy.DENY, idle,
                args.subList(i + 1, args.size()));
    }

    private static String next(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size() || args.get(i).equals("--")) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int run(PromptArgs args, Io io) {
        String command = "acp prompt";
        AcpRender render = new AcpRender(io.out(), io.err());
        PermissionHandler permissions = switch (args.policy()) {
            case ALLOW -> PermissionHandler.allowing();
            case DENY -> PermissionHandler.denying();
            case ASK -> new Asking(io, render);
        };
        AcpClientOptions options = AcpClientOptions.defaults().withName("weft-acp-cli")
                .withPromptIdleTimeout(args.idleTimeout()).withPermissions(permissions);
        try (ProcessTerminals terminals = ProcessTerminals.open(ProcessTerminals.Options.defaults()
                .withRoot(args.cwd()))) {
            options = options.withFileSystem(RootedFileSystem.of(args.cwd())).withTerminals(terminals);
            AcpClient client;
            try {
                // The agent runs where weft runs (a relative AGENT_CMD means what it meant when typed); its session
                // works in DIR.
                client = AcpClient.start(ProcessSpec.of(args.agent().toArray(String[]::new)), options);
            } catch (IOException e) {
                return Failures.cannotConnect(command, e, io.err());
            }
            try (client) {
                AcpSession session = client.newSession(args.cwd(), List.of());
                return promptUntilDone(session, args.text(), render, io, options.cancelDrain());
            }
        } catch (IOException e) {
            io.err().println("weft " + command + ": cannot use " + args.cwd() + ": " + e.getMessage());
            return Main.USAGE;
        } catch (RuntimeException e) {
            render.endLine();
            return Failures.report(command, "agent", e, io.err());
        }
    }

    /** Sends the prompt; Ctrl-C (the JVM's shutdown) cancels the turn and waits for it to end, within the drain. */
    private static int promptUntilDone(AcpSession session, String text, AcpRender render, Io io, Duration drain) {
        CountDownLatch done = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            if (session.cancel()) {
                try {
                    done.await(drain.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "weft-acp-cli-cancel");
        boolean hooked = addHook(onInterrupt);
        try {
            PromptResult result = session.prompt(List.of(new Content.Text(text)), render::update);
            render.end(result);
            return result.cancelled() ? Main.CANCELLED : Main.OK;
        } finally {
            done.countDown();
            if (hooked) {
                removeHook(onInterrupt);
            }
        }
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // shutting down already
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs or ran
        }
    }

    /** Asks the person at the terminal, on the prompting thread; end of input refuses. */
    private static final class Asking implements PermissionHandler {
        private final Io io;
        private final AcpRender render;
        private final BufferedReader in;

        Asking(Io io, AcpRender render) {
            this.io = io;
            this.render = render;
            this.in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        }

        @Override
        public PermissionOutcome decide(PermissionRequest request) throws Exception {
            render.endLine();
            PrintStream err = io.err();
            String title = request.toolCall().title() != null ? request.toolCall().title()
                    : request.toolCall().toolCallId();
            err.println("Permission requested: " + title + (request.toolCall().toolKind() == null ? ""
                    : " (" + request.toolCall().toolKind().name().toLowerCase(Locale.ROOT) + ")"));
            List<PermissionOption> options = new ArrayList<>(request.options());
            for (int i = 0; i < options.size(); i++) {
                PermissionOption option = options.get(i);
                err.println("  " + (i + 1) + ") " + option.name() + " [" + option.kind().name()
                        .toLowerCase(Locale.ROOT) + "]");
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                err.print("Choose 1-" + options.size() + ": ");
                err.flush();
                String line = in.readLine();
                if (line == null) {
                    err.println();
                    break;
                }
                try {
                    int choice = Integer.parseInt(line.strip());
                    if (choice >= 1 && choice <= options.size()) {
                        return PermissionOutcome.select(options.get(choice - 1));
                    }
                } catch (NumberFormatException e) {
                    // ask again
                }
            }
            err.println("(no answer: refused)");
            return PermissionHandler.denying().decide(request);
        }
    }
}
