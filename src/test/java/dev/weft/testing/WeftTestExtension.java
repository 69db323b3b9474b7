package dev.weft.testing;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The discipline every test gets without asking: registered for all test classes by autodetection
 * ({@code src/test/resources/junit-platform.properties} and {@code META-INF/services}).
 *
 * <ul>
 *   <li><b>Hard timeout</b> on every invocation of test code (see {@link HardTimeout}, {@link TestRunnerThread}):
 *       the code runs on a runner thread; past the timeout all threads are dumped to
 *       {@code target/thread-dumps/<class>.<method>.txt} and to {@code System.err}, the runner is interrupted, and
 *       the invocation fails with a {@link HardTimeoutError} naming the file. A test that ignores the interrupt is
 *       abandoned after a grace period ({@value #TIMEOUT_GRACE_MILLIS}, default 2000 ms); the run goes on.
 *   <li><b>Leak check</b> after each test and after each class ({@link LeakCheck}): threads named {@code weft-*}
 *       (platform and virtual) and child processes started by the test (from before its {@code @BeforeEach} methods
 *       to after its {@code @AfterEach} methods), or by the class (from before its {@code @BeforeAll} methods to after
 *       its {@code @AfterAll} methods), must be gone within {@value #LEAK_DEADLINE_MILLIS} (default 5000 ms), else
 *       the test or class fails with a {@link LeakError}. Threads alive when the class's first test started (class
 *       fixtures) are not blamed on its tests.
 *   <li><b>Pinning check</b> per test class ({@link PinningRecorder}, {@link Pinning}): a JFR recording from before
 *       {@code @BeforeAll} to after {@code @AfterAll}; any {@code jdk.VirtualThreadPinned} event with one of our
 *       frames fails the class with a {@link PinnedCarrierError} naming the test that was running. Per class, not per
 *       test, because a deterministic read costs about 10 ms (see {@link PinningRecorder}).
 * </ul>
 *
 * <p>Knobs are JUnit configuration parameters, which JUnit also reads from system properties: {@value
 * #TIMEOUT_SECONDS}, {@value #TIMEOUT_GRACE_MILLIS}, {@value #LEAK_DEADLINE_MILLIS}.
 *
 * <p>Runs on JUnit's threads; keeps its per-class and per-test state in the extension context stores. Works with
 * JUnit's sequential execution; under parallel execution each JUnit thread gets its own runner thread, but leak and
 * pinning attribution assume one test at a time.
 */
public final class WeftTestExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, InvocationInterceptor {
    /** Default hard timeout per invocation, seconds. */
    public static final String TIMEOUT_SECONDS = "weft.test.timeout.seconds";
    /** How long an interrupted test may take to unwind before it is abandoned, milliseconds. */
    public static final String TIMEOUT_GRACE_MILLIS = "weft.test.timeout.grace.millis";
    /** How long leftovers of a test may take to end before it fails as leaking, milliseconds. */
    public static final String LEAK_DEADLINE_MILLIS = "weft.test.leak.deadline.millis";
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    static final long DEFAULT_GRACE_MILLIS = 2_000;
    static final long DEFAULT_LEAK_DEADLINE_MILLIS = 5_000;

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(WeftTestExtension.class);
    private static final String CLASS_BASELINE = "classBaseline";
    private static final String FIXTURE_BASELINE = "fixtureBaseline";
    private static final String RECORDER = "pinningRecorder";
    private static final String STARTED = "started";

    /** Autodetection instantiates this. */
    public WeftTestExtension() {}

    // ---- leak and pinning checks --------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        store.put(key(CLASS_BASELINE, context), LeakCheck.baseline());
        store.put(key(RECORDER, context), PinningRecorder.start());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        classContext.getStore(NS).computeIfAbsent(key(FIXTURE_BASELINE, classContext), k -> LeakCheck.baseline(),
                LeakCheck.Baseline.class);
        context.getStore(NS).put(key(STARTED, context), Instant.now());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String subject = subject(context);
        Instant started = context.getStore(NS).get(key(STARTED, context), Instant.class);
        if (started != null) {
            Pinning.recordWindow(new Pinning.TestWindow(subject, started, Instant.now()));
        }
        ExtensionContext classContext = classContext(context);
        LeakCheck.Baseline baseline = classContext.getStore(NS).get(key(FIXTURE_BASELINE, classContext),
                LeakCheck.Baseline.class);
        if (baseline == null) {
            return; // beforeEach failed before taking it, and failed the test with that
        }
        try {
            LeakCheck.verify(baseline, millis(context, LEAK_DEADLINE_MILLIS, DEFAULT_LEAK_DEADLINE_MILLIS), subject);
        } catch (LeakError e) {
            List<String> hints = replayHints(context);
            if (hints.isEmpty()) {
                throw e;
            }
            LeakError withSeeds = new LeakError(e.getMessage() + System.lineSeparator() + String.join(
                    System.lineSeparator(), hints));
            withSeeds.setStackTrace(e.getStackTrace());
            throw withSeeds;
        } finally {
            Props.forget(context.getUniqueId());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        String subject = context.getRequiredTestClass().getName() + " (class level)";
        AssertionError failure = null;
        LeakCheck.Baseline baseline = store.get(key(CLASS_BASELINE, context), LeakCheck.Baseline.class);
        PinningRecorder recorder = store.remove(key(RECORDER, context), PinningRecorder.class);
        if (baseline == null || recorder == null) {
            if (recorder != null) {
                recorder.close();
            }
            return; // beforeAll failed, and failed the class with that
        }
        try {
            LeakCheck.verify(baseline, millis(context, LEAK_DEADLINE_MILLIS, DEFAULT_LEAK_DEADLINE_MILLIS), subject);
        } catch (LeakError e) {
            failure = e;
        }
        List<Pinning.Pin> ours = new ArrayList<>();
        for (Pinning.Pin pin : recorder.stop()) {
            if (!Pinning.culprits(pin).isEmpty() && Pinning.claim(pin)) {
                ours.add(pin);
            }
        }
        if (!ours.isEmpty()) {
            PinnedCarrierError pinned = new PinnedCarrierError(Pinning.describe(context.getRequiredTestClass()
                    .getName(), ours));
            if (failure == null) {
                failure = pinned;
            } else {
                failure.addSuppressed(pinned);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A store key owned by one context. Store lookups fall back to enclosing contexts, so a plain key would let a
     * {@code @Nested} class find (and reuse) its outer class's baseline instead of taking its own.
     */
    private static List<String> key(String name, ExtensionContext owner) {
        return List.of(name, owner.getUniqueId());
    }

    // ---- hard timeouts --------------------------------------------------------------------------------------------

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD; // so that the constructor is bounded by the test's own timeout
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation,
            ReflectiveInvocationContext<Constructor<T>> invocationContext, ExtensionContext context) throws Throwable {
        return bounded(invocation, context, invocationContext.getExecutable(), "constructor");
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), "beforeAll-"
                + invocationContext.getExecutable().getName());
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), "beforeEach-"
                + invocationContext.getExecutable().getName());
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), null);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), null);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        return bounded(invocation, context, invocationContext.getExecutable(), null);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext context) throws Throwable {
        bounded(invocation, context, null, null); // subject and dump file name the dynamic test
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), "afterEach-"
                + invocationContext.getExecutable().getName());
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        bounded(invocation, context, invocationContext.getExecutable(), "afterAll-"
                + invocationContext.getExecutable().getName());
    }

    /**
     * @param executable the invoked method or constructor, for its own {@link HardTimeout}; null for dynamic tests
     * @param part       the lifecycle method that runs, or null for the test itself (or a dynamic test)
     */
    private static <T> T bounded(Invocation<T> invocation, ExtensionContext context, AnnotatedElement executable,
            String part) throws Throwable {
        Optional<Method> testMethod = testMethod(context);
        ExtensionContext classBearing = testContext(context); // a dynamic test's own context has no class
        Duration timeout = timeout(
                Optional.ofNullable(executable).flatMap(e -> AnnotationSupport.findAnnotation(e, HardTimeout.class)),
                testMethod.flatMap(m -> AnnotationSupport.findAnnotation(m, HardTimeout.class)),
                classBearing.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, HardTimeout.class,
                        classBearing.getEnclosingTestClasses())),
                context.getConfigurationParameter(TIMEOUT_SECONDS));
        String subject = subject(context) + (part == null ? "" : " [" + part + "]");
        TestRunnerThread.Bounds bounds = new TestRunnerThread.Bounds(timeout,
                millis(context, TIMEOUT_GRACE_MILLIS, DEFAULT_GRACE_MILLIS),
                dumpFile(context, testMethod, part), subject, testContext(context).getUniqueId(),
                () -> replayHints(testContext(context)));
        return TestRunnerThread.run(invocation, bounds);
    }

    /**
     * The hard timeout: the first annotation present among the invoked method's, the test method's and the test
     * class's (or an enclosing class's), else the configured default, else {@value #DEFAULT_TIMEOUT_SECONDS} s.
     *
     * @throws IllegalArgumentException if the chosen value is not a positive number of seconds
     */
    static Duration timeout(Optional<HardTimeout> executable, Optional<HardTimeout> testMethod,
            Optional<HardTimeout> testClass, Optional<String> configured) {
        Optional<HardTimeout> annotated = executable.or(() -> testMethod).or(() -> testClass);
        long seconds;
        String source;
        if (annotated.isPresent()) {
            seconds = annotated.get().seconds();
            source = "@HardTimeout";
        } else if (configured.isPresent()) {
            source = TIMEOUT_SECONDS + "=" + configured.get();
            try {
                seconds = Long.parseLong(configured.get().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + " is not a number of seconds", e);
            }
        } else {
            seconds = DEFAULT_TIMEOUT_SECONDS;
            source = "default";
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException(source + ": a hard timeout must be positive, got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    // ---- naming -------------------------------------------------------------------------------------------------

    private static Duration millis(ExtensionContext context, String key, long fallback) {
        long value = context.getConfigurationParameter(key).map(v -> Long.parseLong(v.trim())).orElse(fallback);
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + value);
        }
        return Duration.ofMillis(value);
    }

    /** The test method of this context or of the nearest enclosing one (a dynamic test's factory). */
    private static Optional<Method> testMethod(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isPresent()) {
                return c.getTestMethod();
            }
        }
        return Optional.empty();
    }

    /** The nearest context with a test method (a dynamic test's factory), else {@code context} itself. */
    private static ExtensionContext testContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isPresent()) {
                return c;
            }
        }
        return context;
    }

    private static String testClassName(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent()) {
                return c.getTestClass().get().getName();
            }
        }
        return "unknown";
    }

    /** The nearest context that is a class: where the class-level state lives. */
    private static ExtensionContext classContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isEmpty() && c.getElement().filter(Class.class::isInstance).isPresent()) {
                return c;
            }
        }
        throw new IllegalStateException("No class context above " + context.getUniqueId());
    }

    /** "dev.weft.x.FooTest.bar()" plus the display name when it adds something (templates, dynamic tests). */
    static String subject(ExtensionContext context) {
        String className = testClassName(context);
        Optional<Method> method = testMethod(context);
        if (method.isEmpty()) {
            return className;
        }
        String base = className + "." + method.get().getName() + "()";
        String display = context.getDisplayName();
        return display.equals(method.get().getName() + "()") ? base : base + " [" + display + "]";
    }

    /** {@code target/thread-dumps/<class>.<method>[<invocation>][.<dynamic test>][.<part>].txt}, sanitized. */
    private static Path dumpFile(ExtensionContext context, Optional<Method> testMethod, String part) {
        StringBuilder name = new StringBuilder(testClassName(context));
        testMethod.ifPresent(m -> name.append('.').append(m.getName()));
        String uniqueId = context.getUniqueId();
        int invocation = uniqueId.lastIndexOf("-invocation:#");
        if (invocation >= 0) {
            name.append('[').append(uniqueId, invocation + "-invocation:#".length(), uniqueId.length() - 1)
                    .append(']');
        }
        if (uniqueId.contains("[dynamic-test:")) {
            name.append('.').append(context.getDisplayName());
        }
        if (part != null) {
            name.append('.').append(part);
        }
        String safe = name.toString().replaceAll("[^A-Za-z0-9._$\\[\\]-]", "_");
        return ThreadDumps.buildDirectory().resolve("thread-dumps").resolve(safe + ".txt");
    }

    private static List<String> replayHints(ExtensionContext context) {
        List<Long> seeds = Props.seedsOf(context.getUniqueId());
        Optional<Method> method = testMethod(context);
        if (seeds.isEmpty() || method.isEmpty()) {
            return List.of();
        }
        List<String> hints = new ArrayList<>();
        hints.add("QuickTheories seeds used by this test (Props.qt()), oldest first: " + seeds + "; replay with:");
        for (long seed : seeds) {
            hints.add("  " + Props.replayCommand(context.getRequiredTestClass().getName(), method.get().getName(),
                    seed));
        }
        return hints;
    }
}
