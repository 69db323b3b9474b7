package dev.weft.pool;

import dev.weft.mcp.Handlers;
import dev.weft.mcp.ServerEvents;
import java.util.Objects;

/**
 * The server-to-client side of a pooled session, for one party with a call in flight on it: a conversation
 * {@linkplain SessionPool#claim claims} the session around each call, and while claims are open the session's
 * notifications go to every claimant's {@code events} and its requests to the oldest claimant that handles them,
 * instead of the pool's own {@linkplain SessionPoolOptions#clientOptions() client options}.
 *
 * <p>{@code events} runs on the session's notification thread and must hand each event on without blocking. The
 * handlers run on the session's request threads (never its reader) and may block until answered.
 *
 * <p>Immutable. Its callbacks may run on several threads at once (each request of a session runs on a thread of its
 * own, and one claimant may claim several sessions), so they must be thread-safe.
 *
 * @param events      receives the session's notifications
 * @param sampling    answers {@code sampling/createMessage}, or {@code null} to leave it to others
 * @param elicitation answers {@code elicitation/create}, or {@code null}
 * @param roots       answers {@code roots/list}, or {@code null}
 */
public record Claimant(ServerEvents events, Handlers.Sampling sampling, Handlers.Elicitation elicitation,
                       Handlers.Roots roots) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public Claimant {
        Objects.requireNonNull(events, "events");
    }
}
