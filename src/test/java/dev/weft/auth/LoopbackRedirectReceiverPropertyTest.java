package dev.weft.auth;

import static dev.weft.auth.Browser.PATIENCE;
import static dev.weft.auth.Browser.authorizationUrl;
import static dev.weft.auth.Browser.nextOpened;
import static dev.weft.auth.Browser.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.weft.testing.Props;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Properties of the receiver's routing and of its query decoding. Routing: whatever mix of waits with and without a
 * state, and whatever order the person approves them in, with forged redirects among them, every wait ends with
 * exactly its own redirect, those without state in the order they began, and every forged one is refused.
 */
class LoopbackRedirectReceiverPropertyTest {
    private static final AtomicInteger EXAMPLES = new AtomicInteger();

    /** A redirect to send: the waiter it is for ({@code -1} for a forgery), and its query. */
    private record Redirect(int waiter, String[] query) {}

    @Test
    @Tag("concurrency")
    void everyWaitEndsWithItsOwnRedirectAndForgeriesAreRefused() throws Exception {
        BlockingQueue<URI> opened = new LinkedBlockingQueue<>();
        try (LoopbackRedirectReceiver receiver = LoopbackRedirectReceiver.open(opened::add)) {
            Props.qt().withExamples(30).withShrinkCycles(5)
                    .forAll(lists().of(booleans().all()).ofSizeBetween(1, 5), integers().between(0, 3), longs().all())
                    .checkAssert((withState, forgeries, order) -> {
                        try {
                            check(receiver, opened, withState, forgeries, order);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    });
        }
    }

    private static void check(LoopbackRedirectReceiver receiver, BlockingQueue<URI> opened, List<Boolean> withState,
                              int forgeries, long order) throws Exception {
        String example = "e" + EXAMPLES.incrementAndGet();
        List<Thread> threads = new ArrayList<>();
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Redirect> redirects = new ArrayList<>();
        for (int i = 0; i < withState.size(); i++) {
            String state = withState.get(i) ? example + "-state-" + i : null;
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            URI url = authorizationUrl(state);
            threads.add(Thread.ofVirtual().name("weft-test-flow-" + example + "-" + i).start(() -> {
                try {
                    outcome.set(receiver.await(url, PATIENCE.multipliedBy(2)));
                } catch (Exception e) {
                    outcome.set(e);
                }
            }));
            assertThat(nextOpened(opened)).isEqualTo(url); // registered: the waits begin in this order
            redirects.add(new Redirect(i, state == null
                    ? new String[] {"code", example + "-code-" + i}
                    : new String[] {"code", example + "-code-" + i, "state", state}));
        }
        for (int f = 0; f < forgeries; f++) {
            redirects.add(new Redirect(-1, new String[] {"code", "forged", "state", example + "-forged-" + f}));
        }
        Collections.shuffle(redirects, new Random(order));

        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        List<Integer> statelessSent = new ArrayList<>(); // the waiters whose stateless redirects went, in that order
        int forged = 0;
        for (Redirect redirect : redirects) {
            int status = Browser.get(redirect(receiver, redirect.query())).status();
            if (redirect.waiter() < 0) {
                statuses.put(-1 - forged++, status);
            } else {
                statuses.put(redirect.waiter(), status);
                if (!withState.get(redirect.waiter())) {
                    statelessSent.add(redirect.waiter());
                }
            }
        }
        for (Thread thread : threads) {
            assertThat(thread.join(PATIENCE)).as("%s ended", thread.getName()).isTrue();
        }

        statuses.forEach((who, status) -> assertThat(status).as("status for %s", who).isEqualTo(who < 0 ? 400 : 200));
        // Waits without state, in the order they began, got the stateless redirects in the order they were sent.
        List<Integer> statelessWaiters = new ArrayList<>();
        for (int i = 0; i < withState.size(); i++) {
            if (!withState.get(i)) {
                statelessWaiters.add(i);
            }
        }
        for (int i = 0; i < withState.size(); i++) {
            int codeFrom = withState.get(i) ? i : statelessSent.get(statelessWaiters.indexOf(i));
            Map<String, String> expected = withState.get(i)
                    ? Map.of("code", example + "-code-" + i, "state", example + "-state-" + i)
                    : Map.of("code", example + "-code-" + codeFrom);
            assertThat(outcomes.get(i).get()).as("wait %d", i).isEqualTo(expected);
        }
        assertThat(receiver.waiting()).isZero();
    }

    @Test
    void aQueryDecodesToTheParametersItWasEncodedFrom() {
        Props.qt().withExamples(300)
                .forAll(lists().of(lists().of(integers().between(0, 0x10FFFF - 0x800)).ofSizeBetween(0, 6))
                        .ofSizeBetween(0, 8))
                .checkAssert(texts -> {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < texts.size(); i += 2) {
                        parameters.putIfAbsent(text(texts.get(i)), text(texts.get(i + 1)));
                    }
                    String[] namesAndValues = parameters.entrySet().stream()
                            .flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);

                    assertThat(LoopbackRedirectReceiver.parseQuery(Browser.query(namesAndValues)))
                            .isEqualTo(parameters);
                });
    }

    /** The code points, surrogates skipped (a lone surrogate is no text to encode). */
    private static String text(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(cp -> text.appendCodePoint(cp < 0xD800 ? cp : cp + 0x800));
        return text.toString();
    }
}
