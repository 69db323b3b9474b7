package dev.weft.mcp;

import java.util.Objects;

/**
 * The name and version of an MCP implementation ({@code clientInfo}, {@code serverInfo}).
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @param name    a programmatic name
 * @param version its version
 * @param title   a display name, or {@code null}
 */
public record Implementation(String name, String version, String title) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code name} or {@code version} is {@code null}
     */
    public Implementation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /**
     * {@return an implementation without a display name}
     *
     * @param name    a programmatic name
     * @param version its version
     */
    public static Implementation of(String name, String version) {
        return new Implementation(name, version, null);
    }
}
