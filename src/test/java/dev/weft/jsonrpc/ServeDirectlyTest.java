package dev.weft.jsonrpc;

import static dev.weft.jsonrpc.ScriptedPeer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.weft.transport.MemoryTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Requests served on a transport's own thread ({@link Transport#serveDirectly}), as the Streamable HTTP server serves
 * each POST on its exchange's thread: the handler runs there and answers, a cancel interrupts it and never that thread
 * afterwards, and the connection's end interrupts such handlers and waits for them as it does for its own.
 */
@Tag("concurrency")
class ServeDirectlyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    /**
     * One end of a memory pair whose "exchanges" hand a request to the connection on the caller's thread, the way
     * {@code HttpSessionTransport} does for a POST; everything else goes over the pair.
     */
    private static final class ExchangeTransport implements Transport {
        private final MemoryTransport wire;
        private volatile Predicate<Request> server;

        ExchangeTransport(MemoryTransport wire) {
            this.wire = wire;
        }

        /** What an exchange's thread does with a request it read: {@code true} once it was served here. */
        boolean exchange(Request request) {
            return server.test(request);
        }

        @Override
        public void serveDirectly(Predicate<Request> server) {
            this.server = server;
        }

        @Override
        public void send(Message message) throws IOException {
            wire.send(message);
        }

        @Override
        public Message receive() throws IOException, MalformedMessageException {
            return wire.receive();
        }

        @Override
        public void close() {
            wire.close();
        }

        @Override
        public String describe() {
            return "exchanges over " + wire.describe();
        }
    }

    private record Setup(ExchangeTransport transport, ScriptedPeer peer, Connection connection) {}

    private Setup open(ConnectionOptions options) {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = new ScriptedPeer(pair.right());
        toClose.add(peer);
        ExchangeTransport transport = new ExchangeTransport(pair.left());
        Connection connection = Connection.open(transport, options.withCancelProtocol(ScriptedPeer.CANCELLED));
        toClose.add(connection);
        return new Setup(transport, peer, connection);
    }

    private static Request request(long id, String method) {
        return new Request(RequestId.of(id), method, obj("n", id));
    }

    @Test
    void theHandlerRunsOnTheExchangesThreadAndItsAnswerGoesOut() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Setup s = open(ConnectionOptions.DEFAULT.withRequestHandler("who", r -> {
            ranOn.set(Thread.currentThread());
            return r.params();
        }));

        assertThat(s.transport().exchange(request(1, "who"))).isTrue();

        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        Response.Success answer = s.peer().next(Response.Success.class);
        assertThat(answer.id()).isEqualTo(RequestId.of(1));
        assertThat(answer.result()).isEqualTo(obj("n", 1));
    }

    @Test
    void aCancelInterruptsTheHandlerWhichOwesNoAnswerAndTheThreadGoesOnUninterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Setup s = open(ConnectionOptions.DEFAULT
                .withRequestHandler("wait", r -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        throw e;
                    }
                    return obj("waited", true);
                })
                .withRequestHandler("who", r -> r.params()));
        AtomicReference<Boolean> served = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread exchange = Thread.ofVirtual().name("exchange").start(() -> {
            served.set(s.transport().exchange(request(1, "wait")));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        });
        assertThat(started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        s.peer().send(ScriptedPeer.CANCELLED.cancel(RequestId.of(1), "wait", "test"));

        assertThat(exchange.join(PATIENCE)).isTrue();
        assertThat(served.get()).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(interruptedAfter.get()).isFalse();
        // The next answer the peer sees is the next request's: the cancelled one got none.
        assertThat(s.transport().exchange(request(2, "who"))).isTrue();
        assertThat(s.peer().next(Response.Success.class).id()).isEqualTo(RequestId.of(2));
    }

    /**
     * However a cancel races with the handler (before it starts, while it runs, as it returns), the exchange's thread
     * is never left interrupted, not even after the canceller is done; a request nobody cancelled is always answered.
     */
    @Test
    void noCancelInterruptOutlivesTheServing() {
        Setup s = open(ConnectionOptions.DEFAULT.withRequestHandler("spin", r -> {
            long until = System.nanoTime() + r.params().get("micros").asLong() * 1_000;
            while (System.nanoTime() - until < 0) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                Thread.onSpinWait();
            }
            return r.params();
        }));
        AtomicLong ids = new AtomicLong();
        qt().withExamples(300).withShrinkCycles(20)
                .forAll(integers().between(0, 300), integers().between(0, 300), booleans().all())
                .checkAssert((handlerMicros, cancelAfterMicros, cancel) -> {
                    try {
                        check(s, ids.incrementAndGet(), handlerMicros, cancelAfterMicros, cancel);
                    } catch (InterruptedException | IOException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static void check(Setup s, long id, int handlerMicros, int cancelAfterMicros, boolean cancel)
            throws InterruptedException, IOException {
        Request request = new Request(RequestId.of(id), "spin", obj("micros", handlerMicros));
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Boolean> interruptedAfterServing = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfterCancel = new AtomicReference<>();
        CountDownLatch cancelDone = new CountDownLatch(1);
        Thread exchange = Thread.ofVirtual().name("exchange-" + id).start(() -> {
            try {
                go.await();
                assertThat(s.transport().exchange(request)).isTrue();
                interruptedAfterServing.set(Thread.currentThread().isInterrupted());
                cancelDone.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                interruptedAfterCancel.set(Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                interruptedAfterCancel.set(true);
            }
        });
        go.countDown();
        if (cancel) {
            long at = System.nanoTime() + cancelAfterMicros * 1_000L;
            while (System.nanoTime() - at < 0) {
                Thread.onSpinWait();
            }
            s.peer().send(ScriptedPeer.CANCELLED.cancel(RequestId.of(id), "spin", "test"));
            // The cancel is routed once the connection has read it; the reader routes in order, so a ping behind it
            // answered means the cancel has been dealt with.
            s.peer().send(new Request(RequestId.of("ping-" + id), "ping", null));
            answerTo(s.peer(), RequestId.of("ping-" + id));
        }
        cancelDone.countDown();
        assertThat(exchange.join(PATIENCE)).as("the exchange returned").isTrue();
        assertThat(interruptedAfterServing.get()).as("interrupted once served").isFalse();
        assertThat(interruptedAfterCancel.get()).as("interrupted after the cancel was dealt with").isFalse();
        if (!cancel) {
            assertThat(answerTo(s.peer(), RequestId.of(id))).isInstanceOf(Response.Success.class);
        }
    }

    /** The peer's next answer to {@code id}, passing over late answers to earlier examples' requests. */
    private static Response answerTo(ScriptedPeer peer, RequestId id) throws InterruptedException {
        while (true) {
            if (peer.next() instanceof Response r && id.equals(r.id())) {
                return r;
            }
        }
    }

    @Test
    void theConnectionsEndInterruptsHandlersServedDirectlyAndWaitsForThem() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch sawInterrupt = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        Setup s = open(ConnectionOptions.DEFAULT.withRequestHandler("wait", r -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                sawInterrupt.countDown();
                mayFinish.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // a handler slow to wind down
                throw e;
            }
            return obj("waited", true);
        }));
        Thread exchange = Thread.ofVirtual().name("exchange").start(() -> s.transport().exchange(request(1, "wait")));
        assertThat(started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        Thread closer = Thread.ofVirtual().name("closer").start(s.connection()::close);

        assertThat(sawInterrupt.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(closer.isAlive()).as("close waits for the handler").isTrue();
        mayFinish.countDown();
        assertThat(closer.join(PATIENCE)).isTrue();
        assertThat(exchange.join(PATIENCE)).isTrue();
        assertThat(s.transport().exchange(request(2, "wait"))).as("served after the end").isFalse();
    }

    @Test
    void aHandlerServedDirectlyMayCloseItsOwnConnection() throws Exception {
        AtomicReference<Setup> setup = new AtomicReference<>();
        Setup s = open(ConnectionOptions.DEFAULT.withRequestHandler("quit", r -> {
            setup.get().connection().close();
            return obj("closed", true);
        }));
        setup.set(s);
        AtomicReference<Boolean> served = new AtomicReference<>();
        Thread exchange = Thread.ofVirtual().name("exchange").start(() ->
                served.set(s.transport().exchange(request(1, "quit"))));

        assertThat(exchange.join(PATIENCE)).isTrue();
        assertThat(served.get()).isTrue();
        assertThat(s.connection().awaitClosed(PATIENCE)).isInstanceOf(ConnectionClosedException.class);
    }
}
