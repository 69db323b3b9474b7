package dev.weft.server;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server's shared context, such as a database pool or a loaded model: built once, by the first connection that needs
 * it, and never held while anyone serves.
 *
 * <p><b>The invariant</b> (the lesson of a server that froze after two concurrent sessions because its start-up lock
 * was held for a connection's lifetime): {@code lock} is held only to decide who builds, never during the build and
 * never while serving. The first caller of {@link #get()} builds on its own thread; callers that arrive meanwhile wait
 * for that build only, not for any connection. A build that fails is reported to every caller that waited for it, and
 * the next caller after the failure builds again. Once built, {@code get()} returns the value without locking.
 *
 * <p>Thread-safe. Waiting never pins a carrier (a latch, not a monitor), so virtual threads may wait in any number.
 *
 * @param <T> the context's type
 */
public final class SharedContext<T> {
    /**
     * Builds the context; may block and may throw.
     *
     * @param <T> the context's type
     */
    @FunctionalInterface
    public interface Builder<T> {
        /**
         * Builds the context, on the thread of the first caller of {@link SharedContext#get()} (or of the first after a
         * failed build).
         *
         * @return the context, not {@code null}
         * @throws Exception why it could not be built; every caller that waited for this build gets it as the cause of
         *                   a {@link SharedContextException}
         */
        T build() throws Exception;
    }

    /** One build: its outcome is set once, then {@code done} opens. */
    private static final class Attempt<T> {
        final CountDownLatch done = new CountDownLatch(1);
        volatile T value;
        volatile Throwable failure;

        boolean failed() {
            return done.getCount() == 0 && failure != null;
        }
    }

    private final String name;
    private final Builder<T> builder;
    private final ReentrantLock lock = new ReentrantLock();
    private Attempt<T> current; // the latest attempt, or null before the first; lock
    private volatile T built; // set once a build succeeded; read without the lock

    private SharedContext(String name, Builder<T> builder) {
        this.name = name;
        this.builder = builder;
    }

    /**
     * A context that {@code builder} builds on first use.
     *
     * @param <T>     the context's type
     * @param name    names the context in errors and logs
     * @param builder builds it; called again after a failed build, never after one that succeeded
     * @return the context, not yet built
     */
    public static <T> SharedContext<T> of(String name, Builder<T> builder) {
        return new SharedContext<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(builder, "builder"));
    }

    /**
     * The context, built by this call if nobody has built it yet or the last build failed, else by the build in
     * progress, which this call waits for.
     *
     * @return the context
     * @throws SharedContextException if the build this call built or waited for failed (its cause is the builder's)
     * @throws InterruptedException   if interrupted while waiting; a build this thread runs is not cut short by it
     *                                unless the builder heeds interrupts
     */
    public T get() throws InterruptedException {
        T value = built;
        if (value != null) {
            return value;
        }
        Attempt<T> attempt;
        boolean mine = false;
        lock.lock();
        try {
            attempt = current;
            if (attempt == null || attempt.failed()) {
                attempt = new Attempt<>();
                current = attempt;
                mine = true;
            }
        } finally {
            lock.unlock();
        }
        if (mine) {
            build(attempt);
        }
        attempt.done.await();
        if (attempt.failure != null) {
            throw new SharedContextException(name, attempt.failure);
        }
        return attempt.value;
    }

    /** {@return the context if it has been built, without waiting or building} */
    public Optional<T> ifBuilt() {
        return Optional.ofNullable(built);
    }

    /** {@return this context's name} */
    public String name() {
        return name;
    }

    private void build(Attempt<T> attempt) {
        try {
            T value = builder.build();
            if (value == null) {
                throw new NullPointerException("the builder of " + name + " returned null");
            }
            attempt.value = value;
            built = value;
        } catch (Throwable e) {
            attempt.failure = e;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            attempt.done.countDown();
        }
    }

    @Override
    public String toString() {
        return "SharedContext[" + name + (built != null ? ", built]" : "]");
    }
}
