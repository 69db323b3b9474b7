package dev.weft.testing;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.quicktheories.QuickTheory;

/**
 * QuickTheories for our {@code @Test} methods, with seeds that survive a hang.
 *
 * <p>{@link #qt()} is {@link QuickTheory#qt()} (so {@code QT_EXAMPLES}, {@code QT_SHRINKS}, {@code QT_ATTEMPTS} and
 * {@code QT_TESTING_TIME} apply as usual) with the seed chosen here: {@code QT_SEED} when set, else a fresh one. A
 * falsified property prints its seed itself ({@code Seed was N} in the failure). What QuickTheories cannot print is
 * the seed of a property that never returns: a deadlock found by a generated interleaving ends in a hard timeout, not
 * in a falsification. So {@link #qt()} also records the seed against the running test, and the
 * {@link WeftTestExtension} adds the seeds and the replay command to hard-timeout and leak failures.
 *
 * <p>Thread-safe. Call {@link #qt()} on the test's thread or a thread it started (the test is found through an
 * inheritable thread-local that the extension sets on the test thread).
 */
public final class Props {
    /** The running test's unique id, set by the extension on the thread that runs the test. */
    static final InheritableThreadLocal<String> CURRENT_TEST = new InheritableThreadLocal<>();

    private static final ConcurrentHashMap<String, Queue<Long>> SEEDS = new ConcurrentHashMap<>();

    private Props() {}

    /**
     * A QuickTheory whose seed is {@code QT_SEED} when that system property is set, else fresh, and is recorded for
     * the running test.
     *
     * @throws NumberFormatException if {@code QT_SEED} is not a long
     */
    public static QuickTheory qt() {
        String fixed = System.getProperty("QT_SEED");
        long seed = fixed != null ? Long.parseLong(fixed.trim()) : ThreadLocalRandom.current().nextLong();
        String test = CURRENT_TEST.get();
        if (test != null) {
            SEEDS.computeIfAbsent(test, t -> new ConcurrentLinkedQueue<>()).add(seed);
        }
        return QuickTheory.qt().withFixedSeed(seed);
    }

    /** The seeds {@link #qt()} handed out while the test with this unique id ran, oldest first. */
    static List<Long> seedsOf(String testId) {
        Queue<Long> seeds = SEEDS.get(testId);
        return seeds == null ? List.of() : List.copyOf(seeds);
    }

    static void forget(String testId) {
        SEEDS.remove(testId);
    }

    /**
     * The command that replays one seed of one test method.
     *
     * @param testClass the class as surefire's {@code -Dtest} wants it (fully qualified)
     * @param method    the test method's name
     */
    public static String replayCommand(String testClass, String method, long seed) {
        return "mvn verify -Dtest='" + testClass + "#" + method + "' -Dsurefire.failIfNoSpecifiedTests=false -DQT_SEED="
                + seed;
    }
}
