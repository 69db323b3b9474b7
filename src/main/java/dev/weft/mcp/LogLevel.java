package dev.weft.mcp;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The syslog severities MCP logging uses, least severe first.
 *
 * <p>Constants; safe to share between threads. {@link #parse} is stateless.
 */
public enum LogLevel {
    /** Detailed information for debugging. */
    DEBUG,
    /** Informational messages. */
    INFO,
    /** Normal but significant events. */
    NOTICE,
    /** Warning conditions. */
    WARNING,
    /** Error conditions. */
    ERROR,
    /** Critical conditions. */
    CRITICAL,
    /** Action must be taken immediately. */
    ALERT,
    /** The system is unusable. */
    EMERGENCY;

    /** {@return the name on the wire, such as {@code "warning"}} */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; an unknown one is {@link #INFO} (a newer peer's level must not break logging).
     *
     * @param wireName the name, in any case, or {@code null}
     * @return the level
     */
    @JsonCreator
    public static LogLevel parse(String wireName) {
        try {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            return INFO;
        }
    }
}
