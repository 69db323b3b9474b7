package dev.weft.mcp;

import java.util.List;

/**
 * An icon a server offers for itself, a tool, a resource or a prompt.
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @param src      an https or data URI
 * @param mimeType its type, or {@code null}
 * @param sizes    sizes such as {@code "48x48"} or {@code "any"}, or {@code null}
 * @param theme    {@code "light"} or {@code "dark"}, or {@code null}
 */
public record Icon(String src, String mimeType, List<String> sizes, String theme) {
    /** Copies the sizes; {@code null} stays {@code null}. */
    public Icon {
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        sizes = sizes == null ? null : sizes.stream().filter(java.util.Objects::nonNull).toList();
    }
}
