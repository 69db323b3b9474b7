package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StderrTailTest {
    private static StderrTail tail(int capacity) {
        return new StderrTail(capacity, "test", System.getLogger(StderrTailTest.class.getName()));
    }

    private static void append(StderrTail tail, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tail.append(bytes, 0, bytes.length);
    }

    @Test
    void keepsTheLastBytesAcrossManyWraps() {
        StderrTail tail = tail(10);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String piece = "p" + i + "-".repeat(i % 7);
            append(tail, piece);
            all.append(piece);
            assertThat(tail.snapshot()).isEqualTo(all.substring(Math.max(0, all.length() - 10)));
        }
    }

    @Test
    void aWriteLargerThanTheRingKeepsItsEnd() {
        StderrTail tail = tail(4);
        append(tail, "ab");
        append(tail, "0123456789");
        assertThat(tail.snapshot()).isEqualTo("6789");
        append(tail, "x");
        assertThat(tail.snapshot()).isEqualTo("789x");
    }

    @Test
    void shorterThanTheRingIsKeptWhole() {
        StderrTail tail = tail(100);
        assertThat(tail.snapshot()).isEmpty();
        append(tail, "line\n");
        assertThat(tail.snapshot()).isEqualTo("line\n");
    }

    @Test
    void zeroCapacityKeepsNothing() {
        StderrTail tail = tail(0);
        append(tail, "anything");
        assertThat(tail.snapshot()).isEmpty();
    }

    @Test
    void decodesLenientlyAndDropsACharacterCutByTheRingStart() {
        StderrTail tail = tail(4);
        append(tail, "\u00e9abc"); // C3 A9 61 62 63: the ring keeps A9 61 62 63
        assertThat(tail.snapshot()).isEqualTo("abc");

        StderrTail broken = tail(10);
        broken.append(new byte[] {'a', (byte) 0xFF, 'b'}, 0, 3);
        assertThat(broken.snapshot()).isEqualTo("a\uFFFDb");
    }

    @Test
    void drainReadsToTheEndAndReportsDone() throws Exception {
        StderrTail tail = tail(8);
        PipeActivity activity = new PipeActivity();

        tail.drain(new ByteArrayInputStream("first\nsecond\nthird\n".getBytes(StandardCharsets.UTF_8)), activity);

        assertThat(tail.snapshot()).isEqualTo("d\nthird\n");
        assertThat(activity.awaitSettled(System.nanoTime(), Long.MAX_VALUE, Long.MAX_VALUE)).isTrue();
    }
}
