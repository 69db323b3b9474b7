package dev.weft.conversation;

import dev.weft.acp.PermissionHandler;
import dev.weft.mcp.Handlers;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a conversation behaves. Immutable; each {@code with} method returns a copy.
 *
 * @param name        its name, for its thread ({@code name-N}) and logs
 * @param listener    receives every event on the conversation's own thread, in arrival order; it may take the
 *                    conversation's state lock. An exception it throws is logged and does not stop the conversation
 * @param maxAttempts how many times a tool call may be tried in all when a retry is safe (see {@link Conversation})
 * @param backoff     the wait before the first retry; each further retry waits twice as long
 * @param sampling    answers a server's {@code sampling/createMessage} made while one of the conversation's calls runs
 *                    on its session, on the conversation's own thread; or {@code null} to leave it to the pool's
 *                    client options. The pool's client options must declare the capability (have a handler of their
 *                    own) for servers to ask
 * @param elicitation likewise, for {@code elicitation/create}
 * @param roots       likewise, for {@code roots/list}
 * @param permissions decides an ACP agent's permission requests during the conversation's prompts, on the
 *                    conversation's own thread; or {@code null} for the agent client's
 *                    {@linkplain dev.weft.acp.AcpClientOptions#permissions() handler}
 */
public record ConversationOptions(String name, Consumer<ConversationEvent> listener, int maxAttempts,
                                  Duration backoff, Handlers.Sampling sampling, Handlers.Elicitation elicitation,
                                  Handlers.Roots roots, PermissionHandler permissions) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if {@code maxAttempts} is not positive or {@code backoff} is negative
     */
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

    /**
     * {@return the defaults: named {@code weft-conversation}, no listener, 3 attempts, 100 ms backoff, no handlers of
     * its own}
     */
    public static ConversationOptions defaults() {
        return new ConversationOptions("weft-conversation", event -> { }, 3, Duration.ofMillis(100), null, null, null,
                null);
    }

    /**
     * {@return these options with another {@link #name() name}}
     *
     * @param name its name, for its thread ({@code name-N}) and logs
     */
    public ConversationOptions withName(String name) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #listener() listener}}
     *
     * @param listener receives every event on the conversation's own thread, in arrival order
     */
    public ConversationOptions withListener(Consumer<ConversationEvent> listener) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #maxAttempts() maxAttempts}}
     *
     * @param maxAttempts how many times a tool call may be tried in all when a retry is safe (see {@link Conversation})
     */
    public ConversationOptions withMaxAttempts(int maxAttempts) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #backoff() backoff}}
     *
     * @param backoff the wait before the first retry
     */
    public ConversationOptions withBackoff(Duration backoff) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #sampling() sampling} handler}
     *
     * @param sampling answers a server's {@code sampling/createMessage} during the conversation's calls, or
     *                 {@code null} to leave it to the pool's client options
     */
    public ConversationOptions withSampling(Handlers.Sampling sampling) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #elicitation() elicitation} handler}
     *
     * @param elicitation answers a server's {@code elicitation/create} during the conversation's calls, or
     *                    {@code null} to leave it to the pool's client options
     */
    public ConversationOptions withElicitation(Handlers.Elicitation elicitation) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #permissions() permissions}}
     *
     * @param permissions decides an ACP agent's permission requests during the conversation's prompts, on the
     *                    conversation's own thread
     */
    public ConversationOptions withPermissions(PermissionHandler permissions) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }

    /**
     * {@return these options with another {@link #roots() roots} handler}
     *
     * @param roots answers a server's {@code roots/list} during the conversation's calls, or {@code null} to leave it
     *              to the pool's client options
     */
    public ConversationOptions withRoots(Handlers.Roots roots) {
        return new ConversationOptions(name, listener, maxAttempts, backoff, sampling, elicitation, roots, permissions);
    }
}
