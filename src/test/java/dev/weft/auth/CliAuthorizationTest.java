package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code weft} command line against a server that asks for authorization, as a person uses it: the command runs in
 * a JVM of its own, prints the address to open on its standard error and waits; the test plays the browser (it opens
 * the address, and follows the authorization server's redirect to the command's loopback listener by hand), and the
 * command then goes on with its request. The servers are {@link FakeOAuth}'s.
 */
class CliAuthorizationTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private FakeOAuth fake;
    private HttpClient browser;

    @BeforeEach
    void servers() throws Exception {
        fake = new FakeOAuth();
        browser = new HttpClient();
        browser.setFollowRedirects(false);
        browser.start();
    }

    @AfterEach
    void stop() throws Exception {
        browser.stop();
        fake.close();
    }

    private ContentResponse get(URI uri) throws Exception {
        return browser.newRequest(uri).timeout(LIMIT.toMillis(), TimeUnit.MILLISECONDS).send();
    }

    /** A running command: its standard error line by line, and its end. */
    private record Command(Process process, List<String> err, CompletableFuture<URI> authorizationUrl) {
        String out() throws IOException {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        int exit() throws InterruptedException {
            if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the command did not end within " + LIMIT + "; stderr: " + err);
            }
            return process.exitValue();
        }

        URI awaitAuthorizationUrl() throws Exception {
            try {
                return authorizationUrl.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                throw new AssertionError("no authorization address within " + LIMIT + "; stderr: " + err, e);
            }
        }
    }

    private static Command weft(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.weft.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        builder.environment().remove("WEFT_CLIENT_SECRET");
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    err.add(line);
                    if (line.startsWith("  http")) {
                        url.complete(URI.create(line.strip()));
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new AssertionError("the command's stderr ended without an address: " + err));
        });
        return new Command(process, err, url);
    }

    /** The person approves: the browser opens the address and follows the redirect back to the command. */
    private String approve(URI authorizationUrl) throws Exception {
        ContentResponse authorize = get(authorizationUrl);
        assertThat(authorize.getStatus()).as("the authorization server's answer").isEqualTo(302);
        URI redirect = URI.create(authorize.getHeaders().get("Location"));
        ContentResponse page = get(redirect);
        assertThat(page.getStatus()).as("the command's page: %s", page.getContentAsString()).isEqualTo(200);
        return redirect.toString();
    }

    private static Map<String, String> query(URI uri) {
        return FakeOAuth.decode(uri.getRawQuery());
    }

    @Test
    void pingAtAUrlThatAsksForAuthorizationShowsTheAddressAndGoesOnOnceThePersonApproves() throws Exception {
        Command weft = weft(Map.of(), "ping", "--url", fake.endpoint().toString());

        URI url = weft.awaitAuthorizationUrl();
        String redirect = approve(url);

        assertThat(weft.exit()).as("stderr: %s", weft.err()).isZero();
        assertThat(weft.out()).contains("pong");
        assertThat(String.join("\n", weft.err())).contains(fake.endpoint() + " asks for authorization")
                .contains("waiting for the browser to come back to http://127.0.0.1:");
        assertThat(redirect).startsWith(query(url).get("redirect_uri") + "?");
        assertThat(query(url)).containsEntry("code_challenge_method", "S256").containsKey("state")
                .containsEntry("resource", fake.endpoint().toString());
        assertThat(fake.received("auth", "/register")).hasSize(1);
        assertThat(fake.received("auth", "/token")).singleElement()
                .satisfies(token -> assertThat(token.form()).containsEntry("grant_type", "authorization_code"));
    }

    @Test
    void aClientIdWithItsSecretFromTheEnvironmentIsUsedAsRegisteredWithScopesAndAFixedPort() throws Exception {
        ObjectNode metadata = fake.metadata.get("/.well-known/oauth-authorization-server");
        metadata.putArray("token_endpoint_auth_methods_supported").add("client_secret_basic");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Command weft = weft(Map.of("WEFT_CLIENT_SECRET", "s3cret"), "ping", "--url", fake.endpoint().toString(),
                "--client-id", "my-client", "--scope", "files:read  files:write", "--callback-port",
                Integer.toString(port));

        URI url = weft.awaitAuthorizationUrl();
        approve(url);

        assertThat(weft.exit()).as("stderr: %s", weft.err()).isZero();
        assertThat(query(url)).containsEntry("client_id", "my-client")
                .containsEntry("redirect_uri", "http://127.0.0.1:" + port + "/callback");
        assertThat(query(url).get("scope").split(" ")).contains("files:read", "files:write");
        assertThat(fake.received("auth", "/register")).isEmpty();
        assertThat(fake.received("auth", "/token")).singleElement().satisfies(token -> assertThat(
                token.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "my-client:s3cret".getBytes(StandardCharsets.UTF_8))));
        assertThat(String.join("\n", weft.err())).doesNotContain("s3cret");
    }

    @Test
    void aPersonWhoDeniesAccessEndsTheCommandWithStatusThreeAndTheAuthorizationServersWords() throws Exception {
        Command weft = weft(Map.of(), "ping", "--url", fake.endpoint().toString());

        URI url = weft.awaitAuthorizationUrl();
        Map<String, String> request = query(url);
        URI denied = URI.create(request.get("redirect_uri") + "?error=access_denied&error_description="
                + java.net.URLEncoder.encode("the person said no", StandardCharsets.UTF_8) + "&state="
                + java.net.URLEncoder.encode(request.get("state"), StandardCharsets.UTF_8));
        get(denied);

        assertThat(weft.exit()).as("stderr: %s", weft.err()).isEqualTo(3);
        assertThat(String.join("\n", weft.err())).contains("weft ping: authorization for initialize on")
                .contains("access_denied").contains("the person said no");
        assertThat(fake.received("auth", "/token")).isEmpty();
    }

    @Test
    void aServerThatAsksForNoAuthorizationCostsNoListenerAndNoMessage() throws Exception {
        fake.open.add("initialize");
        fake.open.add("notifications/initialized");
        fake.open.add("ping");

        Command weft = weft(Map.of(), "ping", "--url", fake.endpoint().toString());

        assertThat(weft.exit()).as("stderr: %s", weft.err()).isZero();
        assertThat(weft.err()).noneMatch(line -> line.contains("authorization"));
        assertThat(fake.received).noneMatch(r -> r.server().equals("auth"));
    }
}
