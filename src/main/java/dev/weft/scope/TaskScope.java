package dev.weft.scope;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A structured scope: the owner thread forks subtasks, each on its own thread, joins them, and closes the scope, which
 * guarantees that no subtask's thread outlives it. The policy is shut-down-on-failure: the first subtask to fail
 * cancels the scope, which interrupts every sibling at once and makes {@link #join()} throw {@link FailedException}
 * with that first failure as its cause.
 *
 * <p>The semantics and names mirror the JDK's structured task scope of JEP 505 (opened with the joiner that awaits all
 * successful subtasks or throws); see the package documentation for why this is our own class. Differences:
 * <ul>
 *   <li>{@link #cancel()} is public and may be called from any thread: cancelling a turn, or closing a connection from
 *       a thread other than the one that opened it, are ordinary operations here.</li>
 *   <li><b>Cancel hooks</b> ({@link #onCancel}): a subtask blocked in I/O that an interrupt does not wake (a pipe read,
 *       a socket in some states) registers an action that unblocks it (destroy the process tree, abort the exchange,
 *       close the socket). Hooks run exactly once, on cancellation.</li>
 *   <li>Closing without joining is allowed: it cancels and waits, like every close.</li>
 * </ul>
 *
 * <h2>Use</h2>
 * <pre>{@code
 * try (TaskScope scope = TaskScope.open(c -> c.withName("turn").withTimeout(Duration.ofSeconds(30)))) {
 *     Subtask<String> a = scope.fork(() -> callTool("a"));
 *     Subtask<String> b = scope.fork(() -> callTool("b"));
 *     scope.join();                       // throws FailedException with the first failure
 *     return a.get() + b.get();
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@code fork}, {@code join} and {@code close} may only be called by the owner, the thread that opened the scope
 * ({@link WrongThreadException} otherwise). {@code cancel}, {@code isCancelled} and {@code onCancel} may be called
 * from any thread. Actions in a subtask happen-before the owner returns from {@code join}, and the result or exception
 * of each subtask is visible to the owner after {@code join}.
 */
public sealed interface TaskScope extends AutoCloseable permits TaskScopeImpl {

    /**
     * Opens a scope owned by the current thread, with the default configuration.
     *
     * @return the open scope; only this thread may fork, join and close it
     */
    static TaskScope open() {
        return open(UnaryOperator.identity());
    }

    /**
     * Opens a scope owned by the current thread.
     *
     * @param configure maps the default configuration to the one to use
     * @return the open scope; only this thread may fork, join and close it
     */
    static TaskScope open(UnaryOperator<Config> configure) {
        Config config = Objects.requireNonNull(configure.apply(Config.DEFAULT), "configuration");
        return new TaskScopeImpl(config);
    }

    /**
     * Starts a thread that runs {@code task} as a subtask of this scope. If the scope is already cancelled, no thread is
     * started and the returned subtask stays {@link Subtask.State#UNAVAILABLE} forever.
     *
     * @param <T>  the result type
     * @param task the subtask's body; its result or exception becomes the subtask's
     * @return the subtask, whose outcome the owner reads after {@link #join()}
     * @throws WrongThreadException      if the current thread is not the owner
     * @throws IllegalStateException     if the owner has already joined or closed the scope
     * @throws java.util.concurrent.RejectedExecutionException if the thread factory did not create a thread
     */
    <T> Subtask<T> fork(Callable<? extends T> task);

    /**
     * Like {@link #fork(Callable)}, for a task without a result.
     *
     * @param task the subtask's body
     * @return the subtask; its result is {@code null}
     */
    Subtask<Void> fork(Runnable task);

    /**
     * Waits until every subtask has completed successfully, or the scope is cancelled. May be called once.
     *
     * @throws FailedException             if a subtask failed; its cause is the first failure
     * @throws TimeoutException            if the configured timeout expired first (the scope is then cancelled)
     * @throws java.util.concurrent.CancellationException if {@link #cancel()} was called and no subtask had failed
     * @throws InterruptedException        if the owner was interrupted while waiting; the scope is then cancelled
     * @throws WrongThreadException        if the current thread is not the owner
     * @throws IllegalStateException       if already joined or closed
     */
    void join() throws InterruptedException;

    /**
     * Cancels the scope: stops admitting subtasks, interrupts every running subtask's thread, runs every cancel hook,
     * and wakes the owner. Idempotent; the first call does the work. Any thread may call it. Never blocks on a
     * subtask; a hook that blocks, blocks the caller.
     */
    void cancel();

    /**
     * {@return whether the scope has been cancelled} A failure, the timeout, an interrupted join, {@code cancel} and
     * close each cancel it.
     */
    boolean isCancelled();

    /**
     * Registers an action to run once when the scope is cancelled; if it already is, runs it now, on the calling
     * thread. Hooks run on the thread that cancels, after the subtasks are interrupted; an exception from a hook is
     * logged and does not stop the others. Any thread may register.
     *
     * @param hook the action: its {@code close} runs at most once
     * @return a registration whose {@code close} withdraws the hook when the guarded resource is done with
     */
    Registration onCancel(AutoCloseable hook);

    /**
     * Closes the scope: cancels it (if not already), then waits for every subtask's thread to finish, even when
     * interrupted; an interrupt while waiting is remembered and the flag restored before returning. Idempotent.
     *
     * @throws WrongThreadException if the current thread is not the owner
     */
    @Override
    void close();

    /** A withdrawable cancel hook. Any thread may withdraw it; that never blocks. */
    interface Registration extends AutoCloseable {
        /** Withdraws the hook; returns without effect if it has already run. */
        @Override
        void close();
    }

    /**
     * A forked subtask, as its owner sees it. Any thread may read it; the owner reads its outcome after
     * {@link TaskScope#join()}, which makes everything the subtask did visible to it.
     *
     * @param <T> the result type
     */
    sealed interface Subtask<T> extends Supplier<T> permits TaskScopeImpl.SubtaskImpl {

        /** The state of a subtask. */
        enum State {
            /** Not completed, completed after the scope was cancelled, or forked after the scope was cancelled. */
            UNAVAILABLE,
            /** Completed with a result. */
            SUCCESS,
            /** Completed with an exception. */
            FAILED
        }

        /** {@return the subtask's state} */
        State state();

        /**
         * {@return the result}
         *
         * @throws IllegalStateException if the state is not {@code SUCCESS}, or the caller is the owner and has not
         *                               joined
         */
        @Override
        T get();

        /**
         * {@return the exception the subtask failed with}
         *
         * @throws IllegalStateException if the state is not {@code FAILED}, or the caller is the owner and has not
         *                               joined
         */
        Throwable exception();
    }

    /**
     * The configuration of a scope.
     *
     * @param name          the scope's name, used for its threads' names ({@code name-0}, {@code name-1}, ...)
     * @param threadFactory the factory for subtask threads, or {@code null} for virtual threads named after the scope
     * @param timeout       the time from opening after which the scope is cancelled, or {@code null} for none
     */
    record Config(String name, ThreadFactory threadFactory, Duration timeout) {
        static final Config DEFAULT = new Config("weft-scope", null, null);

        /**
         * Checks the configuration.
         *
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Config {
            Objects.requireNonNull(name, "name");
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
        }

        /**
         * {@return this configuration with another name}
         *
         * @param name the scope's name
         */
        public Config withName(String name) {
            return new Config(name, threadFactory, timeout);
        }

        /**
         * {@return this configuration with another thread factory}
         *
         * @param threadFactory the factory for subtask threads
         */
        public Config withThreadFactory(ThreadFactory threadFactory) {
            return new Config(name, Objects.requireNonNull(threadFactory, "threadFactory"), timeout);
        }

        /**
         * {@return this configuration with a timeout}
         *
         * @param timeout the time from opening after which the scope is cancelled; positive
         */
        public Config withTimeout(Duration timeout) {
            return new Config(name, threadFactory, Objects.requireNonNull(timeout, "timeout"));
        }
    }

    /** Thrown by {@link #join()} when a subtask failed; the cause is the first failure. */
    final class FailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FailedException(Throwable cause) {
            super(cause);
        }
    }

    /** Thrown by {@link #join()} when the scope's timeout expired. */
    final class TimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }
}
