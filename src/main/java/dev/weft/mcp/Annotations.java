package dev.weft.mcp;

import java.util.List;

/**
 * Hints on content and resources for the client: who it is for, how important it is, when it last changed.
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @param audience     {@code "user"} and/or {@code "assistant"}, or {@code null}
 * @param priority     0 (least) to 1 (most important), or {@code null}
 * @param lastModified an ISO 8601 timestamp, or {@code null}
 */
public record Annotations(List<String> audience, Double priority, String lastModified) {
    /** Copies the audience; {@code null} stays {@code null}. */
    public Annotations {
        // A null entry (JSON null) means nothing: dropped, rather than refusing the record.
        audience = audience == null ? null : audience.stream().filter(java.util.Objects::nonNull).toList();
    }
}
