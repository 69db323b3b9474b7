package dev.weft.scope;

import dev.weft.internal.Uninterruptibles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The implementation of {@link TaskScope}.
 *
 * <p>Design. Two kinds of state. The owner's progress ({@code ownerState}: {@code OPEN -> JOINED -> CLOSED}, or
 * {@code OPEN -> CLOSED}) is read and written by the owner only, so it needs no synchronization. Everything the
 * subtasks touch is lock-free: {@code cancelled} is set once by a CAS, the first failure by another; {@code threads}
 * holds the subtask threads until they are known to have terminated, and {@code running} counts the tasks still
 * running. Close waits for {@code running} to reach zero and then joins every thread, so when it returns no subtask
 * thread is alive, not merely idle. The lock and its condition exist only so the owner can
 * sleep until {@code running} reaches zero or the scope is cancelled; nothing else is done under it, and nothing is
 * interrupted, run or completed while it is held.
 *
 * <p>The fork/cancel race: fork adds the thread to {@code threads} before starting it and re-reads {@code cancelled}
 * after; cancel sets {@code cancelled} before walking {@code threads}. One of the two sees the other, so no thread
 * forked concurrently with a cancel escapes its interrupt.
 */
final class TaskScopeImpl implements TaskScope {
    private static final System.Logger LOG = System.getLogger(TaskScope.class.getName());

    // ownerState transitions: OPEN -> JOINED -> CLOSED, OPEN -> CLOSED. Owner thread only.
    private static final int OPEN = 0;
    private static final int JOINED = 1;
    private static final int CLOSED = 2;

    private static final VarHandle CANCELLED;
    private static final VarHandle FIRST_FAILURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CANCELLED = l.findVarHandle(TaskScopeImpl.class, "cancelled", boolean.class);
            FIRST_FAILURE = l.findVarHandle(TaskScopeImpl.class, "firstFailure", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Config config;
    private final Thread owner;
    private final ThreadFactory factory;
    private final long deadlineNanos; // meaningful only when config.timeout() != null

    private int ownerState = OPEN; // owner only

    private volatile boolean cancelled; // set once, by CAS, from any thread
    private volatile boolean timedOut; // written by the deadline thread before it cancels
    private volatile Throwable firstFailure; // set once, by CAS, by the first failing subtask

    // Every subtask thread from start until it has terminated and been pruned or joined: a thread does not remove
    // itself (it is still alive when its task ends), so close can join each one. Owner adds and prunes; cancel walks.
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private static final int PRUNE_MINIMUM = 64;
    private int pruneAbove = PRUNE_MINIMUM; // owner only
    private final AtomicInteger running = new AtomicInteger();
    private final Set<Hook> hooks = ConcurrentHashMap.newKeySet();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition(); // signalled when running reaches 0 or on cancel

    private final Thread deadlineThread; // null without a timeout; written in the constructor only

    TaskScopeImpl(Config config) {
        this.config = config;
        this.owner = Thread.currentThread();
        this.factory = config.threadFactory() != null ? config.threadFactory()
                : Thread.ofVirtual().name(config.name() + "-", 0).factory();
        if (config.timeout() != null) {
            this.deadlineNanos = System.nanoTime() + config.timeout().toNanos();
            this.deadlineThread = Thread.ofVirtual().name(config.name() + "-deadline").start(this::awaitDeadline);
        } else {
            this.deadlineNanos = 0;
            this.deadlineThread = null;
        }
    }

    private void awaitDeadline() {
        try {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                Thread.sleep(java.time.Duration.ofNanos(remaining));
            }
        } catch (InterruptedException e) {
            return; // the owner closed the scope
        }
        if (!cancelled) {
            timedOut = true;
            cancel();
        }
    }

    @Override
    public <T> Subtask<T> fork(Callable<? extends T> task) {
        ensureOwner();
        if (ownerState != OPEN) {
            throw new IllegalStateException("Already joined or scope is closed");
        }
        SubtaskImpl<T> subtask = new SubtaskImpl<>(this, task);
        if (cancelled) {
            return subtask; // never runs: UNAVAILABLE forever
        }
        Thread thread = factory.newThread(subtask::run);
        if (thread == null) {
            throw new RejectedExecutionException("Rejected by thread factory of scope " + config.name());
        }
        if (threads.size() >= pruneAbove) {
            pruneTerminated(); // before adding: a thread not yet started is not alive either
        }
        running.incrementAndGet();
        threads.add(thread);
        try {
            thread.start();
        } catch (Throwable e) {
            threads.remove(thread);
            subtaskEnded();
            throw e;
        }
        if (cancelled) {
            thread.interrupt(); // the cancel may have walked the set before this thread was in it
        }
        return subtask;
    }

    /** Forgets threads that have terminated, so that a long-lived scope's set stays near its live threads. Owner only. */
    private void pruneTerminated() {
        threads.removeIf(t -> !t.isAlive());
        pruneAbove = Math.max(PRUNE_MINIMUM, 2 * threads.size());
    }

