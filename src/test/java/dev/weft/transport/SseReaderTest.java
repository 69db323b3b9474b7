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

/** The event stream parser: the HTML standard's rules, plus priming events, within a size limit. */
class SseReaderTest {

    private static List<SseReader.Event> read(String stream, int limit) throws IOException {
        return read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), limit);
    }

    private static List<SseReader.Event> read(InputStream in, int limit) throws IOException {
        SseReader reader = new SseReader(in, limit, "test");
        List<SseReader.Event> events = new ArrayList<>();
        SseReader.Event event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    private static String data(SseReader.Event event) {
        return new String(event.data(), StandardCharsets.UTF_8);
    }

    @Test
    void dataLinesOfOneEventAreJoinedWithLineFeeds() throws IOException {
        List<SseReader.Event> events = read("data: {\"a\":\ndata:1}\n\ndata: second\n\n", 1024);

        assertThat(events).extracting(SseReaderTest::data).containsExactly("{\"a\":\n1}", "second");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isNull();
            assertThat(e.id()).isNull();
            assertThat(e.retryMillis()).isEqualTo(-1);
        });
    }

    @Test
    void everyLineEndingCountsAndCommentsAreSkipped() throws IOException {
        List<SseReader.Event> events = read(": hello\r\ndata: one\r\n\r\ndata: two\r\rdata: three\n\n", 1024);

        assertThat(events).extracting(SseReaderTest::data).containsExactly("one", "two", "three");
    }

    @Test
    void primingEventCarriesItsIdAndRetryWithoutData() throws IOException {
        List<SseReader.Event> events = read("id: s1-0\nretry: 500\ndata:\n\nevent: message\ndata: x\n\n", 1024);

        assertThat(events).hasSize(2);
        assertThat(events.get(0).hasData()).isFalse();
        assertThat(events.get(0).id()).isEqualTo("s1-0");
        assertThat(events.get(0).retryMillis()).isEqualTo(500);
        assertThat(events.get(1).id()).as("the last event id persists").isEqualTo("s1-0");
        assertThat(events.get(1).retryMillis()).as("retry is per event block").isEqualTo(-1);
        assertThat(events.get(1).type()).isEqualTo("message");
    }

    @Test
    void invalidRetryAndIdsWithNulAreIgnoredAndAnEmptyIdClears() throws IOException {
        List<SseReader.Event> events = read("id: a\nretry: 5s\ndata: 1\n\nid: b\u0000c\ndata: 2\n\nid\ndata: 3\n\n",
                1024);

        assertThat(events).extracting(SseReader.Event::id).containsExactly("a", "a", null);
        assertThat(events).extracting(SseReader.Event::retryMillis).containsOnly(-1L);
    }

    @Test
    void anEventCutOffByTheEndIsDroppedAndALeadingBomIsSkipped() throws IOException {
        List<SseReader.Event> events = read("\uFEFFdata: whole\n\ndata: cut", 1024);

        assertThat(events).extracting(SseReaderTest::data).containsExactly("whole");
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        assertThat(read("foo: bar\ndata:x\n\n", 1024)).extracting(SseReaderTest::data).containsExactly("x");
    }

    @Test
    void aLineOrAnEventOverTheLimitIsRefusedWithoutReadingTheRest() {
        assertThatThrownBy(() -> read("data: " + "x".repeat(200) + "\n\n", 100))
                .isInstanceOf(FrameTooLargeException.class);
        assertThatThrownBy(() -> read("data: " + "x".repeat(60) + "\ndata: " + "y".repeat(60) + "\n\n", 100))
                .isInstanceOf(FrameTooLargeException.class);
        InputStream endless = new InputStream() {
            private int served;

            @Override
            public int read() {
                return ++served <= 6 ? "data: ".charAt(served - 1) : 'z';
            }
        };
        assertThatThrownBy(() -> read(endless, 1000)).isInstanceOf(FrameTooLargeException.class);
    }
}
