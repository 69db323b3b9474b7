package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The modes a session offers (such as "ask" and "code") and the current one, as the agent said. Immutable.
 *
 * @param currentModeId  the mode now
 * @param availableModes every mode
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionModes(String currentModeId, List<Mode> availableModes) {
    /** Copies the modes; {@code null} stands for none. */
    public SessionModes {
        availableModes = availableModes == null ? List.of() : List.copyOf(availableModes);
    }

    /**
     * One mode.
     *
     * @param id          what {@link AcpSession#setMode} takes
     * @param name        its label, for a person
     * @param description what it does, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mode(String id, String name, String description) {
    }
}
