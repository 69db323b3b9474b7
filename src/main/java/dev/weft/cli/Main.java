package dev.weft.cli;

import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code weft} command line: {@code weft [--help | --version]} or {@code weft <command> [arguments]}.
 *
 * <p>This package is the only place in Weft that prints to {@link System#out} and {@link System#err}; everything else
 * reports through return values, exceptions and {@link System.Logger}. Even here, only {@link #main} touches the
 * standard streams: {@link #run} writes to the streams it is given, so that tests can read what it printed.
 *
 * <p>Commands live in a table ({@link #COMMANDS}): a name, a one-line summary for the usage text, and a body. The first
 * argument selects the command; the rest are the command's own. A group ({@code tools}) selects one of its
 * subcommands ({@code tools call}) by the next argument. A command with real work gets a class of its own: the MCP
 * client commands are in {@link McpCommands}.
 *
 * <p>Exit status: {@value #OK} on success, {@value #TOOL_ERROR} when the tool reported an error, {@value #USAGE} when
 * the arguments are wrong (unknown option or command, unexpected or malformed argument), {@value #TRANSPORT} when the
 * server could not be started or reached, or the connection to it failed, {@value #TIMEOUT} when the server did not
 * answer in time, {@value #PEER_ERROR} when it answered with a JSON-RPC error.
 *
 * <p>Everything in this class runs on the thread that calls {@link #run}; it keeps no state between calls.
 */
public final class Main {

    /** Exit status of a command that did what it was asked. */
    static final int OK = 0;
    /** Exit status of a tool call whose tool reported an error ({@code isError}); its content is printed as usual. */
    static final int TOOL_ERROR = 1;
    /** Exit status for wrong arguments: unknown option or command, or an argument a command does not take. */
    static final int USAGE = 2;
    /** Exit status when the server could not be started or reached, or the connection to it failed or closed. */
    static final int TRANSPORT = 3;
    /** Exit status when the server did not answer within the timeout. */
    static final int TIMEOUT = 4;
    /** Exit status when the server answered with a JSON-RPC error. */
    static final int PEER_ERROR = 5;
    /** Exit status of an agent's turn that was cancelled (Ctrl-C), as a shell reports a command ended by SIGINT. */
    static final int CANCELLED = 130;

    /** The exit statuses, for the usage texts. */
    static final String EXIT_STATUS = """
            Exit status: 0 success, 1 the tool reported an error, 2 wrong arguments, 3 the server or agent could
            not be started or reached or the connection failed, 4 timeout, 5 the server or agent answered with an
            error, 130 the agent's turn was cancelled (Ctrl-C).""";

    private static final String ABOUT = """
            weft: a virtual-thread, structured-concurrency runtime for agent hosts that talk to MCP servers
            and ACP agents in plain blocking code.""";

    private static final String SERVERS = """
            The MCP commands talk to one server: -- CMD ARGS... runs it as a process and talks over its stdin
            and stdout, --url URL reaches it over Streamable HTTP. Results go to stdout, as text or, with --json,
            as one JSON document; errors and progress go to stderr. See weft <command> --help.""";

    private static final List<Command> COMMANDS = commands();

    /** One line of a list of commands or options: the name in a column, then the summary. */
    private static final String LIST_LINE = "  %-16s %s%n";

    /**
     * The library's logger, held so that the level {@link #main} sets stays set (the logging framework keeps loggers
     * only weakly).
     */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("dev.weft");

    private Main() {}

    /**
     * Runs the command line and exits the JVM with the status of {@link #run} when it is not zero. When it is zero,
     * {@code main} returns normally, so that the JVM ends when the command's threads have.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        quietLibraryLog(args);
        int status = run(args, new Io(System.out, System.err, Io.stderrIsTerminal(), System.in));
        System.out.flush();
        System.err.flush();
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * A client command reports every failure itself, with its cause and the server's standard error, so the library's
     * own log of the same event (a crashed server at {@code WARNING}) would only say it twice: client commands show
     * the library's {@code SEVERE} records only. {@code serve} keeps the default levels, as a server's log is its
     * operator's. A logging configuration given with {@code -Djava.util.logging.config.file} is left alone.
     */
    private static void quietLibraryLog(String[] args) {
        boolean serving = args.length > 0 && args[0].equals("serve");
        if (!serving && System.getProperty("java.util.logging.config.file") == null) {
            LIBRARY_LOG.setLevel(java.util.logging.Level.SEVERE);
        }
    }

    /**
     * Runs the command line with the given output streams and returns the exit status.
     *
     * <p>With no arguments, prints the usage to {@code out} and returns {@value #OK}: a bare {@code weft} asks what it
     * can do, and nothing was asked that could fail. An unknown option or command prints one line to {@code err}
     * that names it and points to {@code weft --help}, and returns {@value #USAGE}.
     *
     * <p>Standard error counts as no terminal here: progress prints one line per update.
     *
     * @param args the command-line arguments; not modified
     * @param out where results and the usage go
     * @param err where errors and progress go
     * @return the exit status: {@value #OK}, {@value #TOOL_ERROR}, {@value #USAGE}, {@value #TRANSPORT},
     *         {@value #TIMEOUT} or {@value #PEER_ERROR}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Io(out, err, false));
    }

    /** Runs the command line with the given streams; see {@link #run(String[], PrintStream, PrintStream)}. */
    static int run(String[] args, Io io) {
        if (args.length == 0) {
            return help(List.of(), io);
        }
        String first = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        return switch (first) {
            case "-h", "--help" -> command(COMMANDS, "help").orElseThrow().body().run(rest, io);
            case "-V", "--version" -> command(COMMANDS, "version").orElseThrow().body().run(rest, io);
            default -> {
                if (first.startsWith("-")) {
                    yield usageError(io.err(), "unknown option '" + first + "'");
                }
                Optional<Command> command = command(COMMANDS, first);
                if (command.isEmpty()) {
                    yield usageError(io.err(), "unknown command '" + first + "'");
                }
                yield command.get().body().run(rest, io);
            }
        };
    }

    private static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        commands.add(new Command("help", "Show this help", Main::help, List.of()));
        commands.add(new Command("version", "Show the versions of weft and of the Java runtime", Main::version,
                List.of()));
        commands.addAll(DemoCommands.commands());
        commands.addAll(McpCommands.commands());
        commands.addAll(AcpCommands.commands());
        return List.copyOf(commands);
    }

    /**
     * A group of subcommands, such as {@code tools}: the next argument selects one ({@code tools call}). Without one,
     * or with an unknown one, a usage error: a line naming the problem and the group's usage line; with {@code -h} or
     * {@code --help}, the group's help on {@code out}.
     */
    static Command group(String name, String summary, List<Command> subcommands) {
        return new Command(name, summary, (args, io) -> {
            if (!args.isEmpty() && (args.get(0).equals("-h") || args.get(0).equals("--help"))) {
                io.out().println("Usage: weft " + name + " <command> [arguments]");
                io.out().println();
                io.out().println("Commands:");
                for (Command sub : subcommands) {
                    io.out().printf(LIST_LINE, name + " " + sub.name(), sub.summary());
                }
                io.out().println();
                io.out().println("See weft " + name + " <command> --help.");
                return OK;
            }
            String reason;
            if (args.isEmpty()) {
                reason = "missing command: " + String.join(" or ", subcommands.stream()
                        .map(c -> name + " " + c.name()).toList());
            } else {
                Optional<Command> sub = command(subcommands, args.get(0));
                if (sub.isPresent()) {
                    return sub.get().body().run(args.subList(1, args.size()), io);
                }
                reason = (args.get(0).startsWith("-") ? "unknown option '" : "unknown command '") + args.get(0) + "'";
            }
            io.err().println("weft " + name + ": " + reason);
            io.err().println("Usage: weft " + name + " " + String.join(" | ", subcommands.stream().map(Command::name)
                    .toList()) + " [arguments]; see weft " + name + " --help");
            return USAGE;
        }, subcommands);
    }

    /** The version line: {@code weft <version> (Java <runtime version>, <VM vendor>)}. */
    static String versionLine(String weftVersion, Runtime.Version javaVersion, String vmVendor) {
        return "weft " + weftVersion + " (Java " + javaVersion + ", " + vmVendor + ")";
    }

    /**
     * Weft's version: the {@code Implementation-Version} of the jar's manifest ({@code java -jar}), else the module's
     * version (module path, where manifest attributes are not read), else {@code "dev"} (classes from a directory).
     */
    static String weftVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        ModuleDescriptor module = Main.class.getModule().getDescriptor();
        if (version == null && module != null) {
            version = module.rawVersion().orElse(null);
        }
        return version == null || version.isBlank() ? "dev" : version;
    }

    private static int help(List<String> args, Io io) {
        if (!args.isEmpty()) {
            return usageError(io.err(), "help takes no arguments, got '" + args.get(0) + "'");
        }
        PrintStream out = io.out();
        out.println(ABOUT);
        out.println();
        out.println("Usage: weft [--help | --version]");
        out.println("       weft <command> [arguments]");
        out.println("       weft FILE.java [arguments]   (./weft only: runs a Java source file with Weft on the class"
                + " path)");
        out.println();
        out.println("Commands:");
        for (Command command : COMMANDS) {
            if (command.subcommands().isEmpty()) {
                out.printf(LIST_LINE, command.name(), command.summary());
            }
            for (Command sub : command.subcommands()) {
                out.printf(LIST_LINE, command.name() + " " + sub.name(), sub.summary());
            }
        }
        out.println();
        out.println("Options:");
        out.printf(LIST_LINE, "-h, --help", "Show this help");
        out.printf(LIST_LINE, "-V, --version", "Show the versions of weft and of the Java runtime");
        out.println();
        out.println(SERVERS);
        out.println();
        out.println(EXIT_STATUS);
        return OK;
    }

    private static int version(List<String> args, Io io) {
        if (!args.isEmpty()) {
            return usageError(io.err(), "version takes no arguments, got '" + args.get(0) + "'");
        }
        io.out().println(versionLine(weftVersion(), Runtime.version(), System.getProperty("java.vm.vendor", "unknown")));
        return OK;
    }

    private static int usageError(PrintStream err, String message) {
        err.println("weft: " + message + "; see weft --help");
        return USAGE;
    }

    private static Optional<Command> command(List<Command> commands, String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * A command: its name on the command line, a one-line summary for the usage text, its body, and for a group its
     * subcommands.
     *
     * @param name the word that selects it, e.g. {@code version}
     * @param summary one line, starting with a capital letter and without a final period
     * @param body what it does
     * @param subcommands for a group such as {@code tools}, the commands its body selects from; else empty
     */
    record Command(String name, String summary, Body body, List<Command> subcommands) {

        Command {
            subcommands = List.copyOf(subcommands);
        }

        /** What a command does, given the arguments after its name. */
        @FunctionalInterface
        interface Body {
            /**
             * Runs the command on the calling thread.
             *
             * @param args the arguments after the command's name
             * @param io where results, errors and progress go
             * @return the exit status, one of the constants of {@link Main}
             */
            int run(List<String> args, Io io);
        }
    }
}
