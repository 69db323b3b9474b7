package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mcp.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void formatsProgressTotalAndMessageLeavingOutWhatIsAbsent() {
        assertThat(ProgressLine.format(new Progress(2, 5.0, "Copying files"))).isEqualTo("progress 2/5 Copying files");
        assertThat(ProgressLine.format(new Progress(0.25, 1.0, null))).isEqualTo("progress 0.25/1");
        assertThat(ProgressLine.format(new Progress(7, null, " two\nlines "))).isEqualTo("progress 7 two lines");
        assertThat(ProgressLine.format(new Progress(1.0 / 3, null, ""))).isEqualTo("progress 0.333");
    }

    @Test
    void elsewhereThanATerminalEachUpdateIsALine() {
        ProgressLine line = new ProgressLine(err, false);

        line.show(new Progress(1, 2.0, "first"));
        line.show(new Progress(2, 2.0, null));
        line.end();

        assertThat(printed()).isEqualTo("progress 1/2 first" + NL + "progress 2/2" + NL);
    }

    @Test
    void onATerminalEachUpdateOverwritesTheLastAndEndFinishesTheLine() {
        ProgressLine line = new ProgressLine(err, true);

        line.show(new Progress(1, 2.0, "a longer message"));
        line.show(new Progress(2, 2.0, null));
        line.end();
        line.end(); // nothing on screen any more: no second line break

        assertThat(printed()).isEqualTo("\rprogress 1/2 a longer message"
                + "\rprogress 2/2" + " ".repeat("progress 1/2 a longer message".length() - "progress 2/2".length())
                + NL);
    }

    @Test
    void onATerminalNoUpdateMeansNoLineBreak() {
        new ProgressLine(err, true).end();

        assertThat(printed()).isEmpty();
    }
}
