package dev.weft.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a fixture class in a nested JUnit launcher, with the same autodetected {@link WeftTestExtension} as the outer
 * run, and records what happened to each test and container. For self-tests that must see the extension fail a test.
 */
final class FixtureRun {
    /** Short deadlines so that fixtures which must fail do so quickly. */
    static final Map<String, String> FAST = Map.of(
            WeftTestExtension.LEAK_DEADLINE_MILLIS, "500",
            WeftTestExtension.TIMEOUT_GRACE_MILLIS, "500");

    record Outcome(TestIdentifier id, TestExecutionResult result) {
        boolean failed() {
            return result.getStatus() == TestExecutionResult.Status.FAILED;
        }

        Throwable failure() {
            return result.getThrowable().orElseThrow(() -> new AssertionError(id.getDisplayName() + " did not fail"));
        }
    }

    private final List<Outcome> outcomes;

    private FixtureRun(List<Outcome> outcomes) {
        this.outcomes = outcomes;
    }

    static FixtureRun run(Class<?> fixture) {
        return run(fixture, FAST);
    }

    static FixtureRun run(Class<?> fixture, Map<String, String> configuration) {
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(fixture))
                .configurationParameters(configuration)
                .build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                outcomes.add(new Outcome(id, result));
            }
        });
        return new FixtureRun(List.copyOf(outcomes));
    }

    /** The outcome of the test method with this name. */
    Outcome test(String methodName) {
        return find(id -> id.isTest() && id.getDisplayName().equals(methodName + "()"))
                .orElseThrow(() -> new AssertionError("No test " + methodName + " in " + outcomes));
    }

    /** The outcome of the fixture class's container. */
    Outcome container(Class<?> fixture) {
        return find(id -> id.isContainer() && id.getUniqueId().endsWith("[class:" + fixture.getName() + "]"))
                .orElseThrow(() -> new AssertionError("No container for " + fixture.getName() + " in " + outcomes));
    }

    List<Outcome> all() {
        return outcomes;
    }

    private Optional<Outcome> find(java.util.function.Predicate<TestIdentifier> which) {
        return outcomes.stream().filter(o -> which.test(o.id())).findFirst();
    }
}
