package dev.weft.mcp;

/**
 * A progress notification for a request in flight; immutable.
 *
 * @param progress how far along; increases with every notification (may be fractional)
 * @param total    the value {@code progress} will reach, or {@code null} when unknown
 * @param message  a human-readable status, or {@code null}
 */
public record Progress(double progress, Double total, String message) {
}
