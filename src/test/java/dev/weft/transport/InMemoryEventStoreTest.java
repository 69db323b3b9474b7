package dev.weft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryEventStoreTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<EventStore.Event> events) {
        return events.stream().map(e -> new String(e.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void eventIdsNameTheirStreamAndReplayGivesWhatCameAfter() {
        EventStore store = EventStore.inMemory();
        String a1 = store.append("s_1", bytes("a1"));
        store.append("s_2", bytes("b1"));
        String a2 = store.append("s_1", bytes("a2"));
        store.append("s_1", bytes("a3"));

        assertThat(store.streamOf(a1)).isEqualTo("s_1");
        assertThat(a1).matches("[\\x21-\\x7E]+");
        assertThat(texts(store.replay("s_1", a1))).containsExactly("a2", "a3");
        assertThat(texts(store.replay("s_1", a2))).containsExactly("a3");
        assertThat(texts(store.replay("s_1", null))).containsExactly("a1", "a2", "a3");
        assertThat(store.replay("s_2", a1)).isNull();
        assertThat(store.streamOf("nonsense")).isNull();
        assertThat(store.replay("s_9", null)).isEmpty();
    }

    @Test
    void aReplayFromAnEvictedEventIsRefusedRatherThanShort() {
        EventStore store = EventStore.inMemory(2, 1 << 20);
        String first = store.append("s", bytes("1"));
        String second = store.append("s", bytes("2"));
        store.append("s", bytes("3"));
        store.append("s", bytes("4"));

        assertThat(store.replay("s", first)).isNull();
        assertThat(texts(store.replay("s", second))).containsExactly("3", "4");
        assertThat(store.replay("s", "s:99")).isNull();
    }

    @Test
    void theByteBoundEvictsTheLeastRecentlyUsedStreamsFirstAndRemoveForgets() {
        EventStore store = EventStore.inMemory(100, 10);
        String old = store.append("old", bytes("12345"));
        store.append("new", bytes("1234"));
        store.append("new", bytes("5678"));

        assertThat(store.replay("old", old)).isNull();
        assertThat(texts(store.replay("new", null))).containsExactly("1234", "5678");
        store.remove("new");
        assertThat(store.replay("new", null)).isEmpty();
        assertThatThrownBy(() -> EventStore.inMemory(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
