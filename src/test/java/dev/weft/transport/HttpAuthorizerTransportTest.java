package dev.weft.transport;

import static dev.weft.transport.FakeMcpHttpServer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.ExchangeFailedException;
import dev.weft.jsonrpc.TransportClosedException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What {@link StreamableHttpTransport} does with an {@link HttpAuthorizer}: its headers on every request, the same
 * message sent again after a 401 or 403 when it says so, at most {@link HttpAuthorizer#MAX_SENDS} times, the
 * challenges in the final refusal, its own failure as the call's cause, and a close that interrupts it.
 */
@Tag("concurrency")
class HttpAuthorizerTransportTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final String CHALLENGE = "Bearer error=\"invalid_token\", resource_metadata=\"http://x/.well-known\"";

    private FakeMcpHttpServer server;
    private Connection connection;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeMcpHttpServer();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (connection != null) {
            connection.close();
        }
        server.close();
    }

    /** An authorizer whose token is {@code token}; {@code refused} records each refusal and answers {@code answer}. */
    private static class Recording implements HttpAuthorizer {
        final List<Refusal> refusals = new CopyOnWriteArrayList<>();
        final AtomicReference<String> token = new AtomicReference<>();
        volatile boolean answer = true;

        @Override
        public Map<String, String> headers(URI uri, String httpMethod) {
            String current = token.get();
            return current == null ? Map.of() : Map.of("Authorization", "Bearer " + current);
        }

        @Override
        public boolean refused(Refusal refusal) throws IOException, InterruptedException {
            refusals.add(refusal);
            token.set("t" + refusals.size());
            return answer;
        }
    }

    private Connection connect(HttpAuthorizer authorizer) throws IOException {
        connection = Connection.open(StreamableHttpTransport.open(HttpSpec.of(server.endpoint())
                .withAuthorizer(authorizer)), ConnectionOptions.DEFAULT.withDefaultTimeout(LONG));
        return connection;
    }

    /** Refuses every POST of {@code method} that does not carry {@code Bearer <accepted>}. */
    private void guard(String method, String accepted) {
        server.on(method, exchange -> {
            if (("Bearer " + accepted).equals(exchange.received().header("Authorization"))) {
                if (exchange.id().isMissingNode()) {
                    exchange.status(202, "");
                } else {
                    exchange.result(obj("ok", method));
                }
            } else {
                exchange.header("WWW-Authenticate", CHALLENGE);
                exchange.status(401, "{\"error\":\"invalid_token\"}");
            }
        });
    }

    @Test
    void aRefusedRequestIsSentAgainWithTheNewHeaders() throws Exception {
        guard("tools/list", "t1");
        Recording authorizer = new Recording();

        assertThat(connect(authorizer).call("tools/list", obj("cursor", "c"))).isEqualTo(obj("ok", "tools/list"));

        var posts = server.posts("tools/list");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).header("Authorization")).isNull();
        assertThat(posts.get(1).header("Authorization")).isEqualTo("Bearer t1");
        assertThat(posts.get(1).json()).isEqualTo(posts.get(0).json());
        assertThat(authorizer.refusals).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.httpMethod()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo(server.endpoint());
            assertThat(r.challenges()).containsExactly(CHALLENGE);
            assertThat(r.authorization()).isNull();
            assertThat(r.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aRefusedNotificationIsSentAgainToo() throws Exception {
        guard("notifications/initialized", "t1");
        Recording authorizer = new Recording();

        connect(authorizer).notify("notifications/initialized", null);

        assertThat(server.posts("notifications/initialized")).extracting(r -> r.header("Authorization"))
                .containsExactly(null, "Bearer t1");
    }

    @Test
    void aRefusedGetStreamIsOpenedAgain() throws Exception {
        server.onListen(exchange -> {
            if ("Bearer t1".equals(exchange.received().header("Authorization"))) {
                exchange.status(405, "");
            } else {
                exchange.header("WWW-Authenticate", CHALLENGE);
                exchange.status(401, "");
            }
        });
        Recording authorizer = new Recording();
        authorizer.token.set("t0");
        Connection open = connect(authorizer);
        open.call("initialize", obj());
        open.notify("notifications/initialized", null);

        dev.weft.testing.Await.until(() -> server.requests("GET").size() == 2, LONG, "the GET sent again");

        assertThat(server.requests("GET")).extracting(r -> r.header("Authorization"))
                .containsExactly("Bearer t0", "Bearer t1");
        assertThat(authorizer.refusals).singleElement().satisfies(r -> {
            assertThat(r.httpMethod()).isEqualTo("GET");
            assertThat(r.authorization()).isEqualTo("Bearer t0");
        });
    }

    @Test
    void whenTheAuthorizerGivesUpTheCallFailsWithTheChallenges() throws Exception {
        guard("tools/list", "never");
        Recording authorizer = new Recording();
        authorizer.answer = false;

        Throwable failed = catchThrowable(() -> connect(authorizer).call("tools/list", null));

        assertThat(failed).isInstanceOfSatisfying(ExchangeFailedException.class,
                e -> assertThat(e.requestDelivered()).isFalse());
        assertThat(failed.getCause()).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.wwwAuthenticate()).containsExactly(CHALLENGE);
        });
        assertThat(server.posts("tools/list")).hasSize(1);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aMessageIsSentAtMostMaxSendsTimes() throws Exception {
        guard("tools/list", "never");
        Recording authorizer = new Recording();

        Throwable failed = catchThrowable(() -> connect(authorizer).call("tools/list", null));

        assertThat(failed.getCause()).isInstanceOf(HttpStatusException.class);
        assertThat(server.posts("tools/list")).hasSize(HttpAuthorizer.MAX_SENDS);
        assertThat(authorizer.refusals).extracting(HttpAuthorizer.Refusal::attempt)
                .containsExactly(1, 2, 3);
        assertThat(authorizer.refusals).extracting(HttpAuthorizer.Refusal::authorization)
                .containsExactly(null, "Bearer t1", "Bearer t2");
    }

    @Test
    void aFailingAuthorizerIsTheCause() throws Exception {
        guard("tools/list", "never");
        IOException denied = new IOException("the person said no");
        Recording authorizer = new Recording() {
            @Override
            public boolean refused(Refusal refusal) throws IOException {
                throw denied;
            }
        };

        Throwable failed = catchThrowable(() -> connect(authorizer).call("tools/list", null));

        assertThat(failed).isInstanceOf(ExchangeFailedException.class).hasCause(denied);
    }

    @Test
    void closingTheTransportInterruptsAnAuthorizerThatWaits() throws Exception {
        guard("tools/list", "never");
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Recording authorizer = new Recording() {
            @Override
            public boolean refused(Refusal refusal) throws InterruptedException {
                waiting.countDown();
                try {
                    new CountDownLatch(1).await(LONG.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
                return false;
            }
        };
        Connection open = connect(authorizer);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> failed.set(catchThrowable(() -> open.call("tools/list", null))));
        assertThat(waiting.await(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        open.close();
        caller.join();

        assertThat(failed.get()).isInstanceOf(TransportClosedException.class);
        assertThat(interrupted).hasValue(1);
    }
}
