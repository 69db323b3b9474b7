package dev.weft.acp;

import dev.weft.internal.CloseOnce;
import dev.weft.internal.ProcessTree;
import dev.weft.internal.Uninterruptibles;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * {@link ClientTerminals} that run each command as a child process of this JVM, in a directory under a root, and
 * keep the last bytes of its output.
 *
 * <p><b>What runs.</b> By default {@code command} is the program and {@code args} its arguments, passed as they are:
 * nothing is split, quoted or interpreted, so {@code "ls -l"} with no arguments names a program called {@code ls -l}
 * (which fails to start). With {@link Options#allowShell()} a request with no arguments runs its command as a shell
 * command line, {@code sh -c <command>}; a request with arguments still runs as argv. The process gets its standard
 * input from {@code /dev/null}, its standard error merged into its standard output, the host's environment with the
 * request's variables laid over it, and the request's {@code cwd}, or the root when it has none. It is started as the
 * leader of a session of its own where {@code setsid} is available (Linux), so that killing it kills everything it
 * started, orphans included; elsewhere its descendants still attached to it are killed.
 *
 * <p><b>Confinement of {@code cwd}</b>, as {@link RootedFileSystem} confines paths: absolute, no {@code ..} segment,
 * under the root, not leading out of it through a symbolic link, an existing directory. A refusal is {@code -32602}.
 * The command itself can go anywhere its user can: the root bounds where it starts, not what it touches.
 *
 * <p><b>Output.</b> Each terminal keeps the last {@code outputByteLimit} bytes (the request's, else
 * {@link Options#outputByteLimit()}), dropping the oldest at a UTF-8 character boundary (and the rest of a character
 * cut in two) and saying {@code truncated}. Output that is not UTF-8 is decoded with U+FFFD in place of bad bytes.
 *
 * <p><b>Exit status.</b> {@link #output} has an exit status, and {@link #waitForExit} returns, once the command has
 * exited and the output it wrote before exiting has been read: at once when the output pipe then ends; when something
 * the command started in the background still holds the pipe, once the pipe has been quiet for 10 ms, or after 1 s at
 * most. Java reports a process that a signal ended as exit code {@code 128 + n} and cannot tell it from one that
 * exited with that code. So the status is {@code {signal: "SIGKILL"}} when this class killed the running command
 * ({@link #kill}, {@link #release}, {@link #releaseAll}, {@link #close}) and it then ended with 137; in every other
 * case it is the exit code as Java gives it, so a command that a signal from elsewhere ended shows {@code 128 + n}.
 *
 * <p><b>Limits and errors.</b> At most {@link Options#maxTerminals()} terminals exist at once; a terminal counts from
 * its creation until it is released (its output is kept until then), so a {@code create} beyond that fails with an
 * {@link IOException} ({@code -32603}) that says so. A terminal id that is unknown, released, or another session's is
 * an {@link RpcErrorException} with {@code -32002} (resource not found) naming the id. A command that cannot start is an
 * {@link IOException} naming the argv and the directory. After {@link #close()} every id is unknown and
 * {@code create} fails.
 *
 * <p><b>Threads.</b> Each terminal has two threads ({@code weft-terminal-<n>-output}, {@code weft-terminal-<n>-exit});
 * {@link #release}, {@link #releaseAll} and {@link #close} return once the terminals' processes are gone and their
 * threads have ended (bounded: a process that {@code SIGKILL} cannot end, or a pipe held by a process outside the
 * command's session, is logged at {@code WARNING} and left).
 *
 * <p>Thread-safe: every method may be called from any thread at once. {@code lock} guards {@code terminals},
 * {@code starting} and {@code counter}, and is never held while a process starts or dies.
 */
public final class ProcessTerminals implements ClientTerminals {
    /** ACP's "resource not found". */
    static final int RESOURCE_NOT_FOUND = -32002;

    private static final System.Logger LOG = System.getLogger(ProcessTerminals.class.getName());
    private static final File NO_INPUT = new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");

    private final Options options;
    private final RootedPaths paths;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition startsEnded = lock.newCondition();
    /** {@code OPEN -> CLOSING -> CLOSED}; moved under {@code lock} by the first {@link #close}. */
    private final CloseOnce closing = new CloseOnce(lock);
    /** The live terminals by id, in creation order; guarded by {@code lock}. */
    private final Map<String, ProcessTerminal> terminals = new LinkedHashMap<>();
    /** Creates admitted and not yet registered or given up: their processes may be starting; guarded by lock. */
    private int starting;
    /** The last terminal number handed out; guarded by {@code lock}. */
    private int counter;

    private ProcessTerminals(Options options, RootedPaths paths) {
        this.options = options;
        this.paths = paths;
    }

    /**
     * What {@link ProcessTerminals} allow.
     *
     * @param root            the default working directory of a command and the directory its {@code cwd} must be
     *                        under; default the current directory
     * @param allowShell      whether a request without arguments runs its command through {@code sh -c}; default
     *                        {@code false}
     * @param outputByteLimit the bytes of output a terminal keeps when its request gives no limit; default
     *                        {@value #DEFAULT_OUTPUT_BYTE_LIMIT}
     * @param maxTerminals    the most terminals that may exist at once; default {@value #DEFAULT_MAX_TERMINALS}
     */
    public record Options(Path root, boolean allowShell, long outputByteLimit, int maxTerminals) {
        /** 1 MiB. */
        public static final long DEFAULT_OUTPUT_BYTE_LIMIT = 1024 * 1024;
        /** 64. */
        public static final int DEFAULT_MAX_TERMINALS = 64;
        /** The largest output byte limit: a terminal keeps its output in one array. */
        public static final long MAX_OUTPUT_BYTE_LIMIT = Integer.MAX_VALUE - 8;

        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if {@code outputByteLimit} is negative or above
         *                                  {@link #MAX_OUTPUT_BYTE_LIMIT}, or {@code maxTerminals} is below 1
         */
        public Options {
            Objects.requireNonNull(root, "root");
            if (outputByteLimit < 0 || outputByteLimit > MAX_OUTPUT_BYTE_LIMIT) {
                throw new IllegalArgumentException("outputByteLimit must be between 0 and " + MAX_OUTPUT_BYTE_LIMIT
                        + ": " + outputByteLimit);
            }
            if (maxTerminals < 1) {
                throw new IllegalArgumentException("maxTerminals must be at least 1: " + maxTerminals);
            }
        }

        /** {@return the defaults: the current directory, no shell, 1 MiB, 64 terminals} */
        public static Options defaults() {
            return new Options(Path.of("").toAbsolutePath(), false, DEFAULT_OUTPUT_BYTE_LIMIT, DEFAULT_MAX_TERMINALS);
        }

        /**
         * {@return these options with another {@link #root() root}}
         *
         * @param root the default working directory of a command and the directory its {@code cwd} must be under
         */
        public Options withRoot(Path root) {
            return new Options(root, allowShell, outputByteLimit, maxTerminals);
        }

        /**
         * {@return these options with {@link #allowShell() allowShell} set to {@code allowShell}}
         *
         * @param allowShell whether a request without arguments runs its command through {@code sh -c}
         */
        public Options withAllowShell(boolean allowShell) {
            return new Options(root, allowShell, outputByteLimit, maxTerminals);
        }

        /**
         * {@return these options with another {@link #outputByteLimit() outputByteLimit}}
         *
         * @param outputByteLimit the bytes of output a terminal keeps when its request gives no limit
         */
        public Options withOutputByteLimit(long outputByteLimit) {
            return new Options(root, allowShell, outputByteLimit, maxTerminals);
        }

        /**
         * {@return these options with another {@link #maxTerminals() maxTerminals}}
         *
         * @param maxTerminals the most terminals that may exist at once
         */
        public Options withMaxTerminals(int maxTerminals) {
            return new Options(root, allowShell, outputByteLimit, maxTerminals);
        }
    }

    /**
     * Terminals with these options. The root's real path is resolved once, here.
     *
     * @param options the root, the shell policy and the limits
     * @return the terminals; the host owns them and closes them
     * @throws NoSuchFileException if the root does not exist
     * @throws java.nio.file.NotDirectoryException if it is not a directory
     * @throws IOException         if its real path cannot be resolved
     */
    public static ProcessTerminals open(Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        return new ProcessTerminals(options, RootedPaths.of(options.root()));
    }

    /** {@return the options these terminals were opened with} */
    public Options options() {
        return options;
    }

    /**
     * {@inheritDoc}
     *
     * @throws RpcErrorException {@code -32602} if the command is empty, the {@code cwd} is refused (see the class
     *                           comment) or the output byte limit is above {@link Options#MAX_OUTPUT_BYTE_LIMIT}
     * @throws IOException       if {@link Options#maxTerminals()} terminals exist, if these terminals are closed, or
     *                           if the command cannot start; the message names the argv and the directory
     */
    @Override
    public String create(String sessionId, TerminalRequest request) throws IOException {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(request, "request");
        if (request.command().isEmpty()) {
            throw RootedPaths.refuse("command is empty");
        }
        long limit = request.outputByteLimit() != null ? request.outputByteLimit() : options.outputByteLimit();
        if (limit > Options.MAX_OUTPUT_BYTE_LIMIT) {
            throw RootedPaths.refuse("outputByteLimit " + limit + " is above the most a terminal keeps, "
                    + Options.MAX_OUTPUT_BYTE_LIMIT);
        }
        Path cwd = request.cwd() == null ? paths.realRoot() : workingDirectory(request.cwd());
        List<String> argv = argv(request);

        int number;
        lock.lock();
        try {
            if (!closing.isOpen()) {
                throw new IOException("cannot start " + quoted(argv) + ": the terminals are closed");
            }
            if (terminals.size() + starting >= options.maxTerminals()) {
                throw new IOException("cannot start " + quoted(argv) + ": " + options.maxTerminals()
                        + " terminals exist, the most this client allows; release one first");
            }
            number = ++counter;
            starting++;
        } finally {
            lock.unlock();
        }
        String id = "term-" + number;
        ProcessTerminal terminal;
        try {
            terminal = start(id, sessionId, number, argv, request.env(), cwd, (int) limit);
        } catch (IOException | RuntimeException | Error e) {
            startEnded(null);
            throw e;
        }
        if (!startEnded(terminal)) {
            throw new IOException("cannot start " + quoted(argv) + ": the terminals were closed while it started");
        }
        return id;
    }

    /**
     * The end of a start: registers {@code terminal} if still open, else ends it. Either way the start no longer
     * counts, and a waiting close may go on.
     *
     * @return whether {@code terminal} was registered
     */
    private boolean startEnded(ProcessTerminal terminal) {
        boolean registered = false;
        lock.lock();
        try {
            if (terminal != null && closing.isOpen()) {
                terminals.put(terminal.id(), terminal);
                registered = true;
                starting--;
                startsEnded.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (registered) {
            return true;
        }
        if (terminal != null) {
            terminal.end(); // closed meanwhile: the close waits for this start, so nothing outlives it
        }
        lock.lock();
        try {
            starting--;
            startsEnded.signalAll();
        } finally {
            lock.unlock();
        }
        return false;
    }

    private ProcessTerminal start(String id, String sessionId, int number, List<String> argv, Map<String, String> env,
            Path cwd, int limit) throws IOException {
        ProcessTree.Launch launch = ProcessTree.launch(argv, cwd);
        ProcessBuilder builder = new ProcessBuilder(launch.argv())
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start " + quoted(argv) + " in " + cwd + ": " + e.getMessage(), e);
        }
        String description = id + " (session " + sessionId + ", " + quoted(argv) + ", pid " + process.pid() + ")";
        ProcessTerminal terminal;
        try {
            terminal = new ProcessTerminal(id, sessionId, number, description, process, launch.sessionLeader(),
                    limit);
            terminal.start();
        } catch (RuntimeException | Error e) {
            process.toHandle().destroyForcibly();
            throw e;
        }
        LOG.log(Level.DEBUG, () -> description + ": started in " + cwd);
        return terminal;
    }

    private List<String> argv(TerminalRequest request) {
        if (options.allowShell() && request.args().isEmpty()) {
            return List.of("sh", "-c", request.command());
        }
        List<String> argv = new ArrayList<>(1 + request.args().size());
        argv.add(request.command());
        argv.addAll(request.args());
        return List.copyOf(argv);
    }

    /** The request's {@code cwd}, confined: its real path, an existing directory under the root. */
    private Path workingDirectory(String cwd) throws IOException {
        Path path;
        try {
            path = Path.of(cwd);
        } catch (InvalidPathException e) {
            throw RootedPaths.refuse("cwd " + cwd + " is not a path: " + e.getMessage());
        }
        Path real;
        try {
            real = paths.existing(path, "cwd");
        } catch (NoSuchFileException e) {
            throw RootedPaths.refuse("cwd " + cwd + " does not exist (the root is " + paths.root() + ")");
        } catch (FileSystemException e) {
            throw RootedPaths.refuse("cwd " + cwd + " cannot be used: " + e.getMessage());
        }
        if (!Files.isDirectory(real)) {
            throw RootedPaths.refuse("cwd " + cwd + " is not a directory");
        }
        return real;
    }

    private static String quoted(List<String> argv) {
        return argv.stream().map(arg -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws RpcErrorException {@code -32002} if {@code sessionId} has no terminal {@code terminalId}
     */
    @Override
    public TerminalOutput output(String sessionId, String terminalId) {
        return find(sessionId, terminalId).output();
    }

    /**
     * {@inheritDoc} That is, until the command has exited and the output it wrote before has been read, so that
     * {@link #output} then has all of it.
     *
     * @throws RpcErrorException    {@code -32002} if {@code sessionId} has no terminal {@code terminalId}
     * @throws InterruptedException if the calling thread is interrupted first; the terminal is unchanged
     */
    @Override
    public ExitStatus waitForExit(String sessionId, String terminalId) throws InterruptedException {
        return find(sessionId, terminalId).waitForExit();
    }

    /**
     * {@inheritDoc} Sends {@code SIGKILL} to the command and every process of its session, and returns once they are
     * gone and the exit status is known (bounded: about a second at most). Killing a command that has ended keeps its
     * exit status (and still kills what it left running).
     *
     * @throws RpcErrorException {@code -32002} if {@code sessionId} has no terminal {@code terminalId}
     */
    @Override
    public void kill(String sessionId, String terminalId) {
        find(sessionId, terminalId).kill();
    }

    /**
     * {@inheritDoc} Returns once its processes are gone and its threads have ended.
     *
     * @throws RpcErrorException {@code -32002} if {@code sessionId} has no terminal {@code terminalId}
     */
    @Override
    public void release(String sessionId, String terminalId) {
        ProcessTerminal terminal;
        lock.lock();
        try {
            terminal = terminals.get(terminalId);
            if (terminal == null || !terminal.sessionId().equals(sessionId)) {
                throw notFound(sessionId, terminalId);
            }
            terminals.remove(terminalId);
        } finally {
            lock.unlock();
        }
        terminal.end();
    }

    @Override
    public void releaseAll(String sessionId) {
        List<ProcessTerminal> released = new ArrayList<>();
        lock.lock();
        try {
            terminals.values().removeIf(terminal -> {
                boolean mine = terminal.sessionId().equals(sessionId);
                if (mine) {
                    released.add(terminal);
                }
                return mine;
            });
        } finally {
            lock.unlock();
        }
        endAll(released);
    }

    /**
     * {@inheritDoc} Waits for creates under way to finish (their terminals are ended too), then ends every terminal;
     * returns once their processes are gone and their threads have ended. Later calls wait for the first.
     */
    @Override
    public void close() {
        List<ProcessTerminal> all;
        lock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
            all = new ArrayList<>(terminals.values());
            terminals.clear();
        } finally {
            lock.unlock();
        }
        try {
            endAll(all);
            lock.lock();
            try {
                Uninterruptibles.awaitUninterruptibly(startsEnded, () -> starting == 0); // each ends its own
            } finally {
                lock.unlock();
            }
        } finally {
            closing.finish();
        }
    }

    /** Ends each terminal; never throws. */
    private static void endAll(List<ProcessTerminal> list) {
        for (ProcessTerminal terminal : list) {
            try {
                terminal.end();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> terminal + ": ending it failed", e);
            }
        }
    }

    private ProcessTerminal find(String sessionId, String terminalId) {
        ProcessTerminal terminal;
        lock.lock();
        try {
            terminal = terminals.get(terminalId);
        } finally {
            lock.unlock();
        }
        if (terminal == null || !terminal.sessionId().equals(sessionId)) {
            throw notFound(sessionId, terminalId);
        }
        return terminal;
    }

    private static RpcErrorException notFound(String sessionId, String terminalId) {
        return new RpcErrorException(new RpcError(RESOURCE_NOT_FOUND,
                "Resource not found: session " + sessionId + " has no terminal " + terminalId));
    }

    @Override
    public String toString() {
        return "ProcessTerminals[" + paths.root() + (options.allowShell() ? ", shell" : "") + "]";
    }
}
