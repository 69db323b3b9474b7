package dev.weft.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Measures what the {@link WeftTestExtension} costs per test and per class when nothing leaks, hangs or pins: runs
 * trivial tests with extension autodetection off and on, alternately, and prints the difference. A tool, not a test:
 * <pre>{@code
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.weft.testing.OverheadProbe
 * }</pre>
 */
public final class OverheadProbe {
    private static final int TESTS = 200;
    private static final int CLASSES = 20;

    private OverheadProbe() {}

    public static void main(String[] args) {
        for (int round = 0; round < 4; round++) {
            boolean warmup = round < 2;
            long offTests = run(false, selectClass(ManyTests.class));
            long onTests = run(true, selectClass(ManyTests.class));
            long offClasses = runClasses(false);
            long onClasses = runClasses(true);
            if (!warmup) {
                System.out.printf("per test: %d us (%d tests: %d ms without, %d ms with the extension)%n",
                        (onTests - offTests) / 1_000 / TESTS, TESTS, offTests / 1_000_000, onTests / 1_000_000);
                System.out.printf("per class of one test: %d us (%d classes: %d ms without, %d ms with)%n",
                        (onClasses - offClasses) / 1_000 / CLASSES, CLASSES, offClasses / 1_000_000,
                        onClasses / 1_000_000);
            }
        }
    }

    private static long runClasses(boolean extension) {
        var selectors = new java.util.ArrayList<org.junit.platform.engine.DiscoverySelector>();
        for (Class<?> c : OneTest.class.getDeclaredClasses()) {
            selectors.add(selectClass(c));
        }
        return run(extension, selectors.toArray(org.junit.platform.engine.DiscoverySelector[]::new));
    }

    private static long run(boolean extension, org.junit.platform.engine.DiscoverySelector... selectors) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors)
                .configurationParameters(Map.of("junit.jupiter.extensions.autodetection.enabled",
                        Boolean.toString(extension)))
                .build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        long start = System.nanoTime();
        LauncherFactory.create().execute(request, summary);
        long took = System.nanoTime() - start;
        if (summary.getSummary().getTotalFailureCount() > 0) {
            throw new AssertionError("trivial tests failed: " + summary.getSummary().getFailures());
        }
        return took + TimeUnit.MILLISECONDS.toNanos(0);
    }

    /** Trivial tests. */
    public static final class ManyTests {
        @RepeatedTest(TESTS)
        void trivial() {}
    }

    /** Twenty classes of one trivial test each. */
    public static final class OneTest {
        private OneTest() {}

        // CHECKSTYLE:OFF one line each
        public static final class C1 { @Test void t() {} }
        public static final class C2 { @Test void t() {} }
        public static final class C3 { @Test void t() {} }
        public static final class C4 { @Test void t() {} }
        public static final class C5 { @Test void t() {} }
        public static final class C6 { @Test void t() {} }
        public static final class C7 { @Test void t() {} }
        public static final class C8 { @Test void t() {} }
        public static final class C9 { @Test void t() {} }
        public static final class C10 { @Test void t() {} }
        public static final class C11 { @Test void t() {} }
        public static final class C12 { @Test void t() {} }
        public static final class C13 { @Test void t() {} }
        public static final class C14 { @Test void t() {} }
        public static final class C15 { @Test void t() {} }
        public static final class C16 { @Test void t() {} }
        public static final class C17 { @Test void t() {} }
        public static final class C18 { @Test void t() {} }
        public static final class C19 { @Test void t() {} }
        public static final class C20 { @Test void t() {} }
    }
}
