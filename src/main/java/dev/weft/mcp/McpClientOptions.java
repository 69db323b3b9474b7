package dev.weft.mcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The configuration of an {@link McpSession}. Immutable; each {@code with} method returns a copy.
 *
 * <p>The capabilities the session declares follow from the handlers: {@code sampling} when a sampling handler is set,
 * {@code elicitation} (form and URL mode) when an elicitation handler is set, {@code roots} (with
 * {@code listChanged}) when a roots handler is set.
 *
 * @param clientInfo               the {@code clientInfo} sent in {@code initialize}
 * @param protocolVersion          the revision asked for; the server may answer with any of
 *                                 {@link ProtocolVersions#SUPPORTED}
 * @param requestTimeout           the timeout of requests that set none
 * @param initializeTimeout        the timeout of the handshake
 * @param sampling                 answers {@code sampling/createMessage}, or {@code null}
 * @param elicitation              answers {@code elicitation/create}, or {@code null}
 * @param applyElicitationDefaults whether a form the user accepted gets the schema's defaults for the fields left out
 * @param roots                    answers {@code roots/list}, or {@code null}
 * @param events                   receives the session's notifications (log messages, list changes, resource updates)
 * @param threadName               prefix of the session's thread names
 */
public record McpClientOptions(Implementation clientInfo, String protocolVersion, Duration requestTimeout,
                               Duration initializeTimeout, Handlers.Sampling sampling,
                               Handlers.Elicitation elicitation, boolean applyElicitationDefaults,
                               Handlers.Roots roots, ServerEvents events, String threadName) {

    private static final ServerEvents NO_EVENTS = new ServerEvents() { };

    /**
     * Checks the components; {@code null} {@code events} stands for none.
     *
     * @throws IllegalArgumentException if a timeout is zero or negative
     */
    public McpClientOptions {
        Objects.requireNonNull(clientInfo, "clientInfo");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(initializeTimeout, "initializeTimeout");
        events = events == null ? NO_EVENTS : events;
        Objects.requireNonNull(threadName, "threadName");
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /**
     * {@return the defaults: client info {@code weft}, the latest revision, 60 s requests, 30 s handshake, no
     * handlers}
     */
    public static McpClientOptions defaults() {
        return new McpClientOptions(Implementation.of("weft", dev.weft.internal.Version.current()), ProtocolVersions.LATEST,
                Duration.ofSeconds(60), Duration.ofSeconds(30), null, null, true, null, NO_EVENTS, "weft-mcp");
    }

    /**
     * {@return these options with another {@link #clientInfo() clientInfo}}
     *
     * @param clientInfo the {@code clientInfo} sent in {@code initialize}
     */
    public McpClientOptions withClientInfo(Implementation clientInfo) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #protocolVersion() protocolVersion}}
     *
     * @param protocolVersion the revision asked for
     */
    public McpClientOptions withProtocolVersion(String protocolVersion) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #requestTimeout() requestTimeout}}
     *
     * @param requestTimeout the timeout of requests that set none
     */
    public McpClientOptions withRequestTimeout(Duration requestTimeout) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #initializeTimeout() initializeTimeout}}
     *
     * @param initializeTimeout the timeout of the handshake
     */
    public McpClientOptions withInitializeTimeout(Duration initializeTimeout) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #sampling() sampling} handler; one declares the capability}
     *
     * @param sampling answers {@code sampling/createMessage}, or {@code null}
     */
    public McpClientOptions withSampling(Handlers.Sampling sampling) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #elicitation() elicitation} handler; one declares the capability}
     *
     * @param elicitation answers {@code elicitation/create}, or {@code null}
     */
    public McpClientOptions withElicitation(Handlers.Elicitation elicitation) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with {@link #applyElicitationDefaults() applyElicitationDefaults} set as given}
     *
     * @param applyElicitationDefaults whether a form the user accepted gets the schema's defaults for the fields left
     *                                 out
     */
    public McpClientOptions withApplyElicitationDefaults(boolean applyElicitationDefaults) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #roots() roots} handler; one declares the capability}
     *
     * @param roots answers {@code roots/list}, or {@code null}
     */
    public McpClientOptions withRoots(Handlers.Roots roots) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }

    /**
     * {@return these options with another {@link #events() events}}
     *
     * @param events receives the session's notifications (log messages, list changes, resource updates)
     */
    public McpClientOptions withEvents(ServerEvents events) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, Objects.requireNonNull(events, "events"), threadName);
    }

    /**
     * {@return these options with another {@link #threadName() threadName}}
     *
     * @param threadName prefix of the session's thread names
     */
    public McpClientOptions withThreadName(String threadName) {
        return new McpClientOptions(clientInfo, protocolVersion, requestTimeout, initializeTimeout, sampling,
                elicitation, applyElicitationDefaults, roots, events, threadName);
    }
}
