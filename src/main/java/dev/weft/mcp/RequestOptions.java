package dev.weft.mcp;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Options of one request to the server. Immutable; each {@code with} method returns a copy.
 *
 * @param timeout          the longest the request may take in all, or {@code null} for the session's
 *                         {@linkplain McpClientOptions#requestTimeout() default}
 * @param idleTimeout      the longest it may go without a progress notification, or {@code null} for none; setting it
 *                         asks the server for progress
 * @param onProgress       receives the request's progress notifications <b>on the calling thread</b>, in arrival order,
 *                         all before the result; setting it asks the server for progress (a progress token is added
 *                         to the request). An exception it throws cancels the request and is rethrown.
 * @param throwOnToolError for {@code tools/call}: throw {@link ToolErrorException} when the tool reports an error
 *                         ({@code isError}), instead of returning that result
 */
public record RequestOptions(Duration timeout, Duration idleTimeout, Consumer<Progress> onProgress,
                             boolean throwOnToolError) {
    /** The session's default timeout, no idle timeout, no progress, tool errors returned as results. */
    public static final RequestOptions DEFAULT = new RequestOptions(null, null, null, false);

    /**
     * Checks the timeouts.
     *
     * @throws IllegalArgumentException if a timeout is zero or negative
     */
    public RequestOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
    }

    /**
     * {@return these options with another {@link #timeout() timeout}}
     *
     * @param timeout the longest the request may take in all
     */
    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(Objects.requireNonNull(timeout, "timeout"), idleTimeout, onProgress,
                throwOnToolError);
    }

    /**
     * {@return these options with another {@link #idleTimeout() idleTimeout}}
     *
     * @param idleTimeout the longest it may go without a progress notification; setting it asks the server for
     *                    progress
     */
    public RequestOptions withIdleTimeout(Duration idleTimeout) {
        return new RequestOptions(timeout, Objects.requireNonNull(idleTimeout, "idleTimeout"), onProgress,
                throwOnToolError);
    }

    /**
     * {@return these options with another {@link #onProgress() onProgress}, which asks the server for progress}
     *
     * @param onProgress receives the request's progress notifications on the calling thread, before the result
     */
    public RequestOptions withProgress(Consumer<Progress> onProgress) {
        return new RequestOptions(timeout, idleTimeout, Objects.requireNonNull(onProgress, "onProgress"),
                throwOnToolError);
    }

    /**
     * {@return these options with {@link #throwOnToolError() throwOnToolError} set to {@code throwOnToolError}}
     *
     * @param throwOnToolError for {@code tools/call}: throw {@link ToolErrorException} when the tool reports an error
     *                         ({@code isError}), instead of returning that result
     */
    public RequestOptions withThrowOnToolError(boolean throwOnToolError) {
        return new RequestOptions(timeout, idleTimeout, onProgress, throwOnToolError);
    }

    boolean wantsProgress() {
        return onProgress != null || idleTimeout != null;
    }
}
