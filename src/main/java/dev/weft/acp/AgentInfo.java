package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an agent said about itself in answer to {@code initialize}.
 *
 * <p>Immutable apart from its JSON ({@code sessionCapabilities} is held as given): safe to share between threads as
 * long as nobody modifies that JSON.
 *
 * @param protocolVersion   the ACP version it speaks (1)
 * @param agentCapabilities what it can do
 * @param authMethods       how a client may authenticate ({@link AcpClient#authenticate}); empty when it needs none
 * @param agentInfo         its name and version, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentInfo(int protocolVersion, Capabilities agentCapabilities, List<AuthMethod> authMethods,
                        Implementation agentInfo) {
    /** Fills in what the agent left out: no capabilities, no auth methods. */
    public AgentInfo {
        agentCapabilities = agentCapabilities == null ? new Capabilities(false, null, null, null) : agentCapabilities;
        authMethods = authMethods == null ? List.of() : List.copyOf(authMethods);
    }

    /**
     * An agent's capabilities.
     *
     * @param loadSession         whether it can {@code session/load}
     * @param promptCapabilities  what a prompt may hold beyond text and resource links
     * @param mcpCapabilities     which MCP transports it can connect besides stdio
     * @param sessionCapabilities further session methods, as the agent sent them, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(boolean loadSession, PromptCapabilities promptCapabilities,
                               McpCapabilities mcpCapabilities, JsonNode sessionCapabilities) {
        /** Fills in what the agent left out: no prompt capabilities, no MCP transports besides stdio. */
        public Capabilities {
            promptCapabilities = promptCapabilities == null ? new PromptCapabilities(false, false, false)
                    : promptCapabilities;
            mcpCapabilities = mcpCapabilities == null ? new McpCapabilities(false, false) : mcpCapabilities;
        }
    }

    /**
     * Which content a prompt may hold beyond text and resource links.
     *
     * @param image           images
     * @param audio           audio
     * @param embeddedContext embedded resources
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptCapabilities(boolean image, boolean audio, boolean embeddedContext) {
    }

    /**
     * Which MCP transports the agent can connect besides stdio.
     *
     * @param http Streamable HTTP
     * @param sse  the older HTTP+SSE transport
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record McpCapabilities(boolean http, boolean sse) {
    }

    /**
     * A way to authenticate with the agent.
     *
     * @param id          what {@link AcpClient#authenticate} takes
     * @param name        its label, for a person
     * @param description what it does, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AuthMethod(String id, String name, String description) {
    }

    /**
     * A program's name and version.
     *
     * @param name    a programmatic name
     * @param version its version
     * @param title   a display name, or {@code null}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Implementation(String name, String version, String title) {
    }
}
