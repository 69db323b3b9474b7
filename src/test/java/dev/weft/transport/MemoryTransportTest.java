package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Notification;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The in-memory pair and its fault plan. */
@Tag("concurrency")
class MemoryTransportTest {

    private static Notification note(int i) {
        return new Notification("n" + i, null);
    }

    private static List<String> receive(MemoryTransport t, int count) throws Exception {
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            methods.add(((Notification) t.receive()).method());
        }
        return methods;
    }

    @Test
    void droppedFramesAreLostAndDelayedFramesKeepTheirOrder() throws Exception {
        Faults faults = Faults.NONE.withDropped(2).withDelay(i -> i == 1 ? Duration.ofMillis(30).toNanos() : 0);
        MemoryTransport.Pair pair = MemoryTransport.pair(faults, Faults.NONE, JsonRpcCodec.standard());
        long start = System.nanoTime();
        for (int i = 1; i <= 4; i++) {
            pair.left().send(note(i));
        }
        assertThat(receive(pair.right(), 3)).containsExactly("n1", "n3", "n4"); // n2 dropped; n3, n4 wait behind n1
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
    }

    @Test
    void aCutFailsBothEndsAtTheChosenFrameWithOneStickyError() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair(Faults.NONE.withCutAtFrame(3), Faults.NONE,
                JsonRpcCodec.standard());
        pair.left().send(note(1));
        pair.left().send(note(2));
        IOException cut = null;
        try {
            pair.left().send(note(3));
        } catch (IOException e) {
            cut = e;
        }
        assertThat(cut).hasMessageContaining("cut at frame 3");
        IOException sticky = cut;
        assertThatThrownBy(() -> pair.right().receive()).isSameAs(sticky); // frames in flight are lost with the wire
        assertThatThrownBy(() -> pair.right().receive()).isSameAs(sticky);
        assertThatThrownBy(() -> pair.left().receive()).isSameAs(sticky);
        assertThatThrownBy(() -> pair.left().send(note(4))).isSameAs(sticky);
    }

    @Test
    void closingOneEndLetsThePeerReadWhatWasSentThenEndOfStream() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        pair.left().send(note(1));
        pair.left().close();
        assertThat(receive(pair.right(), 1)).containsExactly("n1");
        assertThatThrownBy(() -> pair.right().receive()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> pair.left().receive()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> pair.left().send(note(2))).isInstanceOf(EOFException.class);
    }

    @Test
    void closeUnblocksAWaitingReceive() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread receiver = Thread.ofVirtual().name("weft-test-receiver").start(() -> {
            waiting.countDown();
            try {
                pair.right().receive();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        waiting.await();
        pair.right().close();
        receiver.join();
        assertThat(outcome.get()).isInstanceOf(EOFException.class);
    }

    @Test
    void rawFramesAreDecodedOnReceiptAndAnOversizedOneEndsThePair() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair(Faults.NONE, Faults.NONE, JsonRpcCodec.withMaxFrameBytes(64));
        pair.left().sendRaw("{oops".getBytes(StandardCharsets.UTF_8));
        pair.left().send(note(1));
        pair.left().sendRaw(new byte[65]);
        assertThatThrownBy(() -> pair.right().receive()).isInstanceOf(MalformedMessageException.class);
        Message m = pair.right().receive();
        assertThat(m).isEqualTo(note(1));
        assertThatThrownBy(() -> pair.right().receive()).isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> pair.left().send(note(2))).isInstanceOf(FrameTooLargeException.class);
    }
}
