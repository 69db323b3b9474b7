package dev.weft.mcp;

import java.util.Objects;

/**
 * A root the client exposes to the server ({@code roots/list}): a {@code file://} URI the server may work within.
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @param uri  the URI
 * @param name a display name, or {@code null}
 */
public record Root(String uri, String name) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code uri} is {@code null}
     */
    public Root {
        Objects.requireNonNull(uri, "uri");
    }

    /**
     * {@return a root for a directory, named after its last path element}
     *
     * @param directory the directory; a relative one is resolved against the working directory
     */
    public static Root of(java.nio.file.Path directory) {
        return new Root(directory.toAbsolutePath().toUri().toString(), directory.getFileName() == null ? null
                : directory.getFileName().toString());
    }
}
