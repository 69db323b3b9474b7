package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.testing.HeadlessBrowser;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.StreamableHttpTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No token, refresh token, code, verifier or client secret appears in what Weft logs, at any level, or in the
 * exceptions it throws: every log record of {@code dev.weft} (System.Logger goes to java.util.logging) is captured at
 * {@code ALL} while a server is authorized (dynamic registration with a secret), refreshed ahead of expiry and on a
 * 401, and then refused.
 */
class SecretsNotLoggedTest {
    private final Logger weft = Logger.getLogger("dev.weft"); // held: java.util.logging keeps loggers weakly
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " "
                    + record.getMessage());
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(' ').append(parameter);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(' ').append(t);
            }
            logged.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;
    private FakeOAuth fake;

    @BeforeEach
    void start() throws Exception {
        level = weft.getLevel();
        weft.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        weft.addHandler(capture);
        fake = new FakeOAuth();
    }

    @AfterEach
    void stop() throws Exception {
        weft.removeHandler(capture);
        weft.setLevel(level);
        fake.close();
    }

    @Test
    void noSecretIsLoggedOrThrown() throws Exception {
        fake.issueRefreshTokens = true;
        fake.metadata.get("/.well-known/oauth-authorization-server").putArray("token_endpoint_auth_methods_supported")
                .add("client_secret_post");
        OAuthAuthorizerTest.MutableClock clock = new OAuthAuthorizerTest.MutableClock(Instant.now());
        OAuthAuthorizer authorizer = new OAuthAuthorizer(OAuthOptions.defaults()
                .withRedirectReceiver(new HeadlessBrowser(OAuthAuthorizerTest.REDIRECT)), clock);
        List<Throwable> thrown = new ArrayList<>();
        try (Connection connection = Connection.open(StreamableHttpTransport.open(HttpSpec.of(fake.endpoint())
                .withAuthorizer(authorizer)), ConnectionOptions.DEFAULT.withDefaultTimeout(Duration.ofSeconds(30)))) {
            connection.call("tools/list", null);                       // registers, authorizes
            clock.now = clock.now.plus(Duration.ofHours(1));
            connection.call("tools/list", null);                       // refreshes ahead of the expiry
            fake.revokeAccessTokens();
            connection.call("tools/list", null);                       // refreshes after a 401
            fake.revokeAccessTokens();
            fake.refreshError = "invalid_grant";
            fake.tokenError = "invalid_grant";
            thrown.add(catchThrowable(() -> connection.call("tools/list", null))); // refused
        }

        Set<String> secrets = new java.util.HashSet<>(fake.secrets());
        fake.tokenRequests().forEach(r -> {
            secrets.add(r.form().getOrDefault("code_verifier", "no verifier"));
        });
        assertThat(fake.tokenRequests()).extracting(r -> r.form().get("grant_type")).contains("authorization_code",
                "refresh_token");
        assertThat(secrets).hasSizeGreaterThan(5);
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("authorized " + fake.endpoint()));
        assertThat(thrown).singleElement().isNotNull();
        List<String> exceptions = new ArrayList<>();
        for (Throwable t = thrown.getFirst(); t != null; t = t.getCause()) {
            exceptions.add(t.toString());
        }
        for (String secret : secrets) {
            assertThat(logged).as("logs").noneSatisfy(line -> assertThat(line).contains(secret));
            assertThat(exceptions).as("exceptions").noneSatisfy(line -> assertThat(line).contains(secret));
        }
    }
}
