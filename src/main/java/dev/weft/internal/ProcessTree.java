package dev.weft.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A child process and everything it started: how to launch it so that its whole tree can be found again, and how to
 * end that tree.
 *
 * <p><b>Why a session.</b> {@link ProcessHandle#descendants()} finds a grandchild only while its parent lives: once the
 * child exits, its children are reparented and no longer descend from us, yet may still hold our pipes. On Linux the
 * child is therefore started as the leader of a new session ({@code setsid}, which execs in place when the caller is not
 * a process group leader, as a freshly spawned child is not, so the pid is the child's own). Everything it starts stays
 * in that session unless it leaves on purpose, and {@code /proc/<pid>/stat} names each process's session: at the end we
 * find and kill them all, orphans included. Elsewhere, or without {@code setsid}, we fall back to the descendants we can
 * still see. Stateless; every method may be called from any thread.
 *
 * <p>Public so that every package of the library that starts processes can reach it (the stdio transport's
 * {@code dev.weft.transport.ChildProcess} and the ACP terminals' {@code dev.weft.acp.ProcessTerminal} do); this
 * package is not exported from the module.
 */
public final class ProcessTree {
    private static final Path PROC = Path.of("/proc");
    private static final long PF_EXITING = 0x4; // include/linux/sched.h: the task is in do_exit()
    private static final Optional<Path> SETSID = findSetsid();

    private ProcessTree() {
    }

    /**
     * The argument vector to start, and whether the child will lead its own session.
     *
     * @param argv           what to start
     * @param sessionLeader  whether {@code argv} starts the program through {@code setsid}
     */
    public record Launch(List<String> argv, boolean sessionLeader) {
    }

    /**
     * How to start {@code command} in {@code directory}: through {@code setsid} when it is available and the program
     * can be found, with the program resolved on our {@code PATH} as {@link ProcessBuilder} would; otherwise as is, so
     * that a program that cannot run still fails in {@link ProcessBuilder#start()} with its usual error.
     */
    public static Launch launch(List<String> command, Path directory) {
        if (SETSID.isEmpty()) {
            return new Launch(command, false);
        }
        Optional<String> program = resolve(command.getFirst(), directory);
        if (program.isEmpty()) {
            return new Launch(command, false);
        }
        List<String> argv = new ArrayList<>(command.size() + 1);
        argv.add(SETSID.get().toString());
        argv.add(program.get());
        argv.addAll(command.subList(1, command.size()));
        return new Launch(List.copyOf(argv), true);
    }

    private static Optional<Path> findSetsid() {
        if (!Files.isReadable(PROC.resolve("self/stat"))) {
            return Optional.empty();
        }
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            Path path = Path.of(candidate);
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /** The program to hand to {@code setsid}: a path as given if it runs, else the first match on our PATH. */
    private static Optional<String> resolve(String program, Path directory) {
        if (program.indexOf('/') >= 0) {
            Path path = directory == null ? Path.of(program) : directory.resolve(program);
            return runnable(path) ? Optional.of(program) : Optional.empty();
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(":")) {
            Path path = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (runnable(path)) {
                return Optional.of(path.toAbsolutePath().toString());
            }
        }
        return Optional.empty();
    }

    private static boolean runnable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    /**
     * The live processes of session {@code sid}, other than its leader; empty where {@code /proc} is not available.
     */
    public static List<ProcessHandle> sessionMembers(long sid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != sid && stat(pid).filter(s -> s.session() == sid && s.alive()).isPresent()) {
                    ProcessHandle.of(pid).ifPresent(members::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to find this way
        }
        return members;
    }

    /**
     * Whether process {@code pid} is exiting or gone (a zombie, or in the kernel's exit path), according to
     * {@code /proc}; empty where that cannot be told.
     */
    public static Optional<Boolean> exiting(long pid) {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return Optional.empty();
        }
        return Optional.of(stat(pid).map(s -> !s.alive() || (s.flags() & PF_EXITING) != 0).orElse(true));
    }

    /** Whether {@code process} is gone: exited, or a zombie waiting to be reaped. */
    public static boolean gone(ProcessHandle process) {
        return !process.isAlive() || stat(process.pid()).map(s -> !s.alive()).orElse(false);
    }

    /**
     * Ends every process in {@code processes}: {@code SIGTERM}, up to {@code termNanos} for them to exit,
     * {@code SIGKILL} to the rest, up to {@code killNanos} for them to go. Bounded by the sum of the two.
     *
     * @return the processes still not gone
     */
    public static List<ProcessHandle> terminate(Collection<ProcessHandle> processes, long termNanos, long killNanos) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle process : processes) {
            if (!gone(process)) {
                if (!process.supportsNormalTermination() || !process.destroy()) {
                    process.destroyForcibly();
                }
                alive.add(process);
            }
        }
        return kill(awaitGone(alive, termNanos), killNanos);
    }

    /**
     * Ends {@code tree}, and every member of {@code leader}'s session when it leads one, in up to {@code rounds} rounds
     * (a dying tree may still fork): each round adds the session's members, drops the processes that are gone, and ends
     * the rest with {@code end} ({@link #terminate} or {@link #kill}, bound to their waits).
     *
     * @param tree what to end: the process and the descendants found while it lived (orphans no longer descend from
     *             it); modified
     * @return the processes still alive after the last round; empty when every one is gone
     */
    public static List<ProcessHandle> endAll(Set<ProcessHandle> tree, long leader, boolean sessionLeader, int rounds,
                                             Function<Collection<ProcessHandle>, List<ProcessHandle>> end) {
        List<ProcessHandle> left = List.of();
        for (int round = 0; round < rounds; round++) {
            if (sessionLeader) {
                tree.addAll(sessionMembers(leader));
            }
            tree.removeIf(ProcessTree::gone);
            if (tree.isEmpty()) {
                return List.of();
            }
            left = end.apply(tree);
        }
        return left;
    }

    /**
     * Sends {@code SIGKILL} at once to every process in {@code processes} that is not gone, then waits up to
     * {@code nanos} for them to go. An interrupt does not cut the wait short; the flag is restored before returning.
     *
     * @return the processes still not gone
     */
    public static List<ProcessHandle> kill(Collection<ProcessHandle> processes, long nanos) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (ProcessHandle process : processes) {
            if (!gone(process)) {
                process.destroyForcibly();
                alive.add(process);
            }
        }
        return awaitGone(alive, nanos);
    }

    /** Waits up to {@code nanos} for the processes to go, polling; returns those still there. */
    private static List<ProcessHandle> awaitGone(List<ProcessHandle> processes, long nanos) {
        long deadline = System.nanoTime() + nanos;
        long pause = 1;
        List<ProcessHandle> left = new ArrayList<>(processes);
        while (true) {
            left.removeIf(ProcessTree::gone);
            if (left.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            // a non-child's exit cannot be awaited, only observed; bounded: an interrupt does not cut it short
            Uninterruptibles.sleepUninterruptibly(TimeUnit.MILLISECONDS.toNanos(pause));
            pause = Math.min(pause * 2, 20);
        }
        return left;
    }

    /** The fields of {@code /proc/<pid>/stat} we use. */
    private record Stat(char state, long session, long flags) {
        boolean alive() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    private static Optional<Stat> stat(long pid) {
        try {
            String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // "pid (comm) state ppid pgrp session tty_nr tpgid flags ...": comm may hold spaces and parentheses
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[3]), Long.parseLong(fields[6])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone, or no /proc
        }
    }
}
