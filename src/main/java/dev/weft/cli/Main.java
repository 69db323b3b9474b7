package dev.weft.cli;

import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
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
 * argument selects the command; the rest are the command's own. A command with real work gets a class of its own
 * implementing {@link Command.Body}.
 *
 * <p>Exit status: {@value #OK} on success, {@value #FAILED} when a command fails, {@value #USAGE} when the arguments
 * are wrong (unknown option or command, unexpected argument).
 *
 * <p>Everything in this class runs on the thread that calls {@link #run}; it keeps no state between calls.
 */
public final class Main {

    /** Exit status of a command that did what it was asked. */
    static final int OK = 0;
    /** Exit status of a command that failed. */
    static final int FAILED = 1;
    /** Exit status for wrong arguments: unknown option or command, or an argument a command does not take. */
    static final int USAGE = 2;

    private static final String ABOUT = """
            weft: a virtual-thread, structured-concurrency runtime for agent hosts that talk to MCP servers
            and ACP agents in plain blocking code.""";

    private static final String LATER = """
            Commands that run MCP clients and servers and ACP agents come with later versions; this one has
            the foundation they build on.""";

    private static final List<Command> COMMANDS = List.of(
            new Command("help", "Show this help", Main::help),
            new Command("version", "Show the versions of weft and of the Java runtime", Main::version));

    private Main() {}

    /**
     * Runs the command line and exits the JVM with the status of {@link #run} when it is not zero. When it is zero,
     * {@code main} returns normally, so that the JVM ends when the command's threads have.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        if (status != OK) {
            System.exit(status);
        }
    }

    /**
     * Runs the command line with the given output streams and returns the exit status.
     *
     * <p>With no arguments, prints the usage to {@code out} and returns {@value #OK}: a bare {@code weft} asks what it
     * can do, and nothing was asked that could fail. An unknown option or command prints one line to {@code err}
     * that names it and points to {@code weft --help}, and returns {@value #USAGE}.
     *
     * @param args the command-line arguments; not modified
     * @param out where results and the usage go
     * @param err where errors go
     * @return the exit status: {@value #OK}, {@value #FAILED} or {@value #USAGE}
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return help(List.of(), out, err);
        }
        String first = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        return switch (first) {
            case "-h", "--help" -> command("help").orElseThrow().body().run(rest, out, err);
            case "-V", "--version" -> command("version").orElseThrow().body().run(rest, out, err);
            default -> {
                if (first.startsWith("-")) {
                    yield usageError(err, "unknown option '" + first + "'");
                }
                Optional<Command> command = command(first);
                if (command.isEmpty()) {
                    yield usageError(err, "unknown command '" + first + "'");
                }
                yield command.get().body().run(rest, out, err);
            }
        };
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

    private static int help(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            return usageError(err, "help takes no arguments, got '" + args.get(0) + "'");
        }
        out.println(ABOUT);
        out.println();
        out.println("Usage: weft [--help | --version]");
        out.println("       weft <command> [arguments]");
        out.println();
        out.println("Commands:");
        for (Command command : COMMANDS) {
            out.printf("  %-12s %s%n", command.name(), command.summary());
        }
        out.println();
        out.println("Options:");
        out.printf("  %-16s %s%n", "-h, --help", "Show this help");
        out.printf("  %-16s %s%n", "-V, --version", "Show the versions of weft and of the Java runtime");
        out.println();
        out.printf("Exit status: %d success, %d failure, %d wrong arguments.%n", OK, FAILED, USAGE);
        out.println();
        out.println(LATER);
        return OK;
    }

    private static int version(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            return usageError(err, "version takes no arguments, got '" + args.get(0) + "'");
        }
        out.println(versionLine(weftVersion(), Runtime.version(), System.getProperty("java.vm.vendor", "unknown")));
        return OK;
    }

    private static int usageError(PrintStream err, String message) {
        err.println("weft: " + message + "; see weft --help");
        return USAGE;
    }

    private static Optional<Command> command(String name) {
        return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * A subcommand: its name on the command line, a one-line summary for the usage text, and its body.
     *
     * @param name the word that selects it, e.g. {@code version}
     * @param summary one line, starting with a capital letter and without a final period
     * @param body what it does
     */
    record Command(String name, String summary, Body body) {

        /** What a command does, given the arguments after its name. */
        @FunctionalInterface
        interface Body {
            /**
             * Runs the command.
             *
             * @param args the arguments after the command's name
             * @param out where results go
             * @param err where errors go
             * @return the exit status: {@value Main#OK}, {@value Main#FAILED} or {@value Main#USAGE}
             */
            int run(List<String> args, PrintStream out, PrintStream err);
        }
    }
}
