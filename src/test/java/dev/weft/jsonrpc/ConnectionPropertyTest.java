package dev.weft.jsonrpc;

import static dev.weft.jsonrpc.ScriptedPeer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.booleans;

import dev.weft.transport.Faults;
import dev.weft.transport.MemoryTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A call never outlives its reader, over random schedules: N calls pending, a random subset answered (the answers
 * randomly delayed on the wire), then the reader dies in a random way. Every call must end, either with its own answer
 * or with a {@link TransportClosedException} whose cause is the one terminal error of the connection, and no caller
 * may be left waiting: the calls' own timeout is ten minutes, so only the reader's end can release them. A failing run
 * prints its seed; {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class ConnectionPropertyTest {

    /** How long the reader's end may take to release every caller before the example fails. */
    private static final Duration PATIENCE = Duration.ofSeconds(3);

    /** How the reader dies. */
    enum Death {
        /** The wire breaks: both ends fail at once; answers still on the wire are lost. */
        WIRE_BREAKS,
        /** The peer closes: what it sent before arrives, then end of stream. */
        PEER_CLOSES,
        /** The peer sends a frame over the limit: what it sent before arrives, then the frame kills the reader. */
        OVERSIZED_FRAME,
        /** The wire is cut at the next frame the peer sends. */
        CUT_AT_NEXT_FRAME,
        /** The host closes the connection. */
        HOST_CLOSES
    }

    @Test
    void everyPendingCallEndsAtOnceWithItsAnswerOrTheTerminalCause() {
        qt().withExamples(150).withShrinkCycles(30)
                .forAll(integers().between(1, 48), lists().of(booleans().all()).ofSize(48),
                        integers().between(0, Death.values().length - 1), integers().between(0, 300))
                .checkAssert((n, answered, deathIndex, maxDelayMicros) -> {
                    try {
                        check(n, answered, Death.values()[deathIndex], maxDelayMicros);
                    } catch (InterruptedException | IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(int n, List<Boolean> answered, Death death, int maxDelayMicros)
            throws InterruptedException, IOException {
        Random jitter = new Random(n * 31L + maxDelayMicros);
        long[] delays = new long[n * 2 + 8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = maxDelayMicros == 0 ? 0 : jitter.nextInt(maxDelayMicros) * 1_000L;
        }
        Faults peerToHost = Faults.NONE.withDelay(i -> i < delays.length ? delays[(int) i] : 0);
        if (death == Death.CUT_AT_NEXT_FRAME) {
            long answers = answered.subList(0, n).stream().filter(b -> b).count();
            peerToHost = peerToHost.withCutAtFrame(answers + 1);
        }
        JsonRpcCodec codec = JsonRpcCodec.withMaxFrameBytes(4096);
        MemoryTransport.Pair pair = MemoryTransport.pair(Faults.NONE, peerToHost, codec);
        ScriptedPeer peer = new ScriptedPeer(pair.right());
        Connection c = Connection.open(pair.left(), ConnectionOptions.DEFAULT
                .withDefaultTimeout(Duration.ofMinutes(10)));
        AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(n);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            callers.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                try {
                    outcomes.set(k, c.call("work", obj("k", k)));
                } catch (Throwable t) {
                    outcomes.set(k, t);
                }
            }));
        }
        Map<Integer, Request> byK = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Request r = peer.next(Request.class); // all n are pending once the peer has them all
            byK.put(r.params().get("k").asInt(), r);
        }
        for (int k = 0; k < n; k++) {
            if (answered.get(k)) {
                peer.answer(byK.get(k), obj("answer", k));
            }
        }
        switch (death) {
            case WIRE_BREAKS -> pair.right().fail(new IOException("wire broke"));
            case PEER_CLOSES -> pair.right().close();
            case OVERSIZED_FRAME -> peer.sendRaw("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"p\":\""
                    + "y".repeat(5000) + "\"}}");
            case CUT_AT_NEXT_FRAME -> {
                try {
                    peer.send(new Notification("one-too-many", null));
                    throw new AssertionError("the frame after the answers was not cut");
                } catch (IOException expected) {
                    assertThat(expected).hasMessageContaining("cut at frame");
                }
            }
            case HOST_CLOSES -> c.close();
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos(); // one deadline for all: a failing example is quick
        for (Thread t : callers) {
            long left = Math.max(1, deadline - System.nanoTime());
            assertThat(t.join(Duration.ofNanos(left))).as("caller %s ended", t.getName()).isTrue();
        }
        Throwable terminal = c.awaitClosed(Duration.ofSeconds(10));
        assertThat(terminal).as("connection ended").isNotNull();
        boolean answersSurvive = death == Death.PEER_CLOSES || death == Death.OVERSIZED_FRAME;
        for (int k = 0; k < n; k++) {
            Object outcome = outcomes.get(k);
            if (outcome instanceof TransportClosedException e) {
                assertThat(e.getCause()).as("call %d failed with the terminal cause", k).isSameAs(terminal);
                assertThat(answersSurvive && answered.get(k)).as("answered call %d lost its answer", k).isFalse();
            } else {
                assertThat(answered.get(k)).as("call %d got %s", k, outcome).isTrue();
                assertThat(outcome).isEqualTo(obj("answer", k));
            }
        }
        Object later;
        try {
            later = c.call("later", null);
        } catch (TransportClosedException e) {
            later = e;
        }
        assertThat(later).isInstanceOfSatisfying(TransportClosedException.class,
                e -> assertThat(e.getCause()).isSameAs(terminal));
        assertThat(c.pendingCalls()).isZero();
        c.close();
        peer.close();
    }
}
