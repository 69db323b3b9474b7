package dev.weft.acp;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AcpClient} behaves. Immutable; each {@code with} method returns a copy.
 *
 * @param name              prefix of the client's thread names
 * @param clientName        the {@code clientInfo.name} sent with {@code initialize}
 * @param clientVersion     the {@code clientInfo.version}
 * @param requestTimeout    how long {@code initialize}, {@code session/new} and the other requests but prompts may take
 * @param promptIdleTimeout how long a prompt may go without any update from the agent before the client cancels it,
 *                          or {@code null} for no limit. Each update resets it; a turn has no overall deadline
 * @param cancelDrain       how long a cancelled prompt waits for the agent's answer (and its last updates) before the
 *                          client ends the turn itself
 * @param permissions       decides the agent's permission requests, on the prompting thread (a prompt may pass its own)
 * @param fileSystem        serves {@code fs/*} requests, or {@code null} to advertise no file system
 * @param terminals         serves {@code terminal/*} requests, or {@code null} to advertise no terminals. The host owns it
 *                          (and closes it); the client releases a session's terminals when the session closes
 */
public record AcpClientOptions(String name, String clientName, String clientVersion, Duration requestTimeout,
                               Duration promptIdleTimeout, Duration cancelDrain, PermissionHandler permissions,
                               ClientFileSystem fileSystem, ClientTerminals terminals) {
    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a duration is zero or negative
     */
    public AcpClientOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(clientVersion, "clientVersion");
        Objects.requireNonNull(permissions, "permissions");
        requirePositive(requestTimeout, "requestTimeout");
        if (promptIdleTimeout != null) {
            requirePositive(promptIdleTimeout, "promptIdleTimeout");
        }
        requirePositive(cancelDrain, "cancelDrain");
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /**
     * {@return the defaults} Named {@code weft-acp}; 60 s requests; a prompt cancelled after 30 minutes without an
     * update; a 5 s drain after a cancel; every permission refused; no file system, no terminals.
     */
    public static AcpClientOptions defaults() {
        return new AcpClientOptions("weft-acp", "weft", dev.weft.internal.Version.current(), Duration.ofSeconds(60),
                Duration.ofMinutes(30), Duration.ofSeconds(5), PermissionHandler.denying(), null, null);
    }

    /**
     * {@return these options with another {@link #name() name}}
     *
     * @param name prefix of the client's thread names
     */
    public AcpClientOptions withName(String name) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@code clientInfo}}
     *
     * @param clientName    the {@code clientInfo.name} sent with {@code initialize}
     * @param clientVersion the {@code clientInfo.version}
     */
    public AcpClientOptions withClientInfo(String clientName, String clientVersion) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #requestTimeout() requestTimeout}}
     *
     * @param requestTimeout how long {@code initialize}, {@code session/new} and the other requests but prompts may
     *                       take
     */
    public AcpClientOptions withRequestTimeout(Duration requestTimeout) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #promptIdleTimeout() promptIdleTimeout}}
     *
     * @param promptIdleTimeout how long a prompt may go without any update from the agent before the client cancels it,
     *                          or {@code null} for no limit
     */
    public AcpClientOptions withPromptIdleTimeout(Duration promptIdleTimeout) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #cancelDrain() cancelDrain}}
     *
     * @param cancelDrain how long a cancelled prompt waits for the agent's answer (and its last updates) before the
     *                    client ends the turn itself
     */
    public AcpClientOptions withCancelDrain(Duration cancelDrain) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #permissions() permissions}}
     *
     * @param permissions decides the agent's permission requests, on the prompting thread (a prompt may pass its own)
     */
    public AcpClientOptions withPermissions(PermissionHandler permissions) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #fileSystem() fileSystem}}
     *
     * @param fileSystem serves {@code fs/*} requests, or {@code null} to advertise no file system
     */
    public AcpClientOptions withFileSystem(ClientFileSystem fileSystem) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }

    /**
     * {@return these options with another {@link #terminals() terminals}}
     *
     * @param terminals serves {@code terminal/*} requests, or {@code null} to advertise no terminals
     */
    public AcpClientOptions withTerminals(ClientTerminals terminals) {
        return new AcpClientOptions(name, clientName, clientVersion, requestTimeout, promptIdleTimeout, cancelDrain,
                permissions, fileSystem, terminals);
    }
}
