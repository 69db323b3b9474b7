package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.testing.Props;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerminalOutputBufferTest {

    @Test
    void keepsEverythingWithinTheLimit() {
        TerminalOutputBuffer buffer = new TerminalOutputBuffer(10);
        append(buffer, "abc");
        append(buffer, "defghij");

        assertThat(buffer.text(true)).isEqualTo("abcdefghij");
        assertThat(buffer.truncated()).isFalse();
    }

    @Test
    void dropsTheOldestBytesAndTheRestOfACharacterCutInTwo() {
        TerminalOutputBuffer buffer = new TerminalOutputBuffer(4);
        append(buffer, "aé"); // 61 c3 a9
        append(buffer, "éx"); // c3 a9 78: the last 4 bytes start at the first é's second byte

        assertThat(buffer.text(true)).isEqualTo("éx");
        assertThat(buffer.truncated()).isTrue();
    }

    @Test
    void aCharacterCutShortAtTheEndWaitsForItsLastBytesUntilTheOutputEnds() {
        TerminalOutputBuffer buffer = new TerminalOutputBuffer(100);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        buffer.append(new byte[] {'a', euro[0], euro[1]}, 0, 3);

        assertThat(buffer.text(false)).isEqualTo("a");
        assertThat(buffer.text(true)).isEqualTo("a\uFFFD");

        buffer.append(euro, 2, 1);
        assertThat(buffer.text(false)).isEqualTo("a€");
    }

    @Test
    void theRestOfACutCharacterIsDroppedEvenWhenItComesInALaterRead() {
        TerminalOutputBuffer buffer = new TerminalOutputBuffer(1);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        buffer.append(euro, 0, 2); // keeps the second byte, then drops it: it continues a character
        buffer.append(euro, 2, 1); // the third byte continues the same character

        assertThat(buffer.bytes()).isEmpty();
        append(buffer, "x");
        assertThat(buffer.text(true)).isEqualTo("x");
        assertThat(buffer.truncated()).isTrue();
    }

    @Test
    void aZeroLimitKeepsNothingAndSaysSo() {
        TerminalOutputBuffer buffer = new TerminalOutputBuffer(0);
        append(buffer, "x");

        assertThat(buffer.text(true)).isEmpty();
        assertThat(buffer.truncated()).isTrue();
    }

    /**
     * Whatever the chunks and the limit: the kept bytes are the end of everything appended, at most {@code limit} of
     * them and at least {@code limit - 3} once anything was dropped, they start at a character boundary, and
     * {@code truncated} says whether anything was dropped.
     */
    @Test
    void keepsTheLastBytesFromACharacterBoundary() {
        List<String> pieces = List.of("a", "bc", "é", "€", "😀", "\n", "xyz€é😀");
        Props.qt().withExamples(500)
                .forAll(lists().of(lists().of(arbitrary().pick(pieces)).ofSizeBetween(0, 8)).ofSizeBetween(0, 12),
                        integers().between(0, 40), integers().between(0, 5))
                .checkAssert((chunks, limit, splitAt) -> {
                    TerminalOutputBuffer buffer = new TerminalOutputBuffer(limit);
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    for (List<String> chunk : chunks) {
                        byte[] bytes = String.join("", chunk).getBytes(StandardCharsets.UTF_8);
                        all.writeBytes(bytes);
                        int split = Math.min(splitAt, bytes.length); // a chunk read in two, mid-character maybe
                        buffer.append(bytes, 0, split);
                        buffer.append(bytes, split, bytes.length - split);
                    }
                    byte[] everything = all.toByteArray();
                    byte[] kept = buffer.bytes();
                    boolean dropped = everything.length > limit;

                    assertThat(buffer.truncated()).isEqualTo(dropped);
                    assertThat(kept.length).isLessThanOrEqualTo(limit);
                    assertThat(kept).isEqualTo(Arrays.copyOfRange(everything, everything.length - kept.length,
                            everything.length));
                    if (dropped) {
                        assertThat(kept.length).isGreaterThanOrEqualTo(limit - 3);
                    }
                    String text = buffer.text(true);
                    assertThat(text).doesNotContain("\uFFFD");
                    assertThat(new String(everything, StandardCharsets.UTF_8)).endsWith(text);
                });
    }

    private static void append(TerminalOutputBuffer buffer, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        buffer.append(bytes, 0, bytes.length);
    }
}
