package dev.weft.transport;

import dev.weft.transport.peer.StdioPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Peers and waits for the stdio tests. */
final class Peers {
    /** How long a condition may take before a test gives up: generous, to tell "never" from "late" on a busy box. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Peers() {
    }

    /** A {@link StdioPeer} in a fresh JVM (the one running the tests), tuned to start fast. */
    static ProcessSpec javaPeer(String... args) {
        List<String> argv = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                StdioPeer.class.getName()));
        argv.addAll(List.of(args));
        return ProcessSpec.of(argv.toArray(String[]::new));
    }

    /** A POSIX shell running {@code script}. */
    static ProcessSpec sh(String script) {
        return ProcessSpec.of("sh", "-c", script);
    }

    /** Whether {@code thread} is parked or waiting (for a receive: waiting on the inbox, not on the pipe). */
    static boolean waiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
