package dev.weft.pool;

import dev.weft.mcp.McpClientOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and the session factory of a {@link SessionPool}. Immutable; each {@code with} method returns a copy.
 *
 * @param maxSessions     the most sessions the pool holds at once, those being created included; at the limit, asking
 *                        for another key closes the least recently used session that has no request in flight, or
 *                        fails with {@link SessionPoolFullException} when every session is busy
 * @param idleTimeout     how long a session may go unused, with no request in flight, before the pool closes it; or
 *                        {@code null} to keep sessions until they die or the pool closes
 * @param creationTimeout how long making one session may take (starting the process, the handshake) before it is
 *                        abandoned and its waiters fail
 * @param closeTimeout    how long {@link SessionPool#close()} waits for a session being made to give up
 * @param clientOptions   the options of every session; their handlers (sampling, elicitation, roots) and events
 *                        serve the server's requests and notifications that no {@linkplain SessionPool#claim claimant}
 *                        takes, and a handler set here declares its capability to the servers
 * @param factory         makes a session for a key
 */
public record SessionPoolOptions(int maxSessions, Duration idleTimeout, Duration creationTimeout,
                                 Duration closeTimeout, McpClientOptions clientOptions, SessionFactory factory) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code maxSessions} is not positive or a duration is not positive
     */
    public SessionPoolOptions {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive: " + maxSessions);
        }
        positive(idleTimeout, "idleTimeout", true);
        positive(creationTimeout, "creationTimeout", false);
        positive(closeTimeout, "closeTimeout", false);
        Objects.requireNonNull(clientOptions, "clientOptions");
        Objects.requireNonNull(factory, "factory");
    }

    private static void positive(Duration d, String name, boolean nullable) {
        if (d == null && nullable) {
            return;
        }
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * At most 256 sessions, closed after 10 minutes unused, 60 s to make one, 10 s for one being made to give up at
     * close; the {@linkplain McpClientOptions#defaults() default client options}, the {@linkplain
     * SessionFactory#standard() standard factory}.
     *
     * @return the options
     */
    public static SessionPoolOptions defaults() {
        return new SessionPoolOptions(256, Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(10),
                McpClientOptions.defaults(), SessionFactory.standard());
    }

    /**
     * {@return these options with another {@link #maxSessions() maxSessions}}
     *
     * @param maxSessions the most sessions the pool holds at once, those being created included
     */
    public SessionPoolOptions withMaxSessions(int maxSessions) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }

    /**
     * {@return these options with another {@link #idleTimeout() idleTimeout}}
     *
     * @param idleTimeout how long a session may go unused before the pool closes it; {@code null} keeps sessions until
     *                    they die or the pool closes
     */
    public SessionPoolOptions withIdleTimeout(Duration idleTimeout) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }

    /**
     * {@return these options with another {@link #creationTimeout() creationTimeout}}
     *
     * @param creationTimeout how long making one session may take (starting the process, the handshake) before it is
     *                        abandoned and its waiters fail
     */
    public SessionPoolOptions withCreationTimeout(Duration creationTimeout) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }

    /**
     * {@return these options with another {@link #closeTimeout() closeTimeout}}
     *
     * @param closeTimeout how long {@link SessionPool#close()} waits for a session being made to give up
     */
    public SessionPoolOptions withCloseTimeout(Duration closeTimeout) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }

    /**
     * {@return these options with another {@link #factory() factory}}
     *
     * @param factory makes a session for a key
     */
    public SessionPoolOptions withFactory(SessionFactory factory) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }

    /**
     * {@return these options with another {@link #clientOptions() clientOptions}}
     *
     * @param clientOptions the options of every session
     */
    public SessionPoolOptions withClientOptions(McpClientOptions clientOptions) {
        return new SessionPoolOptions(maxSessions, idleTimeout, creationTimeout, closeTimeout, clientOptions, factory);
    }
}
