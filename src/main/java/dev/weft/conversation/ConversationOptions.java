package dev.weft.conversation;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a conversation behaves. Immutable; each {@code with} method returns a copy.
 *
 * @param name        its name, for its thread ({@code name-thread}) and logs
 * @param listener    receives every event on the conversation's own thread, in arrival order; it may take the
 *                    conversation's state lock. An exception it throws is logged and does not stop the conversation
 * @param maxAttempts how many times a tool call may be tried in all when a retry is safe (see {@link Conversation})
 * @param backoff     the wait before the first retry; each further retry waits twice as long
 */
public record ConversationOptions(String name, Consumer<ConversationEvent> listener, int maxAttempts,
                                  Duration backoff) {
    public ConversationOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive: " + maxAttempts);
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative: " + backoff);
        }
    }

    /** Named {@code weft-conversation}, no listener, 3 attempts, 100 ms backoff. */
    public static ConversationOptions defaults() {
        return new ConversationOptions("weft-conversation", event -> { }, 3, Duration.ofMillis(100));
    }

    public ConversationOptions withName(String name) {
        return new ConversationOptions(name, listener, maxAttempts, backoff);
    }

    public ConversationOptions withListener(Consumer<ConversationEvent> listener) {
        return new ConversationOptions(name, listener, maxAttempts, backoff);
    }

    public ConversationOptions withMaxAttempts(int maxAttempts) {
        return new ConversationOptions(name, listener, maxAttempts, backoff);
    }

    public ConversationOptions withBackoff(Duration backoff) {
        return new ConversationOptions(name, listener, maxAttempts, backoff);
    }
}
