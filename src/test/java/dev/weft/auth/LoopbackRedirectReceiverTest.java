package dev.weft.auth;

import static dev.weft.auth.Browser.PATIENCE;
import static dev.weft.auth.Browser.authorizationUrl;
import static dev.weft.auth.Browser.nextOpened;
import static dev.weft.auth.Browser.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The loopback redirect receiver as a browser and an authorization server see it: what a redirect ends, what it is
 * refused, what the page says, and how waits end otherwise (timeout, interrupt, close). Every test involves the
 * receiver's request threads beside the waiting ones, hence the tag; the leak check after each proves that closing
 * the receiver leaves none of its threads.
 */
@Tag("concurrency")
class LoopbackRedirectReceiverTest {
    /** The authorization URLs the receiver's opener was given, in order. */
    private final BlockingQueue<URI> opened = new LinkedBlockingQueue<>();
    private final List<Flow> flows = new ArrayList<>();
    private LoopbackRedirectReceiver receiver;

    @AfterEach
    void close() throws InterruptedException {
        if (receiver != null) {
            receiver.close();
        }
        for (Flow flow : flows) {
            flow.join();
        }
    }

    private LoopbackRedirectReceiver open() throws IOException {
        return open(opened::add);
    }

    private LoopbackRedirectReceiver open(Consumer<URI> opener) throws IOException {
        receiver = LoopbackRedirectReceiver.open(opener);
        return receiver;
    }

    /** One {@code await} on a virtual thread of its own, which records what it returned or threw. */
    private static final class Flow {
        final Thread thread;
        final AtomicReference<Object> outcome = new AtomicReference<>();

        Flow(String name, RedirectReceiver receiver, URI authorizationUrl, Duration timeout) {
            this.thread = Thread.ofVirtual().name("weft-test-flow-" + name).start(() -> {
                try {
                    outcome.set(receiver.await(authorizationUrl, timeout));
                } catch (Exception e) {
                    outcome.set(e);
                }
            });
        }

        /** Joins the flow and returns what its {@code await} returned (a map) or threw. */
        Object join() throws InterruptedException {
            if (!thread.join(PATIENCE)) {
                throw new AssertionError(thread.getName() + " still waits after " + PATIENCE);
            }
            return outcome.get();
        }
    }

    /** Starts a flow and returns once its wait is registered (its opener has run). */
    private Flow start(String name, String state, Duration timeout) throws InterruptedException {
        Flow flow = new Flow(name, receiver, authorizationUrl(state), timeout);
        flows.add(flow);
        assertThat(nextOpened(opened)).isEqualTo(authorizationUrl(state));
        return flow;
    }

    private Flow start(String name, String state) throws InterruptedException {
        return start(name, state, PATIENCE.multipliedBy(2));
    }

