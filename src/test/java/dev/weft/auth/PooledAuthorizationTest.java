package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mcp.McpSession;
import dev.weft.pool.SessionFactory;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import dev.weft.testing.HeadlessBrowser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A {@link SessionPool} whose factory authorizes ({@link SessionFactory#authorizing}): callers of one server that asks
 * for authorization share one session and one authorization, and the authorizer's tokens serve the next session for
 * the same server without asking again.
 */
@Tag("concurrency")
class PooledAuthorizationTest {

    @Test
    void coldCallersOfAServerThatAsksForAuthorizationShareOneSessionAndOneAuthorization() throws Exception {
        try (FakeOAuth fake = new FakeOAuth()) {
            OAuthAuthorizer authorizer = OAuthAuthorizer.create(OAuthOptions.defaults()
                    .withRedirectReceiver(new HeadlessBrowser(URI.create("http://127.0.0.1:3000/callback"))));
            TransportKey key = TransportKey.http(fake.endpoint().toString());
            int callers = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<McpSession>> sessions = new ArrayList<>();
            try (SessionPool pool = SessionPool.open(SessionPoolOptions.defaults()
                    .withFactory(SessionFactory.authorizing(authorizer)));
                 var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < callers; i++) {
                    sessions.add(threads.submit(() -> {
                        start.await();
                        McpSession session = pool.session(key);
                        session.ping();
                        return session;
                    }));
                }
                start.countDown();
                McpSession first = sessions.getFirst().get(30, TimeUnit.SECONDS);
                for (Future<McpSession> session : sessions) {
                    assertThat(session.get(30, TimeUnit.SECONDS)).isSameAs(first);
                }
                assertThat(fake.received("auth", "/authorize")).hasSize(1);
                assertThat(fake.received("auth", "/token")).hasSize(1);

                first.close(); // the pool makes a new session for the next caller, with the token it has
                McpSession second = pool.session(key);
                second.ping();
                assertThat(second).isNotSameAs(first);
                assertThat(fake.received("auth", "/authorize")).hasSize(1);
            }
            assertThat(fake.received("resource", "/mcp")).filteredOn(r -> r.header("Authorization") == null)
                    .as("only the first request of all went without a token: the one the 401 answered").hasSize(1);
        }
    }
}
