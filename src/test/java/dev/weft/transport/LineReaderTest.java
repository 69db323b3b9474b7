package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.jsonrpc.FrameTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static LineReader reader(InputStream in, int max) {
        return new LineReader(in, max, new PipeActivity(), "test");
    }

    private static List<String> lines(InputStream in, int max) throws IOException {
        LineReader reader = reader(in, max);
        List<String> lines = new ArrayList<>();
        for (byte[] line; (line = reader.next()) != null; ) {
            lines.add(new String(line, StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out one byte per read, so that every line spans many reads. */
    private static InputStream trickle(String text) {
        InputStream all = bytes(text);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return all.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : all.read(b, off, 1);
            }
        };
    }

    @Test
    void splitsOnNewlineAcceptsCrLfSkipsBlankLinesAndKeepsAnUnterminatedLastLine() throws IOException {
        String text = "\n\r\none\r\n  \t \ntwo\n\n{\"three\": 3}\r\nlast";

        assertThat(lines(bytes(text), 100)).containsExactly("one", "two", "{\"three\": 3}", "last");
        assertThat(lines(trickle(text), 100)).containsExactly("one", "two", "{\"three\": 3}", "last");
    }

    @Test
    void returnsNullAtEndOfStreamAndAgainAfterIt() throws IOException {
        LineReader reader = reader(bytes("only\n"), 10);

        assertThat(reader.next()).asString(StandardCharsets.UTF_8).isEqualTo("only");
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @Test
    void aLineOfExactlyTheLimitPassesWithEitherTerminator() throws IOException {
        String ten = "0123456789";

        assertThat(lines(bytes(ten + "\n" + ten + "\r\n" + ten), 10)).containsExactly(ten, ten, ten);
        assertThat(lines(trickle(ten + "\r\n" + ten + "\n"), 10)).containsExactly(ten, ten);
    }

    @Test
    void aLineOverTheLimitFailsWhetherInOneChunkOrMany() {
        assertThatThrownBy(() -> lines(bytes("ok\n0123456789A\n"), 10))
                .isInstanceOf(FrameTooLargeException.class).hasMessageContaining("10 bytes on test");
        assertThatThrownBy(() -> lines(trickle("0123456789A\n"), 10)).isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> lines(trickle("0123456789\r\r\n"), 10)).isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> lines(bytes("0123456789A"), 10)).isInstanceOf(FrameTooLargeException.class);
    }

    @Test
    void anEndlessLineFailsWithoutBeingBuffered() {
        long[] served = new long[1];
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served[0] += len;
                return len;
            }
        };
        int max = 1024 * 1024;

        assertThatThrownBy(() -> reader(endless, max).next()).isInstanceOf(FrameTooLargeException.class);
        assertThat(served[0]).isLessThanOrEqualTo(max + 2L * LineReader.CHUNK_BYTES);
    }
}
