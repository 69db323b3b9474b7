package dev.weft.mcp;

/**
 * Hints about a tool's behaviour; each may be {@code null} (unknown). The spec's defaults when absent: not read-only,
 * destructive, not idempotent, open world.
 */
public record ToolAnnotations(String title, Boolean readOnlyHint, Boolean destructiveHint, Boolean idempotentHint,
                              Boolean openWorldHint) {
}
