package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.testing.Await;
import dev.weft.testing.HeadlessBrowser;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Requests refused together cause one authorization per server: the first caller authorizes, the others wait and
 * send their requests again with its token, or share its failure; different servers authorize in parallel. The
 * refusals are pinned together by a seam in the fake server (each 401 waits until all requests have arrived), and
 * the failing case waits, in the redirect receiver, until every caller waits for the same authorization.
 */
@Tag("concurrency")
class OAuthConcurrencyTest {
    private static final int CALLERS = 16;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

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

    private Connection connect(FakeOAuth server, OAuthAuthorizer authorizer) throws IOException {
        Connection connection = Connection.open(StreamableHttpTransport.open(HttpSpec.of(server.endpoint())
                .withAuthorizer(authorizer)), ConnectionOptions.DEFAULT.withDefaultTimeout(PATIENCE));
        connections.add(connection);
        return connection;
    }

    /** Makes every 401 of {@code server} wait until {@code count} requests have been refused. */
    private static void refuseTogether(FakeOAuth server, int count) {
        CountDownLatch refused = new CountDownLatch(count);
        server.before401 = method -> {
            refused.countDown();
            try {
                refused.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Runs {@code CALLERS} calls of tools/list at once on virtual threads; each outcome, in no particular order. */
    private static List<Object> callTogether(Connection connection) throws InterruptedException {
        Map<Integer, Object> outcomes = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int caller = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    outcomes.put(caller, connection.call("tools/list", null));
                } catch (RuntimeException e) {
                    outcomes.put(caller, e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new ArrayList<>(outcomes.values());
    }

    @Test
    void requestsRefusedTogetherCauseOneAuthorization() throws Exception {
        refuseTogether(fake, CALLERS);
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(OAuthOptions.defaults()
                .withRedirectReceiver(new HeadlessBrowser(OAuthAuthorizerTest.REDIRECT)));

        List<Object> outcomes = callTogether(connect(fake, authorizer));

        assertThat(outcomes).hasSize(CALLERS).allSatisfy(o -> assertThat(o).isInstanceOf(JsonNode.class));
        assertThat(fake.authorizations()).hasSize(1);
        assertThat(fake.tokenRequests()).hasSize(1);
        assertThat(fake.received("auth", "/register")).hasSize(1);
        assertThat(fake.received("resource", "/mcp")).hasSize(2 * CALLERS);
        assertThat(authorizer.waiting(fake.endpoint())).isZero();
    }

    @Test
    void theFailureOfTheAuthorizationReachesEveryCallerThatWaitedForIt() throws Exception {
        refuseTogether(fake, CALLERS);
        fake.tokenError = "access_denied";
        OAuthAuthorizer[] authorizer = new OAuthAuthorizer[1];
        HeadlessBrowser browser = new HeadlessBrowser(OAuthAuthorizerTest.REDIRECT);
        RedirectReceiver waitingForAll = new RedirectReceiver() {
            @Override
            public URI redirectUri() {
                return browser.redirectUri();
            }

            @Override
            public Map<String, String> await(URI url, Duration timeout) throws IOException, InterruptedException {
                Await.until(() -> authorizer[0].waiting(fake.endpoint()) == CALLERS, PATIENCE,
                        "every caller to wait for the authorization");
                return browser.await(url, timeout);
            }
        };
        authorizer[0] = OAuthAuthorizer.create(OAuthOptions.defaults().withRedirectReceiver(waitingForAll));

        List<Object> outcomes = callTogether(connect(fake, authorizer[0]));

        assertThat(outcomes).hasSize(CALLERS).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(
                RuntimeException.class, e -> assertThat(e.getCause()).isInstanceOfSatisfying(
                        AuthorizationException.class, a -> {
                            assertThat(a.step()).isEqualTo(AuthorizationException.Step.TOKEN);
                            assertThat(a.error()).isEqualTo("access_denied");
                        })));
        assertThat(fake.authorizations()).hasSize(1);
        assertThat(fake.tokenRequests()).hasSize(1);
    }

    @Test
    void differentServersAuthorizeInParallel() throws Exception {
        try (FakeOAuth other = new FakeOAuth()) {
            CountDownLatch bothAuthorizing = new CountDownLatch(2);
            HeadlessBrowser browser = new HeadlessBrowser(OAuthAuthorizerTest.REDIRECT);
            RedirectReceiver meetInTheMiddle = new RedirectReceiver() {
                @Override
                public URI redirectUri() {
                    return browser.redirectUri();
                }

                @Override
                public Map<String, String> await(URI url, Duration timeout) throws IOException, InterruptedException {
                    bothAuthorizing.countDown();
                    if (!bothAuthorizing.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IOException("the other server's authorization never started");
                    }
                    return browser.await(url, timeout);
                }
            };
            OAuthAuthorizer authorizer = OAuthAuthorizer.create(OAuthOptions.defaults()
                    .withRedirectReceiver(meetInTheMiddle));
            Connection first = connect(fake, authorizer);
            Connection second = connect(other, authorizer);
            Object[] outcomes = new Object[2];
            Thread a = Thread.ofVirtual().start(() -> outcomes[0] = call(first));
            Thread b = Thread.ofVirtual().start(() -> outcomes[1] = call(second));
            a.join();
            b.join();

            assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(JsonNode.class));
            assertThat(fake.authorizations()).hasSize(1);
            assertThat(other.authorizations()).hasSize(1);
        }
    }

    @Test
    void anAuthorizationAbandonedByItsCallersInterruptLetsTheNextCallerAuthorize() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger waits = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean firstInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        HeadlessBrowser browser = new HeadlessBrowser(OAuthAuthorizerTest.REDIRECT);
        RedirectReceiver firstHangs = new RedirectReceiver() {
            @Override
            public URI redirectUri() {
                return browser.redirectUri();
            }

            @Override
            public Map<String, String> await(URI url, Duration timeout) throws IOException, InterruptedException {
                if (waits.incrementAndGet() == 1) {
                    firstStarted.countDown();
                    try {
                        never.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        firstInterrupted.set(true);
                        throw e;
                    }
                    throw new IOException("the first authorization was not interrupted");
                }
                return browser.await(url, timeout);
            }
        };
        OAuthAuthorizer authorizer = OAuthAuthorizer.create(OAuthOptions.defaults().withRedirectReceiver(firstHangs));
        Connection first = connect(fake, authorizer);
        Connection second = connect(fake, authorizer);
        Object[] outcomes = new Object[2];
        Thread a = Thread.ofVirtual().start(() -> outcomes[0] = call(first));
        assertThat(firstStarted.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        Thread b = Thread.ofVirtual().start(() -> outcomes[1] = call(second));
        Await.until(() -> authorizer.waiting(fake.endpoint()) == 2, PATIENCE, "the second caller to wait");

        first.close(); // interrupts the first authorization, on the first transport's exchange thread
        a.join();
        b.join();

        assertThat(firstInterrupted).isTrue();
        assertThat(outcomes[0]).isInstanceOf(dev.weft.jsonrpc.TransportClosedException.class);
        assertThat(outcomes[1]).isInstanceOf(JsonNode.class);
        assertThat(waits).hasValue(2);
        assertThat(fake.tokenRequests()).hasSize(1);
    }

    private static Object call(Connection connection) {
        try {
            return connection.call("tools/list", null);
        } catch (RuntimeException e) {
            return e;
        }
    }
}
