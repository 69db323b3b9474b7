package dev.weft.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * Waits that an interrupt does not cut short: each method waits as asked, remembers an interrupt that came meanwhile
 * (or was pending on entry), and sets the caller's interrupt flag again before it returns or throws. For close paths
 * and watchers that must finish waiting, bounded by someone else, and must never swallow an interrupt.
 *
 * <p>Thread-safe: the methods are static and keep no state; each blocks only its caller, for as long as it says.
 */
public final class Uninterruptibles {
    private Uninterruptibles() {}

    /** Waits until {@code latch} reaches zero. */
    public static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    latch.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits up to {@code nanos} for {@code latch} to reach zero.
     *
     * @return whether it reached zero
     */
    public static boolean awaitUninterruptibly(CountDownLatch latch, long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits on {@code condition} until {@code done} holds. The caller holds the condition's lock; {@code done} is
     * evaluated under it, first before any wait.
     */
    public static void awaitUninterruptibly(Condition condition, BooleanSupplier done) {
        boolean interrupted = false;
        try {
            while (!done.getAsBoolean()) {
                try {
                    condition.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Tries to take {@code lock} within {@code nanos}, by {@link Lock#tryLock(long, TimeUnit)}.
     *
     * @return whether the lock was taken
     */
    public static boolean tryLockUninterruptibly(Lock lock, long nanos) {
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + nanos;
            while (true) {
                try {
                    return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits up to {@code nanos} for {@code executor}, already shut down, to finish its tasks, by
     * {@link ExecutorService#awaitTermination}.
     *
     * @return whether every task finished in time
     */
    public static boolean awaitTerminationUninterruptibly(ExecutorService executor, long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return executor.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /** Waits for {@code thread} to terminate, by {@link Thread#join()}. */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    thread.join();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits up to {@code nanos} for {@code thread} to terminate, by {@link Thread#join(java.time.Duration)}; when no
     * time is left it does not wait at all.
     *
     * @return whether the thread has terminated
     */
    public static boolean joinUninterruptibly(Thread thread, long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return !thread.isAlive();
                }
                try {
                    if (thread.join(java.time.Duration.ofNanos(left))) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits for {@code future} to complete and returns its result.
     *
     * @throws ExecutionException as {@link Future#get()} does
     */
    public static <V> V getUninterruptibly(Future<V> future) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /**
     * Waits up to {@code nanos} for {@code future} to complete and returns its result.
     *
     * @throws ExecutionException as {@link Future#get(long, TimeUnit)} does
     * @throws TimeoutException   if it has not completed in time
     */
    public static <V> V getUninterruptibly(Future<V> future, long nanos) throws ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    /** Sleeps for {@code nanos}. */
    public static void sleepUninterruptibly(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            restore(interrupted);
        }
    }

    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
