/**
 * The test discipline: what every Weft test gets without asking, and the few helpers tests use on purpose.
 *
 * <p>It follows the TCK discipline of STYLE.md (JSR166TestCase): failures anywhere fail the test, every thread is
 * joined, nothing waits by sleeping, and a watchdog dumps all threads of a wedged test. Every check below is proven
 * by a self-test in this package that makes it fire on a fixture that misbehaves on purpose
 * ({@code dev.weft.misbehaving}, run through a nested JUnit launcher, never by surefire itself).
 *
 * <h2>Registered for every test class</h2>
 * {@link dev.weft.testing.WeftTestExtension} is autodetected ({@code src/test/resources/junit-platform.properties},
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}); no test names it. It does three things.
 *
 * <h3>Hard timeouts with thread dumps</h3>
 * Every invocation of test code (constructor, {@code @BeforeAll}/{@code @BeforeEach} methods, the test, each dynamic
 * test, {@code @AfterEach}/{@code @AfterAll} methods) runs on a platform thread {@code test-runner-N}, one per JUnit
 * thread, so {@code @BeforeEach} and the test share a thread as they would on JUnit's. The JUnit thread waits for it
 * with a deadline: {@link dev.weft.testing.HardTimeout @HardTimeout(seconds = N)} on the method, else on the class (or
 * an enclosing class), else {@code -Dweft.test.timeout.seconds}, else 60 s. When the deadline passes:
 * <ol>
 *   <li>all threads, virtual ones included, are dumped to {@code target/thread-dumps/<class>.<method>.txt} (plus
 *       {@code [n]} for a parameterized invocation, {@code .<name>} for a dynamic test, {@code .beforeEach-<m>} and
 *       so on for a lifecycle method) and printed to {@code System.err} (surefire puts that in
 *       {@code target/surefire-reports/<class>-output.txt});
 *   <li>the runner thread is interrupted;
 *   <li>the invocation fails with a {@link dev.weft.testing.HardTimeoutError} that names the file and carries the
 *       runner's stack at the moment the timeout fired.
 * </ol>
 * If the test ignores the interrupt for {@code weft.test.timeout.grace.millis} (default 2000), its runner is
 * abandoned and the next invocation gets a fresh one: a wedged test fails alone and the run goes on.
 *
 * <p>Virtual threads appear in dumps because {@link dev.weft.testing.ThreadDumps} uses
 * {@code HotSpotDiagnosticMXBean.dumpThreads}. Those created directly with the Thread API (all of ours) appear only
 * while {@code jdk.trackAllThreads} is unset or true, which is the JDK default; {@code -Djdk.trackAllThreads=false}
 * hides them ({@code ThreadDumpsTest} proves both in child JVMs), so the checks refuse to run with it.
 *
 * <h3>Leak checks</h3>
 * After each test (after its {@code @AfterEach} methods) every thread named {@code weft-*}, platform or virtual, and
 * every descendant process of the test JVM that was not alive when the class's first test began must be gone within
 * {@code weft.test.leak.deadline.millis} (default 5000). The check re-reads the state after short parks (1 ms
 * doubling to 50 ms), never a fixed sleep. After each class (after {@code @AfterAll}) the same holds against the state
 * before {@code @BeforeAll}. On failure ({@link dev.weft.testing.LeakError}) every leaked thread is named with its
 * stack and every leaked process with pid and command line; the processes are destroyed forcibly so that the next
 * test starts clean; threads cannot be destroyed, so they are quarantined and blamed once. Limits: only the name
 * prefix identifies our threads (a scope opened with a custom name makes threads the check cannot see), and a
 * grandchild process whose parent exited is re-parented away from this JVM and escapes.
 *
 * <h3>Pinning checks</h3>
 * Each test class runs under a JFR recording of {@code jdk.VirtualThreadPinned} (threshold 0, stack traces), from
 * before {@code @BeforeAll} to after {@code @AfterAll}. Any event with a frame in {@code dev.weft.*} outside
 * {@code dev.weft.testing.*} fails the <em>class</em> with a {@link dev.weft.testing.PinnedCarrierError} that names
 * the thread, the reason, the stack and the test that was running. Per class rather than per test because JFR
 * delivers streamed events only at its periodic flush, at most once a second, and nothing public makes the stream
 * deliver sooner (measured: forcing chunk rotations left the 90th percentile at 1 s); reading a stopped recording is
 * exact but costs about 6-10 ms, which is fine per class and too much per test. Test code in our packages counts as
 * ours (a test that pins distorts, or on one carrier hangs, what it proves); {@code dev.weft.testing} is exempt
 * because its self-tests pin on purpose. See {@link dev.weft.testing.Pinning}. JFR keeps 64 frames per stack by
 * default; a deeper pin whose only frames of ours are beyond that is missed ({@code
 * -XX:FlightRecorderOptions:stackdepth=256} would raise it).
 *
 * <p>What pins: on JDK 21-23, blocking while holding a monitor; on JDK 24+ with default (lightweight) locking,
 * monitors no longer pin (JEP 491), but blocking in a class initializer or under a native frame still does, on every
 * JDK. The one-carrier execution runs with {@code -XX:LockingMode=1}, under which monitors pin again on JDK 25, which
 * is how JDK 21's behaviour is tested on JDK 25.
 *
 * <h2>Static monitor ban</h2>
 * {@link dev.weft.testing.MonitorBanTest} reads every class under {@code target/classes/dev/weft} with ASM
 * ({@link dev.weft.testing.MonitorScanner}) and fails listing {@code class#method} for each {@code synchronized}
 * method or {@code monitorenter} instruction. Use {@code java.util.concurrent.locks} instead.
 *
 * <h2>Waiting</h2>
 * Never {@code Thread.sleep} to let something happen. Pin orders with latches or blocking seams in test transports;
 * when there is nothing to block on, {@link dev.weft.testing.Await#until Await.until(condition, deadline, what)}
 * polls with short parks and fails with {@code what} and a dump of all threads at the deadline.
 *
 * <h2>Property tests, seeds and replay</h2>
 * We call QuickTheories 0.26 from {@code @Test} methods through {@link dev.weft.testing.Props#qt() Props.qt()}
 * (QuickTheories' own {@code qt()} with the seed chosen by us). A falsified property fails with QuickTheories'
 * message, which ends with {@code Seed was N}:
 * <pre>
 * Property falsified after 161 example(s)
 * Smallest found falsifying value(s) :-
 * 3
 * ...
 * Seed was 4907653821462836021
 * </pre>
 * Replay exactly that test with that seed (both executions run; the one-carrier execution finds nothing to run when
 * the test is not tagged {@code concurrency}, which {@code failIfNoSpecifiedTests=false} allows):
 * <pre>
 * mvn verify -Dtest='dev.weft.x.FooTest#bar' -Dsurefire.failIfNoSpecifiedTests=false -DQT_SEED=4907653821462836021
 * </pre>
 * Maven passes {@code -D} user properties on to surefire's forked JVM as system properties (verified: the replay
 * reports the same "falsified after 161 example(s)"), so no pom change is needed. {@code -DQT_EXAMPLES=N} sets the
 * number of examples for every property (also {@code QT_SHRINKS}, {@code QT_ATTEMPTS}, {@code QT_TESTING_TIME});
 * a seed generates the same sequence of examples whatever the count, so replay with a count at least as large as
 * the one that failed. A property that hangs or leaks is not
 * "falsified", so QuickTheories prints nothing; for those, the hard-timeout and leak failures list the seeds that
 * {@code Props.qt()} handed out during the test, each with its replay command.
 *
 * <h2>The one-carrier execution</h2>
 * Surefire runs the suite twice: {@code default-test} (every test) and {@code one-carrier} (only
 * {@code @Tag("concurrency")}, with {@code -Djdk.virtualThreadScheduler.parallelism=1
 * -Djdk.virtualThreadScheduler.maxPoolSize=1 -XX:LockingMode=1} and {@code -Dweft.carriers=one}). With one carrier a
 * pinned virtual thread stalls every other one, so a pinning bug shows as a hang (and then as a hard timeout with a
 * dump) even where JFR would see no event. Tag every test that exercises concurrency. A self-test that runs in both
 * executions must be able to fail in both: {@code PinningDetectorTest} expects a monitor pin exactly when legacy
 * locking is on, and the pinning of class initializers in both.
 *
 * <h2>Costs (JDK 25, 2 cores, nothing leaking; {@link dev.weft.testing.OverheadProbe})</h2>
 * About 1.5 ms per test: a JSON thread dump (about 0.4 ms; not parsed unless some thread name starts with
 * {@code weft-}) and a scan of the process table (about 0.6 ms), plus the hand-off to the runner thread. About
 * 10 ms per class: two more dumps and scans, and the JFR recording (about 6-9 ms). There is no sound cheaper fast path
 * for virtual threads: nothing public counts or lists them except a thread dump.
 *
 * <h2>Why some calls are reflective</h2>
 * Test sources are compiled patched into module {@code dev.weft}, which (rightly) does not read
 * {@code java.management}, {@code jdk.management} or {@code jdk.jfr}; tests run on the class path, where reflection on
 * those exported APIs works. {@code HotSpot} and the JFR adapter in {@code PinningRecorder} hold all of it. Adding
 * {@code --add-modules jdk.jfr,jdk.management} and {@code --add-reads dev.weft=jdk.jfr,jdk.management,java.management}
 * to the {@code default-testCompile} compiler arguments would let them use the typed APIs.
 */
package dev.weft.testing;
