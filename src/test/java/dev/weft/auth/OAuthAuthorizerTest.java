package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.testing.HeadlessBrowser;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.HttpStatusException;
import dev.weft.transport.StreamableHttpTransport;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OAuthAuthorizer} against {@link FakeOAuth}, driven through a {@link Connection} on the Streamable HTTP
 * transport: what is requested, in which order, with which parameters, and what it refuses.
 */
class OAuthAuthorizerTest {
    static final URI REDIRECT = URI.create("http://localhost:3000/callback");
    private static final Duration LONG = Duration.ofSeconds(30);

    private FakeOAuth fake;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOAuth();
    }

    @AfterEach
    void stop() throws Exception {
        connections.forEach(Connection::close);
        fake.close();
    }

    static OAuthOptions options() {
        return OAuthOptions.defaults().withRedirectReceiver(new HeadlessBrowser(REDIRECT));
    }

    private Connection connect(OAuthAuthorizer authorizer) throws Exception {
        Connection connection = Connection.open(StreamableHttpTransport.open(HttpSpec.of(fake.endpoint())
                .withAuthorizer(authorizer)), ConnectionOptions.DEFAULT.withDefaultTimeout(LONG));
        connections.add(connection);
        return connection;
    }

    private JsonNode call(OAuthAuthorizer authorizer, String method) throws Exception {
        return connect(authorizer).call(method, null);
    }

    @Test
    void aFirst401DiscoversRegistersAuthorizesAndSendsTheRequestAgain() throws Exception {
        JsonNode result = call(OAuthAuthorizer.create(options()), "tools/list");

        assertThat(result.path("method").asText()).isEqualTo("tools/list");
        assertThat(fake.paths("resource")).containsExactly("/mcp", "/.well-known/oauth-protected-resource/mcp",
                "/mcp");
        assertThat(fake.paths("auth")).containsExactly("/.well-known/oauth-authorization-server", "/register",
                "/authorize", "/token");
        Map<String, String> authorization = fake.authorizations().getFirst().query();
        assertThat(authorization).containsEntry("response_type", "code").containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("resource", fake.resourceBase() + "/mcp").containsKeys("state", "code_challenge")
                .doesNotContainKey("scope");
        Map<String, String> token = fake.tokenRequests().getFirst().form();
        assertThat(token).containsEntry("grant_type", "authorization_code")
                .containsEntry("resource", authorization.get("resource"))
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("client_id", authorization.get("client_id"));
        assertThat(FakeOAuth.s256(token.get("code_verifier"))).isEqualTo(authorization.get("code_challenge"));
        JsonNode registration = fake.received("auth", "/register").getFirst().json();
        assertThat(registration.path("grant_types").toString()).contains("authorization_code", "refresh_token");
        assertThat(registration.path("redirect_uris").get(0).asText()).isEqualTo(REDIRECT.toString());
        assertThat(fake.received("resource", "/mcp").get(1).header("Authorization")).startsWith("Bearer tok-");
    }

    @Test
    void withoutResourceMetadataInTheChallengeThePathBasedThenTheRootWellKnownAreTried() throws Exception {
        fake.challenge = "Bearer error=\"invalid_token\"";
        fake.prm.clear();
        ObjectNode rootPrm = fake.defaultPrm().put("resource", fake.resourceBase());
        rootPrm.putArray("authorization_servers").add(fake.authBase() + "/tenant1");
        fake.prm.put("/.well-known/oauth-protected-resource", rootPrm);
        fake.metadata.clear();
        fake.metadata.put("/tenant1/.well-known/openid-configuration", fake.defaultMetadata("/tenant1"));

        call(OAuthAuthorizer.create(options()), "tools/list");

        assertThat(fake.paths("resource")).startsWith("/mcp", "/.well-known/oauth-protected-resource/mcp",
                "/.well-known/oauth-protected-resource", "/mcp");
        assertThat(fake.paths("auth")).containsExactly("/.well-known/oauth-authorization-server/tenant1",
                "/.well-known/openid-configuration/tenant1", "/tenant1/.well-known/openid-configuration",
                "/tenant1/register", "/tenant1/authorize", "/tenant1/token");
        assertThat(fake.received("auth", "/tenant1/authorize").getFirst().query()).containsEntry("resource",
                fake.resourceBase());
    }

    @Test
    void aServerWithoutResourceMetadataIsItsOwnAuthorizationServerWithDefaultEndpoints() throws Exception {
        fake.challenge = "Bearer";
        fake.prm.clear();
        fake.metadata.clear();
        fake.legacy = true;

        call(OAuthAuthorizer.create(options()), "tools/list");

        assertThat(fake.paths("resource")).containsExactly("/mcp", "/.well-known/oauth-protected-resource/mcp",
                "/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server",
                "/.well-known/openid-configuration", "/register", "/authorize", "/token", "/mcp");
        assertThat(fake.paths("auth")).isEmpty();
        FakeOAuth.Received authorize = fake.received("resource", "/authorize").getFirst();
        assertThat(authorize.query()).containsEntry("code_challenge_method", "S256")
                .containsEntry("resource", fake.endpoint().toString());
    }

    @Test
    void aServerWithoutResourceMetadataButWithMetadataAtItsOriginUsesItWhateverItsIssuer() throws Exception {
        fake.challenge = "Bearer";
        fake.prm.clear();
        fake.metadata.clear();
        fake.metadata.put("/.well-known/oauth-authorization-server", fake.defaultMetadata("/oauth")
                .put("issuer", fake.resourceBase() + "/oauth").put("authorization_endpoint",
                        fake.resourceBase() + "/oauth/authorize").put("token_endpoint",
                        fake.resourceBase() + "/oauth/token").put("registration_endpoint",
                        fake.resourceBase() + "/oauth/register"));
        fake.legacy = true;

        call(OAuthAuthorizer.create(options()), "tools/list");

        assertThat(fake.paths("resource")).containsExactly("/mcp", "/.well-known/oauth-protected-resource/mcp",
                "/.well-known/oauth-protected-resource", "/.well-known/oauth-authorization-server",
                "/oauth/register", "/oauth/authorize", "/oauth/token", "/mcp");
    }

    @Test
    void tokensInASharedStoreServeAnotherAuthorizerWithoutA401() throws Exception {
        TokenStore store = TokenStore.inMemory();
        call(OAuthAuthorizer.create(options().withTokenStore(store)), "tools/list");
        fake.received.clear();

        call(OAuthAuthorizer.create(options().withTokenStore(store)), "tools/list");

        assertThat(fake.paths("resource")).containsExactly("/mcp");
        assertThat(fake.paths("auth")).isEmpty();
        assertThat(store.tokens(fake.endpoint())).isPresent();
        assertThat(OAuthAuthorizer.key(URI.create("HTTP://Example.COM:8080/mcp?x=1#f")))
                .isEqualTo(URI.create("http://example.com:8080/mcp?x=1"));
    }

    @Test
    void discoveryOrdersFollowTheSpecification() throws Exception {
        Discovery discovery = new Discovery(null, URI.create("https://mcp.example.com/public/mcp/"));

        assertThat(discovery.resourceMetadataCandidates(null)).containsExactly(
                URI.create("https://mcp.example.com/.well-known/oauth-protected-resource/public/mcp"),
                URI.create("https://mcp.example.com/.well-known/oauth-protected-resource"));
        assertThat(discovery.resourceMetadataCandidates("https://other.example.com/prm.json"))
                .containsExactly(URI.create("https://other.example.com/prm.json"));
        assertThat(Discovery.serverMetadataCandidates(URI.create("https://auth.example.com/tenant1"))).containsExactly(
                URI.create("https://auth.example.com/.well-known/oauth-authorization-server/tenant1"),
                URI.create("https://auth.example.com/.well-known/openid-configuration/tenant1"),
                URI.create("https://auth.example.com/tenant1/.well-known/openid-configuration"));
        assertThat(Discovery.serverMetadataCandidates(URI.create("https://auth.example.com"))).containsExactly(
                URI.create("https://auth.example.com/.well-known/oauth-authorization-server"),
                URI.create("https://auth.example.com/.well-known/openid-configuration"));
    }

    @Test
    void aResourceThatDoesNotCoverTheServerIsRefusedBeforeAnyAuthorization() throws Exception {
        fake.prm.put("/.well-known/oauth-protected-resource/mcp",
                fake.defaultPrm().put("resource", "https://evil.example.com/mcp"));

        Throwable failed = catchThrowable(() -> call(OAuthAuthorizer.create(options()), "tools/list"));

        assertThat(failed).isInstanceOf(ExchangeFailedException.class);
        assertThat(failed.getCause()).isInstanceOfSatisfying(AuthorizationException.class, e -> {
            assertThat(e.step()).isEqualTo(AuthorizationException.Step.RESOURCE_CHECK);
            assertThat(e.server()).isEqualTo(fake.endpoint());
            assertThat(e.getMessage()).contains("https://evil.example.com/mcp");
        });
        assertThat(fake.paths("auth")).isEmpty();
    }

    @Test
    void coverageIsByOriginAndPathSegments() {
        URI server = URI.create("https://mcp.example.com/api/mcp");

        assertThat(Discovery.covers("https://mcp.example.com", server)).isTrue();
        assertThat(Discovery.covers("https://MCP.example.com:443/api/", server)).isTrue();
        assertThat(Discovery.covers("https://mcp.example.com/api/mcp", server)).isTrue();
        assertThat(Discovery.covers("https://mcp.example.com/ap", server)).isFalse();
        assertThat(Discovery.covers("https://mcp.example.com/api/mcp/other", server)).isFalse();
        assertThat(Discovery.covers("http://mcp.example.com/api/mcp", server)).isFalse();
        assertThat(Discovery.covers("https://mcp.example.com:8443/api/mcp", server)).isFalse();
        assertThat(Discovery.covers("https://evil.example.com/api/mcp", server)).isFalse();
        assertThat(Discovery.covers("not a uri", server)).isFalse();
    }

    @Test
    void aPreRegisteredClientComesFirst() throws Exception {
        fake.metadata.get("/.well-known/oauth-authorization-server").put("client_id_metadata_document_supported", true)
                .putArray("token_endpoint_auth_methods_supported").add("client_secret_basic");

        call(OAuthAuthorizer.create(options().withClientMetadataDocument(URI.create("https://app.example/cimd.json"))
                .withPreRegisteredClient(ClientCredentials.secret("pre", "pre-secret"))), "tools/list");

        assertThat(fake.received("auth", "/register")).isEmpty();
        assertThat(fake.authorizations().getFirst().query()).containsEntry("client_id", "pre");
        assertThat(fake.tokenRequests().getFirst().header("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("pre:pre-secret".getBytes()));
    }

    @Test
    void aClientMetadataDocumentComesBeforeRegistrationWhereSupported() throws Exception {
        fake.metadata.get("/.well-known/oauth-authorization-server").put("client_id_metadata_document_supported", true);

        call(OAuthAuthorizer.create(options().withClientMetadataDocument(URI.create("https://app.example/cimd.json"))),
                "tools/list");

        assertThat(fake.received("auth", "/register")).isEmpty();
        assertThat(fake.authorizations().getFirst().query()).containsEntry("client_id",
                "https://app.example/cimd.json");
        assertThat(fake.tokenRequests().getFirst().form()).containsEntry("client_id", "https://app.example/cimd.json")
                .doesNotContainKey("client_secret");
    }

    @Test
    void aRegistrationIsKeptPerIssuerAndReused() throws Exception {
        TokenStore store = TokenStore.inMemory();
        call(OAuthAuthorizer.create(options().withTokenStore(store)), "tools/list");
        store.removeTokens(OAuthAuthorizer.key(fake.endpoint()));

        call(OAuthAuthorizer.create(options().withTokenStore(store)), "tools/list");

        assertThat(fake.received("auth", "/register")).hasSize(1);
        assertThat(fake.authorizations()).hasSize(2);
        assertThat(store.registration(fake.authBase())).isPresent();
    }

    @Test
    void theTokenEndpointAuthenticationIsTheOneRegisteredAndSupported() throws Exception {
        for (String method : List.of("client_secret_basic", "client_secret_post", "none")) {
            fake.received.clear();
            fake.metadata.get("/.well-known/oauth-authorization-server").putArray(
                    "token_endpoint_auth_methods_supported").add(method);
            fake.registration.clear();
            fake.registration.put("token_endpoint_auth_method", method);
            if (method.equals("none")) {
                fake.registration.put("no_secret", "yes");
            }

            call(OAuthAuthorizer.create(options()), "tools/list");

            FakeOAuth.Received token = fake.tokenRequests().getFirst();
            switch (method) {
                case "client_secret_basic" -> {
                    assertThat(token.header("Authorization")).startsWith("Basic ");
                    assertThat(token.form()).doesNotContainKeys("client_secret", "client_id");
                }
                case "client_secret_post" -> {
                    assertThat(token.header("Authorization")).isNull();
                    assertThat(token.form()).containsKeys("client_id", "client_secret");
                }
                default -> {
                    assertThat(token.header("Authorization")).isNull();
                    assertThat(token.form()).containsKey("client_id").doesNotContainKey("client_secret");
                }
            }
        }
    }

    @Test
    void scopesComeFromTheChallengeElseTheResourceMetadataAndOfflineAccessOnlyWhenListed() throws Exception {
        fake.prm.get("/.well-known/oauth-protected-resource/mcp").putArray("scopes_supported").add("a").add("b");
        fake.metadata.get("/.well-known/oauth-authorization-server").putArray("scopes_supported").add("a")
                .add("offline_access");
        call(OAuthAuthorizer.create(options()), "tools/list");
        assertThat(fake.authorizations().getFirst().query()).containsEntry("scope", "a b offline_access");

        fake.received.clear();
        fake.challenge = fake.challenge + ", scope=\"c\"";
        fake.metadata.get("/.well-known/oauth-authorization-server").putArray("scopes_supported").add("c");
        call(OAuthAuthorizer.create(options()), "tools/list");
        assertThat(fake.authorizations().getFirst().query()).containsEntry("scope", "c");
    }

    @Test
    void a403ForMoreScopesStepsUpToTheUnion() throws Exception {
        fake.challenge = fake.challenge + ", scope=\"read\"";
        fake.requiredScopes.put("tools/list", Set.of("read"));
        fake.requiredScopes.put("tools/call", Set.of("read", "write"));
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(options());
        Connection connection = connect(authorizer);

        connection.call("tools/list", null);
        connection.call("tools/call", null);

        assertThat(fake.authorizations()).extracting(r -> r.query().get("scope")).containsExactly("read",
                "read write");
        assertThat(fake.received("auth", "/register")).hasSize(1);
    }

    @Test
    void aStepUpThatCannotHelpIsNotTriedAndTheLimitHolds() throws Exception {
        fake.challenge = fake.challenge + ", scope=\"admin\"";
        fake.requiredScopes.put("tools/list", Set.of("admin", "root"));
        fake.grantOnly = Set.of("admin"); // the authorization server never grants "root"
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(options().withMaxAuthorizationsPerRequest(2));

        Throwable failed = catchThrowable(() -> connect(authorizer).call("tools/list", null));

        assertThat(failed.getCause()).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.wwwAuthenticate()).singleElement().asString().contains("insufficient_scope");
        });
        // the 401, then one step-up for "admin root" (granted "admin" only); that token's refusal asks for a scope
        // it lacks, but the limit of 2 authorizations for the request is reached
        assertThat(fake.authorizations()).hasSize(2);

        fake.received.clear();
        fake.requiredScopes.put("tools/list", Set.of("admin"));
        fake.forceInsufficientScope = true; // refuses even a token with every scope it asks for
        Throwable again = catchThrowable(() -> connect(authorizer).call("tools/list", null));
        assertThat(again.getCause()).isInstanceOf(HttpStatusException.class);
        assertThat(fake.authorizations()).isEmpty();
    }

    @Test
    void aServerThatRefusesTheNewTokenIsNotAuthorizedAgainForTheSameRequest() throws Exception {
        fake.refuseAllTokens = true;

        Throwable failed = catchThrowable(() -> call(OAuthAuthorizer.create(options()), "tools/list"));

        assertThat(failed.getCause()).isInstanceOfSatisfying(HttpStatusException.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThat(fake.authorizations()).hasSize(1);
        assertThat(fake.received("resource", "/mcp")).hasSize(2);
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeItIsSent() throws Exception {
        fake.issueRefreshTokens = true;
        fake.expiresIn = 3600;
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        OAuthAuthorizer authorizer = new OAuthAuthorizer(options(), clock);
        Connection connection = connect(authorizer);
        connection.call("tools/list", null);

        clock.now = clock.now.plus(Duration.ofMinutes(59).plusSeconds(30));
        connection.call("tools/list", null);

        assertThat(fake.authorizations()).hasSize(1);
        assertThat(fake.tokenRequests()).extracting(r -> r.form().get("grant_type")).containsExactly(
                "authorization_code", "refresh_token");
        assertThat(fake.tokenRequests().get(1).form()).containsEntry("resource", fake.resourceBase() + "/mcp")
                .containsKey("refresh_token");
        List<FakeOAuth.Received> posts = fake.received("resource", "/mcp");
        assertThat(posts.getLast().header("Authorization")).isNotEqualTo(posts.get(1).header("Authorization"));
        assertThat(fake.received("resource", "/mcp")).hasSize(3); // no 401 on the second call
    }

    @Test
    void aRefusedRefreshAheadKeepsTheTokenWithoutItsRefreshToken() throws Exception {
        fake.issueRefreshTokens = true;
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TokenStore store = TokenStore.inMemory();
        OAuthAuthorizer authorizer = new OAuthAuthorizer(options().withTokenStore(store), clock);
        Connection connection = connect(authorizer);
        connection.call("tools/list", null);
        String first = store.tokens(fake.endpoint()).orElseThrow().accessToken();
        fake.refreshError = "invalid_grant";
        clock.now = clock.now.plus(Duration.ofMinutes(59).plusSeconds(30));

        connection.call("tools/list", null);
        connection.call("tools/list", null);

        assertThat(fake.tokenRequests()).extracting(r -> r.form().get("grant_type")).containsExactly(
                "authorization_code", "refresh_token");
        assertThat(store.tokens(fake.endpoint()).orElseThrow()).satisfies(t -> {
            assertThat(t.accessToken()).isEqualTo(first);
            assertThat(t.refreshToken()).isNull();
        });
        assertThat(fake.received("resource", "/mcp").getLast().header("Authorization")).isEqualTo("Bearer " + first);
    }

    @Test
    void a401WithARefreshTokenRefreshesInsteadOfAuthorizing() throws Exception {
        fake.issueRefreshTokens = true;
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(options());
        Connection connection = connect(authorizer);
        connection.call("tools/list", null);
        fake.revokeAccessTokens();

        connection.call("tools/list", null);

        assertThat(fake.authorizations()).hasSize(1);
        assertThat(fake.tokenRequests()).extracting(r -> r.form().get("grant_type")).containsExactly(
                "authorization_code", "refresh_token");
    }

    @Test
    void aRefusedRefreshFallsBackToAFullAuthorization() throws Exception {
        fake.issueRefreshTokens = true;
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(options());
        Connection connection = connect(authorizer);
        connection.call("tools/list", null);
        fake.revokeAccessTokens();
        fake.refreshError = "invalid_grant";

        connection.call("tools/list", null);

        assertThat(fake.authorizations()).hasSize(2);
        assertThat(fake.tokenRequests()).extracting(r -> r.form().get("grant_type")).containsExactly(
                "authorization_code", "refresh_token", "authorization_code");
    }

    @Test
    void aRefusedTokenRequestFailsTheCallWithTheOAuthError() throws Exception {
        fake.tokenError = "invalid_grant";

        Throwable failed = catchThrowable(() -> call(OAuthAuthorizer.create(options()), "tools/list"));

        assertThat(failed.getCause()).isInstanceOfSatisfying(AuthorizationException.class, e -> {
            assertThat(e.step()).isEqualTo(AuthorizationException.Step.TOKEN);
            assertThat(e.error()).isEqualTo("invalid_grant");
            assertThat(e.errorDescription()).isEqualTo("refused by the fake");
            assertThat(e.endpoint()).isEqualTo(URI.create(fake.authBase() + "/token"));
            assertThat(e.metadataUrl()).isEqualTo(URI.create(fake.authBase()
                    + "/.well-known/oauth-authorization-server"));
        });
    }

    @Test
    void theStateAndTheIssuerOfTheRedirectMustMatch() throws Exception {
        for (boolean forgeState : List.of(true, false)) {
            RedirectReceiver forged = new RedirectReceiver() {
                @Override
                public URI redirectUri() {
                    return REDIRECT;
                }

                @Override
                public Map<String, String> await(URI url, Duration timeout) {
                    String state = HeadlessBrowser.query(url.getRawQuery()).get("state");
                    return forgeState ? Map.of("code", "code-1", "state", "forged")
                            : Map.of("code", "code-1", "state", state, "iss", "https://mix-up.example");
                }
            };

            Throwable failed = catchThrowable(() -> call(OAuthAuthorizer.create(options()
                    .withRedirectReceiver(forged)), "tools/list"));

            assertThat(failed.getCause()).isInstanceOfSatisfying(AuthorizationException.class, e -> {
                assertThat(e.step()).isEqualTo(AuthorizationException.Step.AUTHORIZATION);
                assertThat(e.getMessage()).contains(forgeState ? "state" : "https://mix-up.example");
            });
            assertThat(fake.tokenRequests()).isEmpty();
        }
    }

    @Test
    void clientCredentialsWithAPrivateKeySignAnAssertionForTheIssuer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        fake.metadata.get("/.well-known/oauth-authorization-server").putArray("token_endpoint_auth_methods_supported")
                .add("private_key_jwt");

        call(OAuthAuthorizer.create(OAuthOptions.defaults().withClientCredentials(
                ClientCredentials.privateKeyJwt("machine", pem, "ES256"))), "tools/list");

        assertThat(fake.authorizations()).isEmpty();
        Map<String, String> form = fake.tokenRequests().getFirst().form();
        assertThat(form).containsEntry("grant_type", "client_credentials")
                .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .containsEntry("resource", fake.resourceBase() + "/mcp");
        String[] jwt = form.get("client_assertion").split("\\.");
        JsonNode header = FakeOAuth.JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
        JsonNode claims = FakeOAuth.JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(header.path("alg").asText()).isEqualTo("ES256");
        assertThat(claims.path("iss").asText()).isEqualTo("machine");
        assertThat(claims.path("sub").asText()).isEqualTo("machine");
        assertThat(claims.path("aud").asText()).isEqualTo(fake.authBase());
        assertThat(claims.path("exp").asLong()).isGreaterThan(claims.path("iat").asLong());
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(pair.getPublic());
        verifier.update((jwt[0] + "." + jwt[1]).getBytes());
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
    }

    @Test
    void rsaKeysSignRs256Assertions() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        ClientCredentials.PrivateKeyJwt client = ClientCredentials.privateKeyJwt("machine", pem, "RS256");

        String[] jwt = Crypto.clientAssertion(client, "https://as.example", Instant.now()).split("\\.");

        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(pair.getPublic());
        verifier.update((jwt[0] + "." + jwt[1]).getBytes());
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
        assertThat(client.toString()).doesNotContain(pem.substring(30, 60));
        assertThatThrownBy(() -> ClientCredentials.privateKeyJwt("machine", pem, "ES256"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void misconfigurationFailsFast() {
        assertThatThrownBy(() -> OAuthAuthorizer.create(OAuthOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthAuthorizer.create(OAuthOptions.defaults().withEnterpriseIdp(new EnterpriseIdp(
                URI.create("https://idp.example/token"), ClientCredentials.none("x"), () -> "id"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().withClientMetadataDocument(URI.create("http://app.example/cimd")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options().withMaxAuthorizationsPerRequest(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientCredentials.secret("id", "s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(new TokenStore.Tokens("t0k3n", "r3fr3sh", null, Set.of()).toString()).doesNotContain("t0k3n",
                "r3fr3sh");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
