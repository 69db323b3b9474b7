package dev.weft.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;

/**
 * The platform thread that runs test code for one JUnit thread, so that the JUnit thread can give up on it.
 *
 * <p>Every invocation the {@link WeftTestExtension} intercepts (constructor, lifecycle methods, test, dynamic test)
 * is handed to this thread, and the JUnit thread waits for it with a deadline. All invocations of a JUnit thread go to
 * the same runner thread, so test code keeps the single-thread view it would have on JUnit's own thread (a scope
 * opened in {@code @BeforeEach} has the test body as its owner). When an invocation overruns, the JUnit thread dumps
 * all threads, interrupts the runner and waits a grace period; if the invocation still has not returned, the runner
 * is abandoned (a daemon thread; it exits if the invocation ever returns) and the next invocation gets a fresh one.
 * A wedged test therefore fails alone and never wedges the run.
 *
 * <p>Runner threads are named {@code test-runner-N}: not {@code weft-}, so leak checks ignore them.
 */
final class TestRunnerThread {
    private static final ThreadLocal<TestRunnerThread> RUNNERS = new ThreadLocal<>();
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final Thread thread;
    private final SynchronousQueue<Job<?>> jobs = new SynchronousQueue<>(); // JUnit thread puts, runner takes
    private volatile boolean retired; // written by the JUnit thread once, read by the runner

    private TestRunnerThread() {
        thread = Thread.ofPlatform().daemon().name("test-runner-" + COUNT.incrementAndGet()).unstarted(this::loop);
        thread.start();
    }

    /** Where a timeout writes its dump and what it reports; built by the extension. */
    record Bounds(Duration timeout, Duration grace, Path dumpFile, String subject, String testId,
            Supplier<List<String>> replayHints) {}

    /**
     * Runs {@code invocation} on the current JUnit thread's runner and returns its result, or throws what it threw.
     *
     * @throws HardTimeoutError if it overran {@code bounds.timeout()}
     */
    static <T> T run(Invocation<T> invocation, Bounds bounds) throws Throwable {
        TestRunnerThread runner = RUNNERS.get();
        if (runner == null) {
            runner = new TestRunnerThread();
            RUNNERS.set(runner);
        }
        return runner.execute(invocation, bounds);
    }

    private void loop() {
        while (!retired) {
            Job<?> job;
            try {
                job = jobs.take();
            } catch (InterruptedException e) {
                continue; // an interrupt aimed at a finished invocation, or retirement
            }
            job.run();
        }
    }

    private <T> T execute(Invocation<T> invocation, Bounds bounds) throws Throwable {
        Job<T> job = new Job<>(invocation, bounds.testId(), Thread.currentThread().getContextClassLoader());
        jobs.put(job);
        long end = System.nanoTime() + bounds.timeout().toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (job.done.await(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return job.outcome();
                    }
                    break;
                } catch (InterruptedException e) {
                    // Someone (JUnit's own @Timeout, say) interrupted the JUnit thread: pass it on to the test.
                    interrupted = true;
                    thread.interrupt();
                }
            }
            throw timedOut(job, bounds);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private HardTimeoutError timedOut(Job<?> job, Bounds bounds) {
        StackTraceElement[] stack = thread.getStackTrace();
        String nl = System.lineSeparator();
        String dumpNote;
        String dumpText;
        try {
            Path file = ThreadDumps.writeText(bounds.dumpFile());
            dumpText = Files.readString(file);
            dumpNote = "thread dump (all threads, virtual ones included) in " + file;
        } catch (IOException | RuntimeException e) {
            dumpText = ThreadDumps.text();
            dumpNote = "could not write " + bounds.dumpFile() + " (" + e + "); dump printed to System.err only";
        }
        System.err.println("=== HARD TIMEOUT: " + bounds.subject() + " did not complete within "
                + bounds.timeout().toSeconds() + " s; " + dumpNote + nl + dumpText + "=== END OF THREAD DUMP");
        thread.interrupt();
        boolean ended;
        try {
            ended = job.done.await(bounds.grace().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // report the timeout now; the caller sees the flag
            ended = job.done.getCount() == 0;
        }
        String fate;
        if (ended) {
            fate = "The test thread ended after being interrupted.";
        } else {
            retired = true;
            RUNNERS.remove();
            fate = "The test thread ignored the interrupt for " + bounds.grace().toMillis()
                    + " ms and was abandoned (" + thread.getName() + " may still be running).";
        }
        StringBuilder message = new StringBuilder(bounds.subject()).append(" did not complete within ")
                .append(bounds.timeout().toSeconds()).append(" s (hard timeout); ").append(dumpNote).append('.')
                .append(nl).append(fate);
        for (String hint : bounds.replayHints().get()) {
            message.append(nl).append(hint);
        }
        HardTimeoutError error = new HardTimeoutError(message.toString(), stack);
        Throwable late = ended ? job.failure : null;
        if (late != null) {
            error.addSuppressed(late);
        }
        return error;
    }

    /** One invocation handed to the runner. Fields are written by the runner before {@code done} opens. */
    private static final class Job<T> {
        private final Invocation<T> invocation;
        private final String testId;
        private final ClassLoader contextLoader;
        final CountDownLatch done = new CountDownLatch(1);
        private T result;
        Throwable failure;

        Job(Invocation<T> invocation, String testId, ClassLoader contextLoader) {
            this.invocation = invocation;
            this.testId = testId;
            this.contextLoader = contextLoader;
        }

        void run() {
            Thread self = Thread.currentThread();
            Thread.interrupted(); // an interrupt aimed at the previous invocation must not hit this one
            self.setContextClassLoader(contextLoader);
            Props.CURRENT_TEST.set(testId);
            try {
                result = invocation.proceed();
            } catch (Throwable t) {
                failure = t;
            } finally {
                Props.CURRENT_TEST.remove();
                done.countDown();
            }
        }

        T outcome() throws Throwable {
            if (failure != null) {
                throw failure;
            }
            return result;
        }
    }
}
