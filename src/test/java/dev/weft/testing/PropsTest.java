package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Props#qt()}: seeds from {@code QT_SEED}, examples from {@code QT_EXAMPLES}, seeds recorded and printed. */
class PropsTest {

    @Test
    void aSeedReplaysTheSameExamplesAndIsRecordedForTheRunningTest() {
        List<Integer> first = withProperty("QT_SEED", "42", () -> firstValues(10));
        List<Integer> again = withProperty("QT_SEED", "42", () -> firstValues(10));
        List<Integer> other = withProperty("QT_SEED", "43", () -> firstValues(10));

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(Props.seedsOf(Props.CURRENT_TEST.get())).containsExactly(42L, 42L, 43L);
    }

    @Test
    void qtExamplesSetsHowManyExamplesRun() {
        AtomicInteger calls = new AtomicInteger();
        withProperty("QT_EXAMPLES", "7", () -> {
            Props.qt().forAll(integers().all()).check(i -> calls.incrementAndGet() > 0);
            return null;
        });
        assertThat(calls).hasValue(7);
    }

    @Test
    void aFalsifiedPropertyPrintsTheSeedItRanWith() {
        assertThatThrownBy(() -> Props.qt().forAll(integers().between(0, 100)).check(i -> i < 50))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Property falsified")
                .hasMessageContaining("Seed was " + Props.seedsOf(Props.CURRENT_TEST.get()).getLast());
    }

    @Test
    void theReplayCommandSelectsOneMethodInBothExecutions() {
        assertThat(Props.replayCommand("dev.weft.scope.TaskScopeTest", "forkAfterClose", -5))
                .isEqualTo("mvn verify -Dtest='dev.weft.scope.TaskScopeTest#forkAfterClose'"
                        + " -Dsurefire.failIfNoSpecifiedTests=false -DQT_SEED=-5");
    }

    private static List<Integer> firstValues(int count) {
        List<Integer> values = new ArrayList<>();
        Props.qt().withExamples(count).forAll(integers().all()).check(values::add);
        return values;
    }

    /** Runs {@code body} with a system property set, then restores what was there (a -D given to the run, say). */
    private static <T> T withProperty(String key, String value, java.util.function.Supplier<T> body) {
        String previous = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }
}
