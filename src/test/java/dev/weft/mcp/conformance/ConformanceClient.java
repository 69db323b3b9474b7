package dev.weft.mcp.conformance;

import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.StreamableHttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The client the {@code @modelcontextprotocol/conformance} suite drives: {@code ConformanceClient <server URL>}, with
 * the scenario in {@code MCP_CONFORMANCE_SCENARIO}. It does what a host would do in each scenario, through the public
 * API only, and exits 0 when everything it did succeeded. The suite checks the wire.
 */
public final class ConformanceClient {
    private ConformanceClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ConformanceClient <server URL>");
            System.exit(2);
        }
        URI url = URI.create(args[args.length - 1]);
        String scenario = System.getenv().getOrDefault("MCP_CONFORMANCE_SCENARIO", "initialize");
        McpClientOptions options = McpClientOptions.defaults()
                .withClientInfo(Implementation.of("weft-conformance-client", "1.0.0"))
                .withRequestTimeout(Duration.ofSeconds(20))
                // Accept every form as the user left it: the schema's defaults fill the fields (SEP-1034).
                .withElicitation(request -> ElicitationResult.accept(Map.of()));
        int status = 0;
        try (McpSession session = McpSession.open(StreamableHttpTransport.open(HttpSpec.of(url)), options)) {
            session.listTools();
            Map.Entry<String, Map<String, Object>> call = switch (scenario) {
                case "tools_call" -> Map.entry("add_numbers", Map.of("a", 2, "b", 3));
                case "elicitation-sep1034-client-defaults" -> Map.entry("test_client_elicitation_defaults", Map.of());
                case "sse-retry" -> Map.entry("test_reconnection", Map.of());
                default -> null;
            };
            if (call != null) {
                CallToolResult result = session.callTool(call.getKey(), call.getValue());
                System.out.println(call.getKey() + ": " + result.text());
                if (result.isError()) {
                    status = 1;
                }
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }
}
