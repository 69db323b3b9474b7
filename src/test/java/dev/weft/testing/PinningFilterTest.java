package dev.weft.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which frames make a pin ours, on synthetic stacks. */
class PinningFilterTest {

    @Test
    void ourMainAndTestPackagesCountTheInfrastructureDoesNot() {
        assertThat(Pinning.isOurs("dev.weft.scope.TaskScopeImpl")).isTrue();
        assertThat(Pinning.isOurs("dev.weft.scope.TaskScopeImpl$SubtaskImpl")).isTrue();
        assertThat(Pinning.isOurs("dev.weft.scope.TaskScopeTest")).as("test code in our packages").isTrue();
        assertThat(Pinning.isOurs("dev.weft.Main")).isTrue();
        assertThat(Pinning.isOurs("dev.weft.testing.Await")).isFalse();
        assertThat(Pinning.isOurs("dev.weft.testingx.Other")).as("prefix ends at a package boundary").isTrue();
        assertThat(Pinning.isOurs("dev.weftx.Other")).isFalse();
        assertThat(Pinning.isOurs("java.lang.VirtualThread")).isFalse();
        assertThat(Pinning.isOurs("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
    }

    @Test
    void aPinIsOursWhenAnyFrameIsOursEvenBelowInfrastructureOrJdkFrames() {
        Pinning.Pin pin = pin(
                frame("java.lang.VirtualThread", "parkOnCarrierThread"),
                frame("java.io.PrintStream", "println"),
                frame("dev.weft.testing.Await", "until"),
                frame("dev.weft.jsonrpc.Connection", "send"),
                frame("java.lang.VirtualThread", "run"));

        assertThat(Pinning.culprits(pin)).extracting(Pinning.Frame::className)
                .containsExactly("dev.weft.jsonrpc.Connection");
    }

    @Test
    void aPinWithOnlyJdkOrInfrastructureFramesIsNotOurs() {
        assertThat(Pinning.culprits(pin(frame("java.lang.VirtualThread", "park"),
                frame("dev.weft.testing.PinningDetectorTest", "lambda$0")))).isEmpty();
        assertThat(Pinning.culprits(pin())).as("no stack at all").isEmpty();
    }

    @Test
    void aPinWhileTheJvmLoadsAClassIsNotOursButBlockingInAClassInitializerIs() {
        assertThat(Pinning.culprits(pin(
                frame("jdk.internal.loader.BuiltinClassLoader", "loadClassOrNull"),
                frame("java.lang.ClassLoader", "loadClass"),
                frame("com.fasterxml.jackson.databind.ObjectMapper", "readTree"),
                frame("dev.weft.jsonrpc.ScriptedPeer", "obj")))).as("first load of a library class").isEmpty();
        assertThat(Pinning.culprits(pin(
                frame("java.lang.VirtualThread", "park"),
                frame("dev.weft.scope.Slow", "<clinit>"),
                frame("jdk.internal.loader.BuiltinClassLoader", "loadClass"),
                frame("dev.weft.scope.User", "run")))).as("blocking in an initializer")
                .extracting(Pinning.Frame::className).containsExactly("dev.weft.scope.Slow", "dev.weft.scope.User");
        assertThat(Pinning.culprits(pin(
                frame("java.lang.VirtualThread", "park"),
                frame("dev.weft.jsonrpc.Reader", "route"),
                frame("java.lang.ClassLoader", "loadClass"),
                frame("dev.weft.jsonrpc.Connection", "call")))).as("our own frame pins before any loader frame")
                .isNotEmpty();
    }

    @Test
    void aWaitForAnotherThreadsClassInitializerIsNotOursButABlockingInitializerIs() {
        List<Pinning.Frame> frames = List.of(frame("java.lang.ThreadBuilders$VirtualThreadBuilder", "factory"),
                frame("dev.weft.scope.TaskScopeImpl", "<init>"));
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(3),
                "Waited for initialization of java.lang.ThreadBuilders$VirtualThreadFactory by another thread",
                frames, false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(3),
                "Waited for initialization of dev.weft.scope.TaskScopeImpl$SubtaskImpl by another thread", frames,
                false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(30),
                "Native or VM frame on stack", List.of(frame("java.lang.VirtualThread", "park"),
                        frame("dev.weft.scope.Something", "<clinit>")), false)))
                .as("the thread that blocks inside our initializer").isNotEmpty();
    }

    @Test
    void aPinInTheJdksCriticalSectionIsNotOursButAHeldMonitorIs() {
        List<Pinning.Frame> frames = List.of(frame("com.fasterxml.jackson.databind.node.TreeTraversingParser", "<init>"),
                frame("dev.weft.mcp.McpJson", "read"));
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(3),
                "Freeze or preempt failed (2)", frames, false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(3),
                "In critical section", frames, false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(30),
                "Freeze or preempt failed (4)", frames, false))).isNotEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(30),
                "Monitor held", frames, false))).isNotEmpty();
    }

    @Test
    void aShortPinInOurClassInitializerIsClassLoadingButALongOneIsOurs() {
        List<Pinning.Frame> frames = List.of(frame("dev.weft.jsonrpc.Reader", "<clinit>"),
                frame("dev.weft.jsonrpc.Connection", "<init>"));
        String reason = "VM call to dev.weft.jsonrpc.Reader.<clinit> on stack";
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofNanos(41_000), reason, frames,
                false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(25), reason, frames,
                false))).isNotEmpty();
    }

    @Test
    void aBriefPinInsideAnotherLibraryIsNotOursButALongOneIs() {
        List<Pinning.Frame> frames = List.of(frame("sun.nio.ch.SelectorImpl", "cancel"),
                frame("org.eclipse.jetty.io.SelectableChannelEndPoint", "doClose"),
                frame("dev.weft.transport.SseReader", "fill"));
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofNanos(3_000),
                "Freeze or preempt failed (7)", frames, false))).isEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(25),
                "Freeze or preempt failed (7)", frames, false))).isNotEmpty();
        assertThat(Pinning.culprits(new Pinning.Pin(1, "t", Instant.now(), Duration.ofNanos(3_000),
                "Monitor held", List.of(frame("dev.weft.transport.SseReader", "fill")), false))).isNotEmpty();
    }

    @Test
    void theMessageNamesThreadReasonTestAndStack() {
        // Long past, so that this synthetic window (kept in a global list) can never overlap a real test's pin.
        Instant now = Instant.parse("2000-01-01T00:00:00Z");
        Pinning.recordWindow(new Pinning.TestWindow("dev.weft.x.FooTest.bar()", now.minusSeconds(1),
                now.plusSeconds(1)));
        Pinning.Pin pin = new Pinning.Pin(42, "weft-scope-0", now, Duration.ofMillis(3), "Monitor held",
                List.of(frame("dev.weft.scope.TaskScopeImpl", "fork")), false);

        assertThat(Pinning.describe("dev.weft.x.FooTest", List.of(pin)))
                .contains("1 pinned carrier(s)")
                .contains("pinned 3000 us on \"weft-scope-0\" #42, reason: Monitor held")
                .contains("during dev.weft.x.FooTest.bar()")
                .contains("at dev.weft.scope.TaskScopeImpl.fork:7");
    }

    private static Pinning.Frame frame(String className, String method) {
        return new Pinning.Frame(className, method, 7);
    }

    private static Pinning.Pin pin(Pinning.Frame... frames) {
        // Long enough to count as real blocking wherever it happened (see Pinning.BRIEF_ELSEWHERE).
        return new Pinning.Pin(1, "t", Instant.now(), Duration.ofMillis(30), "test", Arrays.asList(frames), false);
    }
}
