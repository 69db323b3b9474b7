package dev.weft.mcp;

/**
 * Hints about a tool's behaviour; each may be {@code null} (unknown). The spec's defaults when absent: not read-only,
 * destructive, not idempotent, open world.
 *
 * <p>Immutable, and safe to share between threads.
 *
 * @param title           a display name
 * @param readOnlyHint    whether the tool leaves its environment unchanged
 * @param destructiveHint whether it may destroy or overwrite (when not read-only)
 * @param idempotentHint  whether calling it again with the same arguments has no further effect
 * @param openWorldHint   whether it reaches entities outside a closed domain (the web, say)
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {
}
