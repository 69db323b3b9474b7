package dev.weft.mcp.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.auth.ClientCredentials;
import dev.weft.auth.EnterpriseIdp;
import dev.weft.auth.OAuthAuthorizer;
import dev.weft.auth.OAuthOptions;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.ElicitationResult;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.McpClientOptions;
import dev.weft.mcp.McpSession;
import dev.weft.transport.HttpSpec;
import dev.weft.testing.HeadlessBrowser;
import dev.weft.transport.StreamableHttpTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The client the {@code @modelcontextprotocol/conformance} suite drives: {@code ConformanceClient <server URL>}, with
 * the scenario in {@code MCP_CONFORMANCE_SCENARIO}. It does what a host would do in each scenario, through the public
 * API only, and exits 0 when everything it did succeeded. The suite checks the wire.
 *
 * <p>For the {@code auth/*} scenarios it authorizes with an {@link OAuthAuthorizer}: the authorization code grant
 * through a {@link HeadlessBrowser} (redirect URI {@value #REDIRECT_URI}) with the client ID metadata document
 * {@value #CLIENT_METADATA_DOCUMENT}, or what the scenario's context ({@code MCP_CONFORMANCE_CONTEXT}) gives: a
 * pre-registered client, client credentials (a secret, or a private key for {@code private_key_jwt}), or an
 * enterprise identity provider for cross-app access. Then it initializes, lists the tools and calls
 * {@code test-tool}.
 */
public final class ConformanceClient {
    static final String REDIRECT_URI = "http://localhost:3000/callback";
    static final String CLIENT_METADATA_DOCUMENT = "https://conformance-test.local/client-metadata.json";

    private ConformanceClient() {
    }

    /** The authorizer of an {@code auth/*} scenario, configured from its context. */
    static OAuthAuthorizer authorizer(String scenario, String contextJson) throws Exception {
        JsonNode context = contextJson == null || contextJson.isBlank() ? new ObjectMapper().createObjectNode()
                : new ObjectMapper().readTree(contextJson);
        OAuthOptions options = OAuthOptions.defaults().withClientName("weft-conformance-client")
                .withRedirectReceiver(new HeadlessBrowser(URI.create(REDIRECT_URI)))
                .withClientMetadataDocument(URI.create(CLIENT_METADATA_DOCUMENT))
                .withHttpTimeout(Duration.ofSeconds(20)).withRedirectTimeout(Duration.ofSeconds(20));
        String clientId = context.path("client_id").asText(null);
        String secret = context.path("client_secret").asText(null);
        switch (scenario) {
            case "auth/client-credentials-jwt" -> options = options.withClientCredentials(ClientCredentials
                    .privateKeyJwt(clientId, context.path("private_key_pem").asText(),
                            context.path("signing_algorithm").asText("ES256")));
            case "auth/client-credentials-basic" -> options = options.withClientCredentials(
                    ClientCredentials.secret(clientId, secret));
            case "auth/cross-app-access-complete-flow" -> {
                String idToken = context.path("idp_id_token").asText();
                options = options.withPreRegisteredClient(ClientCredentials.secret(clientId, secret))
                        .withEnterpriseIdp(new EnterpriseIdp(URI.create(context.path("idp_token_endpoint").asText()),
                                ClientCredentials.none(context.path("idp_client_id").asText()), () -> idToken));
            }
            default -> {
                if (clientId != null) {
                    options = options.withPreRegisteredClient(secret == null ? ClientCredentials.none(clientId)
                            : ClientCredentials.secret(clientId, secret));
                }
            }
        }
        return OAuthAuthorizer.create(options);
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
        HttpSpec spec = HttpSpec.of(url);
        if (scenario.startsWith("auth/")) {
            spec = spec.withAuthorizer(authorizer(scenario, System.getenv("MCP_CONFORMANCE_CONTEXT")));
        }
        int status = 0;
        try (McpSession session = McpSession.open(StreamableHttpTransport.open(spec), options)) {
            session.listTools();
            Map.Entry<String, Map<String, Object>> call = switch (scenario) {
                case "tools_call" -> Map.entry("add_numbers", Map.of("a", 2, "b", 3));
                case "elicitation-sep1034-client-defaults" -> Map.entry("test_client_elicitation_defaults", Map.of());
                case "sse-retry" -> Map.entry("test_reconnection", Map.of());
                case String auth when auth.startsWith("auth/") -> Map.entry("test-tool", Map.of());
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
