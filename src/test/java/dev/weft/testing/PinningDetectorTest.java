package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.misbehaving.Misbehaving;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pinning detector catches real pinning, in both executions.
 *
 * <p>Tagged {@code concurrency} so it runs in both the default and the one-carrier execution, and meaningful in
 * each: pinning in a class initializer happens on every JDK from 21 to 25 whatever the locking mode, so those tests
 * assert an event in both; a monitor pins only under legacy locking ({@code -XX:LockingMode=1}, the one-carrier
 * execution) or before JDK 24, and {@link #blockingWhileHoldingAMonitorPinsOnlyUnderLegacyLocking} asserts the event
 * there and its absence elsewhere (which would fail if JEP 491 stopped working).
 */
@Tag("concurrency")
class PinningDetectorTest {

    @Test
    void blockingInAClassInitializerPinsAndIsCaughtAsOurs() throws InterruptedException {
        PinningRecorder recorder = PinningRecorder.start();
        Thread.ofVirtual().name("weft-pin-probe").start(Misbehaving.SlowClassInitializers.ForRecorder::touch).join();
        List<Pinning.Pin> pins = pinsIn(recorder.stop(), Misbehaving.SlowClassInitializers.ForRecorder.class);

        assertThat(pins).hasSize(1);
        Pinning.Pin pin = pins.getFirst();
        assertThat(pin.threadName()).isEqualTo("weft-pin-probe");
        assertThat(pin.duration()).isPositive();
        assertThat(Pinning.culprits(pin)).as("the fixture lives in dev.weft.misbehaving, which is ours")
                .anySatisfy(frame -> assertThat(frame.method()).isEqualTo("<clinit>"));
        if (Runtime.version().feature() >= 24) {
            assertThat(pin.reason()).contains("<clinit>");
        }
        assertThat(Pinning.claim(pin)).as("first claim").isTrue(); // so this class's own check does not fail on it
        assertThat(Pinning.claim(pin)).as("second claim").isFalse();
    }

    @Test
    void blockingWhileHoldingAMonitorPinsOnlyUnderLegacyLocking() throws InterruptedException {
        boolean monitorsPin = monitorsPin();
        if ("one".equals(System.getProperty("weft.carriers"))) {
            assertThat(monitorsPin).as("the one-carrier execution runs with -XX:LockingMode=1").isTrue();
        }
        PinningRecorder recorder = PinningRecorder.start();
        Thread.ofVirtual().name("weft-monitor-probe").start(Misbehaving.HoldsAMonitor::blockWhileHoldingTheMonitor)
                .join();
        List<Pinning.Pin> pins = pinsIn(recorder.stop(), Misbehaving.HoldsAMonitor.class);

        assertThat(pins).as("pinned while holding a monitor; LockingMode=" + HotSpot.vmOption("LockingMode"))
                .hasSize(monitorsPin ? 1 : 0);
        pins.forEach(Pinning::claim);
    }

    @Test
    void thePinningCheckFailsTheClassThatPinnedAndNamesTheTest() {
        FixtureRun run = FixtureRun.run(Misbehaving.PinsACarrier.class);

        assertThat(run.test("pinsInAClassInitializer").failed()).isFalse();
        assertThat(run.container(Misbehaving.PinsACarrier.class).failure()).isInstanceOf(PinnedCarrierError.class)
                .hasMessageContaining("1 pinned carrier(s)")
                .hasMessageContaining("on \"weft-pinned\"")
                .hasMessageContaining("during " + Misbehaving.PinsACarrier.class.getName()
                        + ".pinsInAClassInitializer()")
                .hasMessageContaining(Misbehaving.SlowClassInitializers.ForFixture.class.getName() + ".<clinit>");
    }

    @Test
    void blockingWhileHoldingAMonitorHangsTheOneCarrierExecutionAndTheHardTimeoutSaysWhere() {
        boolean monitorsPin = monitorsPin();
        boolean oneCarrier = "1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"));
        if ("one".equals(System.getProperty("weft.carriers"))) {
            assertThat(oneCarrier && monitorsPin).as("the one-carrier execution's flags").isTrue();
        }
        FixtureRun run = FixtureRun.run(Misbehaving.WaitsForASiblingWhileHoldingAMonitor.class);
        FixtureRun.Outcome test = run.test("waitsForSibling");
        FixtureRun.Outcome container = run.container(Misbehaving.WaitsForASiblingWhileHoldingAMonitor.class);

        if (oneCarrier && monitorsPin) {
            assertThat(test.failure()).isInstanceOf(HardTimeoutError.class)
                    .hasMessageContaining("ended after being interrupted");
        } else {
            assertThat(test.failed()).as(String.valueOf(test.result().getThrowable())).isFalse();
        }
        if (monitorsPin) {
            assertThat(container.failure()).isInstanceOf(PinnedCarrierError.class)
                    .hasMessageContaining("on \"weft-monitor-holder\"");
        } else {
            assertThat(container.failed()).as(String.valueOf(container.result().getThrowable())).isFalse();
        }
    }

    private static boolean monitorsPin() {
        return Runtime.version().feature() < 24 || !HotSpot.vmOption("LockingMode").orElse("2").equals("2");
    }

    private static List<Pinning.Pin> pinsIn(List<Pinning.Pin> pins, Class<?> fixture) {
        return pins.stream()
                .filter(p -> p.frames().stream().anyMatch(f -> f.className().equals(fixture.getName())))
                .toList();
    }
}
