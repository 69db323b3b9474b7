package dev.weft.mcp;

import java.util.Objects;

/**
 * The client's answer to {@code sampling/createMessage}.
 *
 * <p>Immutable apart from the JSON of its content block (held as given): safe to share between threads as long as
 * nobody modifies that JSON.
 *
 * @param role       normally {@code assistant}
 * @param content    the sampled content
 * @param model      the model that produced it
 * @param stopReason {@code endTurn}, {@code stopSequence}, {@code maxTokens}, {@code toolUse} or other; or {@code null}
 */
public record SamplingResult(String role, Content content, String model, String stopReason) {
    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code role}, {@code content} or {@code model} is {@code null}
     */
    public SamplingResult {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(model, "model");
    }

    /**
     * {@return an assistant's text answer that ended its turn}
     *
     * @param model the model that produced it
     * @param text  the answer
     */
    public static SamplingResult text(String model, String text) {
        return new SamplingResult("assistant", new Content.Text(text), model, "endTurn");
    }
}