    @Override
    public Subtask<Void> fork(Runnable task) {
        return fork(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void join() throws InterruptedException {
        ensureOwner();
        if (ownerState != OPEN) {
            throw new IllegalStateException("Already joined or scope is closed");
        }
        ownerState = JOINED;
        boolean interrupted = false;
        lock.lock();
        try {
            while (running.get() > 0 && !cancelled) {
                changed.await();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            cancel();
            throw new InterruptedException("Interrupted while joining scope " + config.name());
        }
        Throwable failure = firstFailure;
        if (failure != null) {
            throw new FailedException(failure);
        }
        if (timedOut) {
            throw new TimeoutException("Scope " + config.name() + " timed out after " + config.timeout());
        }
        if (cancelled) {
            throw new CancellationException("Scope " + config.name() + " was cancelled");
        }
    }

    @Override
    public void cancel() {
        if (!CANCELLED.compareAndSet(this, false, true)) {
            return;
        }
        Thread current = Thread.currentThread();
        for (Thread thread : threads) {
            if (thread != current) {
                thread.interrupt();
            }
        }
        for (Hook hook : hooks) {
            hook.runOnce();
        }
        signal();
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Registration onCancel(AutoCloseable action) {
        Hook hook = new Hook(this, java.util.Objects.requireNonNull(action, "action"));
        hooks.add(hook);
        if (cancelled) {
            hook.runOnce(); // cancel may have walked the set before the hook was in it; runOnce decides who runs it
        }
        return hook;
    }

    @Override
    public void close() {
        ensureOwner();
        if (ownerState == CLOSED) {
            return;
        }
        ownerState = CLOSED;
        cancel();
        lock.lock();
        try {
            Uninterruptibles.awaitUninterruptibly(changed, () -> running.get() == 0);
        } finally {
            lock.unlock();
        }
        for (Thread thread : threads) {
            awaitTermination(thread); // their tasks are done; wait for the threads to be gone too
        }
        threads.clear();
        if (deadlineThread != null) {
            deadlineThread.interrupt();
            awaitTermination(deadlineThread);
        }
    }

    /**
     * Waits for {@code thread} to terminate, ignoring interrupts and setting the interrupt flag again if one came. A
     * virtual thread is joined (the JDK waits on a latch); a platform thread, whose task has already returned, is
     * polled instead: joining it waits on its monitor, which would pin a virtual caller on JDK 21.
     */
    private static void awaitTermination(Thread thread) {
        if (thread.isVirtual()) {
            Uninterruptibles.joinUninterruptibly(thread);
            return;
        }
        boolean interrupted = false;
        for (long pause = 10_000; thread.isAlive(); pause = Math.min(pause * 2, 1_000_000)) {
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOwner() {
        if (Thread.currentThread() != owner) {
            throw new WrongThreadException("Current thread not owner");
        }
    }

    private boolean ownerHasJoined() {
        return ownerState != OPEN;
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called by a subtask's thread as its last act. */
    private void subtaskEnded() {
        if (running.decrementAndGet() == 0) {
            signal();
        }
    }

    private void subtaskFailed(Throwable failure) {
        if (FIRST_FAILURE.compareAndSet(this, null, failure)) {
            cancel();
        }
    }

    /** The number of threads the scope still tracks, live or not yet pruned: for tests of the bound. */
    int trackedThreads() {
        return threads.size();
    }

    @Override
    public String toString() {
        return "TaskScope[" + config.name() + (cancelled ? ", cancelled" : "") + ", running=" + running.get() + "]";
    }

    /** A registered cancel hook; runs at most once, whoever gets to it first. */
    private static final class Hook implements Registration {
        private final TaskScopeImpl scope;
        private final AutoCloseable action;

        Hook(TaskScopeImpl scope, AutoCloseable action) {
            this.scope = scope;
            this.action = action;
        }

        void runOnce() {
            if (!scope.hooks.remove(this)) {
                return; // already run or withdrawn
            }
            try {
                action.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Cancel hook of scope " + scope.config.name() + " failed", e);
            }
        }

        @Override
        public void close() {
            scope.hooks.remove(this);
        }
    }

    /**
     * A subtask. Its state goes {@code UNAVAILABLE -> SUCCESS} or {@code UNAVAILABLE -> FAILED}, written once by the
     * subtask's own thread, and only if the scope was not cancelled by then.
     */
    static final class SubtaskImpl<T> implements Subtask<T> {
        private final TaskScopeImpl scope;
        private final Callable<? extends T> task;
        private volatile State state = State.UNAVAILABLE;
        private T result; // written before state (volatile) by the subtask's thread
        private Throwable exception; // likewise

        SubtaskImpl(TaskScopeImpl scope, Callable<? extends T> task) {
            this.scope = scope;
            this.task = task;
        }

        void run() {
            try {
                if (scope.cancelled) {
                    return; // cancelled between fork and start: never run
                }
                T value;
                try {
                    value = task.call();
                } catch (Throwable e) {
                    if (!scope.cancelled) {
                        exception = e;
                        state = State.FAILED;
                        scope.subtaskFailed(e);
                    }
                    return;
                }
                if (!scope.cancelled) {
                    result = value;
                    state = State.SUCCESS;
                }
            } finally {
                scope.subtaskEnded();
            }
        }

        @Override
        public State state() {
            return state;
        }

        @Override
        public T get() {
            ensureJoined();
            State s = state;
            return switch (s) {
                case SUCCESS -> result;
                case FAILED -> throw new IllegalStateException("Subtask failed", exception);
                case UNAVAILABLE -> throw new IllegalStateException("Result is unavailable");
            };
        }

        @Override
        public Throwable exception() {
            ensureJoined();
            State s = state;
            return switch (s) {
                case FAILED -> exception;
                case SUCCESS -> throw new IllegalStateException("Subtask did not fail");
                case UNAVAILABLE -> throw new IllegalStateException("Exception is unavailable");
            };
        }

        private void ensureJoined() {
            if (Thread.currentThread() == scope.owner && !scope.ownerHasJoined()) {
                throw new IllegalStateException("Owner did not join after forking");
            }
        }

        @Override
        public String toString() {
            return "Subtask[" + state + "]";
        }
    }
}
