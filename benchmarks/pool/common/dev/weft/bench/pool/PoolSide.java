package dev.weft.bench.pool;

import java.util.List;

/**
 * One host under test in the session-pool benchmark: Weft's conversations sharing a pool ({@code WeftPoolSide}) or the
 * official SDK's clients, one per caller ({@code SdkPoolSide}). Each lives in a source tree of its own, compiled
 * against its own class path, and runs in a JVM of its own; this interface and {@link PoolChild} are the only code they
 * share, and they use nothing but the JDK.
 */
public interface PoolSide {
    /** Whether the callers are platform threads (else virtual threads). */
    boolean platformCallers();

    /**
     * On the main thread, after the start has been taken and before the callers are released: whatever the side sets
     * up once for all callers (Weft: the pool). {@code server} is the server's argv, {@code callers} how many callers
     * there will be.
     */
    void start(List<String> server, int callers) throws Exception;

    /**
     * On caller {@code i}'s thread, after the start signal: makes what this caller talks through (a conversation, a
     * client), calls {@code echo} once with {@link PoolChild#MESSAGE}, checks the answer with
     * {@link PoolChild#check}, and returns {@link System#nanoTime()} taken as soon as the answer was there. Keeps what
     * it made open.
     */
    long ready(int i) throws Exception;

    /** On caller {@code i}'s thread, after the measurement: closes what {@link #ready} made (also after a failure). */
    void close(int i) throws Exception;

    /** On the main thread, after every caller has closed: closes what {@link #start} made. */
    void finish() throws Exception;

    /** Figures of this side's own, as {@code key=value} fields, taken when every caller is ready. */
    String figures();
}