    @Test
    void aRedirectEndsTheWaitWithItsParametersDecoded() throws Exception {
        String code = "a b+c/d%e&f=g\u00e9\u6f22";
        String state = "st ate+/\u00e9";
        AtomicReference<Object> page = new AtomicReference<>();
        open(url -> { // a headless client: it fetches the redirect itself, on the waiting thread
            try {
                page.set(Browser.get(redirect(receiver, "code", code, "state", state)));
            } catch (Exception e) {
                page.set(e);
            }
        });

        Map<String, String> redirect = receiver.await(authorizationUrl(state), PATIENCE);

        assertThat(redirect).containsExactlyInAnyOrderEntriesOf(Map.of("code", code, "state", state));
        assertThat(page.get()).isInstanceOfSatisfying(Browser.Answer.class, answer -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).startsWith("text/html").containsIgnoringCase("charset=utf-8");
            assertThat(answer.cacheControl()).isEqualTo("no-store");
            assertThat(answer.referrerPolicy()).isEqualTo("no-referrer");
            assertThat(answer.body()).contains("Authorization received; you may close this window.")
                    .doesNotContain(code);
        });
        assertThat(receiver.waiting()).isZero();
    }

    @Test
    void anErrorRedirectEndsTheWaitAndItsPageShowsTheErrorEscaped() throws Exception {
        open();
        Flow flow = start("denied", "s1");

        Browser.Answer page = Browser.get(redirect(receiver, "error", "access_denied",
                "error_description", "<script>alert(\"x\" & 'y')</script>", "state", "s1"));

        assertThat(flow.join()).isEqualTo(Map.of("error", "access_denied",
                "error_description", "<script>alert(\"x\" & 'y')</script>", "state", "s1"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Authorization failed", "access_denied",
                        "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
                .doesNotContain("<script>");
    }

    @Test
    void concurrentWaitsEachGetTheRedirectWithTheirOwnState() throws Exception {
        open();
        int count = 6;
        List<Flow> waiting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waiting.add(start("state-" + i, "state-" + i));
        }
        assertThat(receiver.waiting()).isEqualTo(count);

        List<Integer> statuses = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) { // the person approves them in another order than they began
            statuses.add(Browser.get(redirect(receiver, "code", "code-" + i, "state", "state-" + i)).status());
        }

        assertThat(statuses).containsOnly(200);
        for (int i = 0; i < count; i++) {
            assertThat(waiting.get(i).join()).isEqualTo(Map.of("code", "code-" + i, "state", "state-" + i));
        }
        assertThat(receiver.waiting()).isZero();
    }

    @Test
    void aRedirectWhoseStateMatchesNoWaitIsRefusedAndEndsNone() throws Exception {
        open();
        Flow flow = start("victim", "the-state");

        Browser.Answer forged = Browser.get(redirect(receiver, "code", "attacker", "state", "another-state"));
        Browser.Answer noState = Browser.get(redirect(receiver, "code", "attacker"));
        int waitingAfterForgeries = receiver.waiting();
        Browser.Answer real = Browser.get(redirect(receiver, "code", "real", "state", "the-state"));
        Browser.Answer replayed = Browser.get(redirect(receiver, "code", "real", "state", "the-state"));

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body()).contains("No authorization is waiting for this redirect").doesNotContain("attacker");
        assertThat(noState.status()).isEqualTo(400);
        assertThat(waitingAfterForgeries).isEqualTo(1);
        assertThat(real.status()).isEqualTo(200);
        assertThat(flow.join()).isEqualTo(Map.of("code", "real", "state", "the-state"));
        assertThat(replayed.status()).as("a spent state").isEqualTo(400);
    }

    @Test
    void waitsWithoutStateTakeTheRedirectsWithoutStateInTheOrderTheyBegan() throws Exception {
        open();
        Flow first = start("first", null);
        Flow second = start("second", null);

        int withState = Browser.get(redirect(receiver, "code", "x", "state", "unexpected")).status();
        int one = Browser.get(redirect(receiver, "code", "one")).status();
        int two = Browser.get(redirect(receiver, "code", "two")).status();
        int three = Browser.get(redirect(receiver, "code", "three")).status();

        assertThat(withState).isEqualTo(400);
        assertThat(List.of(one, two, three)).containsExactly(200, 200, 400);
        assertThat(first.join()).isEqualTo(Map.of("code", "one"));
        assertThat(second.join()).isEqualTo(Map.of("code", "two"));
    }

    @Test
    void aWaitTimesOutWithAnIoExceptionNamingTheRedirectUriAndTheTimeoutAndIsWithdrawn() throws Exception {
        open();
        Duration timeout = Duration.ofMillis(50);

        assertThatThrownBy(() -> receiver.await(authorizationUrl("late"), timeout))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(receiver.redirectUri().toString())
                .hasMessageContaining(timeout.toString());

        assertThat(receiver.waiting()).isZero();
        assertThat(Browser.get(redirect(receiver, "code", "c", "state", "late")).status()).isEqualTo(400);
    }

    @Test
    void anInterruptEndsTheWaitWithInterruptedExceptionAndWithdrawsIt() throws Exception {
        open();
        Flow flow = start("interrupted", "s1");

        flow.thread.interrupt();

        assertThat(flow.join()).isInstanceOf(InterruptedException.class);
        assertThat(receiver.waiting()).isZero();
        assertThat(Browser.get(redirect(receiver, "code", "c", "state", "s1")).status()).isEqualTo(400);
    }

    @Test
    void anInterruptedThreadDoesNotBeginAWait() throws Exception {
        open();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> receiver.await(authorizationUrl("s1"), PATIENCE))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(opened).isEmpty();
        assertThat(receiver.waiting()).isZero();
    }

    @Test
    void closeFailsEveryWaitAtOnceAndLaterOnesAndIsIdempotent() throws Exception {
        open();
        Flow withState = start("with-state", "s1");
        Flow withoutState = start("without-state", null);
        int port = receiver.redirectUri().getPort();

        receiver.close();
        receiver.close();

        assertThat(List.of(withState.join(), withoutState.join())).allSatisfy(outcome ->
                assertThat(outcome).isInstanceOfSatisfying(IOException.class, e -> assertThat(e.getMessage())
                        .contains(receiver.redirectUri().toString(), "closed")));
        assertThatThrownBy(() -> receiver.await(authorizationUrl("s2"), PATIENCE))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThat(opened).isEmpty();
        assertThat(receiver.redirectUri().getPort()).as("the same URI after close").isEqualTo(port);
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), port)).as("still listening").isFalse();
    }

    @Test
    void itListensOnTheLoopbackLiteralOnly() throws Exception {
        open();
        URI uri = receiver.redirectUri();
        assertThat(uri.getScheme()).isEqualTo("http");
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(uri.getPort()).isPositive();
        assertThat(uri.getPath()).isEqualTo("/callback");
        assertThat(accepts(InetAddress.getByName("127.0.0.1"), uri.getPort())).isTrue();

        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (nif.isUp()) {
                nif.inetAddresses().filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).forEach(others::add);
            }
        }
        if (System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            // Linux routes all of 127.0.0.0/8 to the loopback interface: a listener on every address takes these.
            others.add(InetAddress.getByName("127.0.0.2"));
            others.add(InetAddress.getByName("::1"));
        }
        assumeTrue(!others.isEmpty(), "no address but 127.0.0.1 to try");
        for (InetAddress other : others) {
            assertThat(accepts(other, uri.getPort())).as("accepts on %s", other).isFalse();
        }
    }

    @Test
    void otherPathsGet404AndOtherMethods405AndNeitherEndsAWait() throws Exception {
        open();
        start("waiting", "s1");
        URI favicon = URI.create("http://127.0.0.1:" + receiver.redirectUri().getPort() + "/favicon.ico");

        Browser.Answer notFound = Browser.get(favicon);
        Browser.Answer posted = Browser.send("POST", redirect(receiver, "code", "c", "state", "s1"));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(posted.status()).isEqualTo(405);
        assertThat(posted.allow()).isEqualTo("GET");
        assertThat(receiver.waiting()).isEqualTo(1);
    }

    @Test
    void aRedirectWithAMalformedQueryIsRefusedAndEndsNoWait() throws Exception {
        open();
        start("waiting", "s1");
        URI twice = URI.create(receiver.redirectUri() + "?code=a&state=s1&state=s1");

        int twiceStatus = Browser.get(twice).status();
        int badEscapeStatus = Browser.rawGetStatus(receiver.redirectUri(), "?code=%zz&state=s1"); // no URI takes it

        assertThat(twiceStatus).isEqualTo(400);
        assertThat(badEscapeStatus).isEqualTo(400);
        assertThat(receiver.waiting()).isEqualTo(1);
    }

    @Test
    void anOpenerThatThrowsFailsTheWaitWithAnIoExceptionAndWithdrawsIt() throws Exception {
        open(url -> {
            throw new IllegalStateException("no browser");
        });

        assertThatThrownBy(() -> receiver.await(authorizationUrl("s1"), PATIENCE))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("https://as.example/authorize")
                .hasMessageContaining("no browser")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(receiver.waiting()).isZero();
    }

    @Test
    void misuseFailsFast() throws Exception {
        open();
        start("waiting", "s1");

        assertThatThrownBy(() -> receiver.await(authorizationUrl("s1"), PATIENCE))
                .as("a state already waited for").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> receiver.await(authorizationUrl("s2"), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> receiver.await(URI.create("https://as.example/authorize?state=a&state=b"), PATIENCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopbackRedirectReceiver.open(-1, "/callback", url -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopbackRedirectReceiver.open(0, "callback", url -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopbackRedirectReceiver.open(0, "/a/../b", url -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopbackRedirectReceiver.open(0, "/cb?x=1", url -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(receiver.waiting()).isEqualTo(1);
    }

    @Test
    void aFixedPortAndPathMakeTheRedirectUriAndATakenPortFailsToOpen() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        receiver = LoopbackRedirectReceiver.open(port, "/oauth/weft-cli", opened::add);

        assertThat(receiver.redirectUri()).isEqualTo(URI.create("http://127.0.0.1:" + port + "/oauth/weft-cli"));
        assertThatThrownBy(() -> LoopbackRedirectReceiver.open(port, "/oauth/weft-cli", opened::add))
                .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + port);
        Flow flow = start("fixed", "s1");
        assertThat(Browser.get(redirect(receiver, "code", "c", "state", "s1")).status()).isEqualTo(200);
        assertThat(flow.join()).isEqualTo(Map.of("code", "c", "state", "s1"));
    }

    @Test
    void aRedirectIsLoggedAtDebugWithItsStateAndItsCodeNever() throws Exception {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(LoopbackRedirectReceiver.class.getName());
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level level = logger.getLevel();
        logger.setLevel(java.util.logging.Level.ALL);
        logger.addHandler(handler);
        try {
            open();
            Flow flow = start("logged", "s1");
            Browser.get(redirect(receiver, "code", "secret-code-1", "state", "s1"));
            Browser.get(redirect(receiver, "code", "secret-code-2", "state", "s2"));
            flow.join();
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }

        assertThat(records).noneMatch(r -> String.valueOf(r.getMessage()).contains("secret-code"));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.FINE);
            assertThat(r.getMessage()).contains(receiver.redirectUri().toString(), "arrived for state s1");
        });
        assertThat(records).anySatisfy(r -> assertThat(r.getMessage()).contains("for state s2", "refused"));
    }

    @Test
    void printingPrintsTheUrlOnALineOfItsOwn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);

        LoopbackRedirectReceiver.printing(out).accept(authorizationUrl("s1"));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("Open this address in a browser to authorize access:", authorizationUrl("s1").toString());
    }

    /** Whether something accepts a TCP connection at {@code address}:{@code port}. */
    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) Duration.ofSeconds(2).toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
