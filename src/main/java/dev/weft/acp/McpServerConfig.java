package dev.weft.acp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An MCP server the agent should connect to for a session ({@code mcpServers} of {@code session/new} and
 * {@code session/load}). Immutable.
 */
public sealed interface McpServerConfig {

    /** {@return its name, as the agent shows it} */
    String name();

    /**
     * A server the agent starts as a subprocess and speaks to over stdio.
     *
     * @param name    its name, as the agent shows it
     * @param command the program, as the agent's machine finds it
     * @param args    its arguments
     * @param env     variables for it
     */
    record Stdio(String name, String command, List<String> args, Map<String, String> env) implements McpServerConfig {
        /** Checks and copies. */
        public Stdio {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args);
            env = Map.copyOf(env);
        }
    }

    /**
     * A server the agent reaches over Streamable HTTP (only if the agent has the {@code http} capability).
     *
     * @param name    its name, as the agent shows it
     * @param url     the MCP endpoint
     * @param headers headers the agent sends with every request
     */
    record Http(String name, String url, Map<String, String> headers) implements McpServerConfig {
        /** Checks and copies. */
        public Http {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * {@return the wire form: ACP sends variables and headers as lists of {@code {name, value}}}
     *
     * @param config the server
     */
    static Object toWire(McpServerConfig config) {
        return switch (config) {
            case Stdio stdio -> new StdioWire(stdio.name(), stdio.command(), stdio.args(), pairs(stdio.env()));
            case Http http -> new HttpWire("http", http.name(), http.url(), pairs(http.headers()));
        };
    }

    private static List<Pair> pairs(Map<String, String> map) {
        return map.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> new Pair(entry.getKey(), entry.getValue())).toList();
    }

    /**
     * A name and a value.
     *
     * @param name  the name
     * @param value the value
     */
    record Pair(String name, String value) {
    }

    /**
     * A stdio server on the wire.
     *
     * @param name    its name
     * @param command the program
     * @param args    its arguments
     * @param env     variables for it, sorted by name
     */
    record StdioWire(String name, String command, List<String> args, List<Pair> env) {
        /** Copies the lists; {@code null} stays {@code null}. */
        public StdioWire {
            args = args == null ? null : List.copyOf(args);
            env = env == null ? null : List.copyOf(env);
        }
    }

    /**
     * An HTTP server on the wire.
     *
     * @param type    {@code "http"}
     * @param name    its name
     * @param url     the MCP endpoint
     * @param headers headers, sorted by name
     */
    record HttpWire(@JsonProperty("type") String type, String name, String url, List<Pair> headers) {
        /** Copies the headers; {@code null} stays {@code null}. */
        public HttpWire {
            headers = headers == null ? null : List.copyOf(headers);
        }
    }
}
