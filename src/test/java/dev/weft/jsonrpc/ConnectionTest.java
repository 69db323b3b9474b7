package dev.weft.jsonrpc;

import static dev.weft.jsonrpc.ScriptedPeer.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.testing.Await;
import dev.weft.transport.Faults;
import dev.weft.transport.MemoryTransport;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Connection behaviour against a scripted peer on an in-memory pair, and between two real connections. */
@Tag("concurrency")
class ConnectionTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private ScriptedPeer peerOf(MemoryTransport.Pair pair) {
        ScriptedPeer peer = new ScriptedPeer(pair.right());
        toClose.add(peer);
        return peer;
    }

    private Connection open(Transport transport, ConnectionOptions options) {
        Connection c = Connection.open(transport, options);
        toClose.add(c);
        return c;
    }

    /** Starts a call on a virtual thread; the returned reference holds its result or its exception. */
    private static Thread callAsync(Connection c, String method, CallOptions options, AtomicReference<Object> out) {
        return Thread.ofVirtual().name("weft-test-caller").start(() -> {
            try {
                out.set(c.call(method, null, options));
            } catch (Throwable t) {
                out.set(t);
            }
        });
    }

    @Test
    void callReturnsThePeersResultAndAPeerErrorPassesThroughWithoutKillingTheConnection() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);

        AtomicReference<Object> ok = new AtomicReference<>();
        Thread t = callAsync(c, "echo", CallOptions.DEFAULT, ok);
        Request r = peer.next(Request.class);
        assertThat(r.method()).isEqualTo("echo");
        peer.answer(r, obj("v", 1));
        t.join();
        assertThat(ok.get()).isEqualTo(obj("v", 1));

        AtomicReference<Object> err = new AtomicReference<>();
        t = callAsync(c, "boom", CallOptions.DEFAULT, err);
        Request failing = peer.next(Request.class);
        peer.send(new Response.Failure(failing.id(), new RpcError(-32000, "no such thing")));
        t.join();
        assertThat(err.get()).isInstanceOfSatisfying(PeerErrorException.class, e -> {
            assertThat(e.code()).isEqualTo(-32000);
            assertThat(e.method()).isEqualTo("boom");
            assertThat(e.id()).isEqualTo(failing.id());
            assertThat(e.transport()).isEqualTo(pair.left().describe());
        });
        assertThat(c.isOpen()).isTrue();
        assertThat(c.pendingCalls()).isZero();
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnAnswerWhenTheyArriveOutOfOrder() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);
        int n = 256;
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReferenceArray<JsonNode> results =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            callers.add(Thread.ofVirtual().name("weft-test-caller-" + i).start(() -> {
                try {
                    results.set(k, c.call("echo", obj("k", k))); // assert on the test thread, not here
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(peer.next(Request.class));
        }
        for (Request r : requests.reversed()) {
            peer.answer(r, r.params());
        }
        for (Thread t : callers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        for (int k = 0; k < n; k++) {
            assertThat(results.get(k)).isEqualTo(obj("k", k));
        }
        assertThat(c.pendingCalls()).isZero();
    }

    @Test
    void whenTheWireBreaksEveryPendingCallFailsAtOnceWithTheCauseAndLaterCallsFailTheSameWay() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withDefaultTimeout(Duration.ofMinutes(10)));
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AtomicReference<Object> out = new AtomicReference<>();
            outcomes.add(out);
            callers.add(callAsync(c, "slow", CallOptions.DEFAULT, out));
        }
        for (int i = 0; i < 20; i++) {
            peer.next(Request.class); // every call has reached the peer
        }
        IOException cut = new IOException("wire cut");
        pair.right().fail(cut);
        for (Thread t : callers) {
            t.join(); // a 10 minute timeout: only the end can release them
        }
        for (AtomicReference<Object> out : outcomes) {
            assertThat(out.get()).isInstanceOfSatisfying(TransportClosedException.class, e -> {
                assertThat(e.getCause()).isSameAs(cut);
                assertThat(e.requestSent()).isTrue();
                assertThat(e.method()).isEqualTo("slow");
            });
        }
        Throwable later = catchThrowable(() -> c.call("again", null));
        assertThat(later).isInstanceOfSatisfying(TransportClosedException.class, e -> {
            assertThat(e.getCause()).isSameAs(cut);
            assertThat(e.requestSent()).isFalse();
        });
        assertThat(c.awaitClosed()).isSameAs(cut);
        assertThatThrownBy(() -> c.notify("n", null)).isInstanceOf(TransportClosedException.class).hasCause(cut);
    }

    @Test
    void whenThePeerClosesPendingCallsFailWithEndOfStream() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "slow", CallOptions.DEFAULT, out);
        peer.next(Request.class);
        pair.right().close();
        t.join();
        assertThat(out.get()).isInstanceOfSatisfying(TransportClosedException.class,
                e -> assertThat(e.getCause()).isInstanceOf(EOFException.class));
    }

    @Test
    void anOversizedFrameEndsTheConnectionWithAClearError() throws Exception {
        JsonRpcCodec small = JsonRpcCodec.withMaxFrameBytes(256);
        MemoryTransport.Pair pair = MemoryTransport.pair(Faults.NONE, Faults.NONE, small);
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "big", CallOptions.DEFAULT, out);
        Request r = peer.next(Request.class);
        peer.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":" + ((RequestId.Number) r.id()).value() + ",\"result\":\""
                + "x".repeat(300) + "\"}");
        t.join();
        assertThat(out.get()).isInstanceOfSatisfying(TransportClosedException.class, e -> {
            assertThat(e.getCause()).isInstanceOf(FrameTooLargeException.class);
            assertThat(e.getCause()).hasMessageContaining("256");
        });
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void badInputGetsTheRightErrorAndTheConnectionStaysUsable() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT
                .withRequestHandler("params", req -> {
                    throw new IllegalArgumentException("a is required");
                })
                .withRequestHandler("denied", req -> {
                    throw new RpcErrorException(new RpcError(-32042, "needs a URL"));
                })
                .withRequestHandler("bug", req -> {
                    throw new IllegalStateException("secret internals");
                }));

        peer.sendRaw("{not json");
        assertError(peer.next(Response.Failure.class), null, RpcError.PARSE_ERROR);
        peer.sendRaw("{\"id\":7,\"method\":\"x\"}");
        assertError(peer.next(Response.Failure.class), RequestId.of(7), RpcError.INVALID_REQUEST);
        peer.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"x\"}]");
        assertError(peer.next(Response.Failure.class), null, RpcError.INVALID_REQUEST);
        peer.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"x\",\"params\":5}");
        assertError(peer.next(Response.Failure.class), RequestId.of(9), RpcError.INVALID_REQUEST);
        peer.send(new Request(RequestId.of("a"), "nope", null));
        assertError(peer.next(Response.Failure.class), RequestId.of("a"), RpcError.METHOD_NOT_FOUND);
        peer.send(new Request(RequestId.of("b"), "params", null));
        assertError(peer.next(Response.Failure.class), RequestId.of("b"), RpcError.INVALID_PARAMS);
        peer.send(new Request(RequestId.of("c"), "denied", null));
        assertError(peer.next(Response.Failure.class), RequestId.of("c"), -32042);
        peer.send(new Request(RequestId.of("d"), "bug", null));
        Response.Failure internal = peer.next(Response.Failure.class);
        assertError(internal, RequestId.of("d"), RpcError.INTERNAL_ERROR);
        assertThat(internal.error().message()).doesNotContain("secret");
        // A malformed notification and an answer to nobody: dropped, nothing owed.
        peer.sendRaw("{\"jsonrpc\":\"2.0\",\"method\":5}");
        peer.send(new Response.Success(RequestId.of(999), obj("x", 1)));

        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "still", CallOptions.DEFAULT, out);
        Request r = peer.next(Request.class); // nothing was answered for the two dropped frames
        peer.answer(r, obj("ok", true));
        t.join();
        assertThat(out.get()).isEqualTo(obj("ok", true));
        assertThat(c.isOpen()).isTrue();
    }

    private static void assertError(Response.Failure f, RequestId id, int code) {
        assertThat(f.id()).isEqualTo(id);
        assertThat(f.error().code()).isEqualTo(code);
    }

    @Test
    void aBrokenAnswerFailsItsCallWithAProtocolViolationAndTheConnectionLivesOn() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "m", CallOptions.DEFAULT, out);
        Request r = peer.next(Request.class);
        long id = ((RequestId.Number) r.id()).value();
        peer.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":1,\"error\":{\"code\":1,\"message\":\"m\"}}");
        t.join();
        assertThat(out.get()).isInstanceOfSatisfying(ProtocolViolationException.class, e -> {
            assertThat(e.method()).isEqualTo("m");
            assertThat(e.id()).isEqualTo(r.id());
        });
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void interruptingTheCallerSendsTheCancelAndFailsTheCallWithTheFlagSet() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED));
        AtomicReference<Object> out = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                out.set(c.call("slow", null));
            } catch (Throwable e) {
                out.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        Request r = peer.next(Request.class);
        caller.interrupt();
        Notification cancel = peer.next(Notification.class);
        caller.join();
        assertThat(cancel.method()).isEqualTo("notifications/cancelled");
        assertThat(cancel.params().get("requestId").asLong()).isEqualTo(((RequestId.Number) r.id()).value());
        assertThat(cancel.params().get("reason").asText()).contains("interrupted");
        assertThat(out.get()).isInstanceOf(CallCancelledException.class);
        assertThat(flag.get()).isTrue();
        peer.answer(r, obj("late", true)); // dropped quietly
        assertThat(c.pendingCalls()).isZero();
    }

    @Test
    void aCallerInterruptedBeforeCallingSendsNothing() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED));
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> c.call("x", null)).isInstanceOfSatisfying(CallCancelledException.class,
                    e -> assertThat(e.id()).isNull());
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        c.notify("marker", null);
        assertThat(peer.next(Notification.class).method()).isEqualTo("marker"); // nothing came before it
    }

    @Test
    void aTimeoutSendsTheCancelAndFailsTheCall() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED));
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "slow", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(50)), out);
        Request r = peer.next(Request.class);
        Notification cancel = peer.next(Notification.class);
        t.join();
        assertThat(cancel.params().get("reason").asText()).contains("timeout");
        assertThat(out.get()).isInstanceOfSatisfying(CallTimeoutException.class, e -> {
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(50));
            assertThat(e.id()).isEqualTo(r.id());
        });
    }

    @Test
    void initializeIsNeverCancelled() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED));
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "initialize", CallOptions.DEFAULT.withTimeout(Duration.ofMillis(20)), out);
        peer.next(Request.class);
        t.join();
        assertThat(out.get()).isInstanceOf(CallTimeoutException.class);
        c.notify("marker", null);
        assertThat(peer.next(Notification.class).method()).isEqualTo("marker"); // no cancel before it
    }

    @Test
    void routedEventsRunOnTheCallersThreadInOrderBeforeTheResultAndResetTheIdleTimeout() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withNotificationRouter(n ->
                n.method().equals("progress") ? n.params().get("token").asText() : null));
        List<String> seen = new CopyOnWriteArrayList<>();
        List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
        AtomicReference<Object> out = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().name("weft-test-caller").start(() -> {
            try {
                out.set(c.call("long", null, CallOptions.DEFAULT.withIdleTimeout(Duration.ofSeconds(5))
                        .withEvents("tok", n -> {
                            listenerThreads.add(Thread.currentThread());
                            seen.add(n.params().get("p").asText());
                        })));
            } catch (Throwable e) {
                out.set(e);
            }
        });
        Request r = peer.next(Request.class);
        for (int i = 1; i <= 5; i++) {
            sendProgress(peer, "tok", i);
        }
        peer.answer(r, obj("done", true)); // sent right behind the events: the caller still sees all of them first
        caller.join();
        assertThat(out.get()).isEqualTo(obj("done", true));
        assertThat(seen).containsExactly("1", "2", "3", "4", "5");
        assertThat(listenerThreads).hasSize(5).allMatch(t -> t == caller);
    }

    private static void sendProgress(ScriptedPeer peer, String token, int p) throws IOException {
        peer.send(new Notification("progress", JsonNodeFactory.instance.objectNode().put("token", token)
                .put("p", String.valueOf(p))));
    }

    @Test
    void theIdleTimeoutFiresWhenNoEventComes() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT.withNotificationRouter(n -> "tok"));
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "long", CallOptions.DEFAULT.withIdleTimeout(Duration.ofMillis(30))
                .withEvents("tok", n -> { }), out);
        peer.next(Request.class);
        t.join();
        assertThat(out.get()).isInstanceOfSatisfying(CallTimeoutException.class,
                e -> assertThat(e.getMessage()).contains("idle timeout"));
    }

    @Test
    void anIncomingCancelInterruptsItsHandlerAndNoAnswerIsSent() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED)
                .withRequestHandler("work", req -> {
                    handling.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return null;
                })
                .withRequestHandler("ping", req -> obj("pong", true)));
        peer.send(new Request(RequestId.of(1), "work", null));
        assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
        peer.send(ScriptedPeer.CANCELLED.cancel(RequestId.of(1), "work", "user"));
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        peer.send(new Request(RequestId.of(2), "ping", null));
        Response.Success pong = peer.next(Response.Success.class); // the first thing to arrive: no answer to 1
        assertThat(pong.id()).isEqualTo(RequestId.of(2));
    }

    /**
     * A cancel right behind its request, before the handler thread has started, still ends the handling: the reader
     * files the request before it forks the handler, so the cancel finds it, and the handler either never runs or is
     * interrupted. Repeated, since the handler's start races with the cancel.
     */
    @Test
    void aCancelRightBehindItsRequestEndsTheHandlingEvenBeforeTheHandlerStarts() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger uninterrupted = new AtomicInteger();
        open(pair.left(), ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED)
                .withRequestHandler("work", req -> {
                    running.incrementAndGet();
                    try {
                        if (!new CountDownLatch(1).await(30, TimeUnit.SECONDS)) {
                            uninterrupted.incrementAndGet(); // the cancel was lost
                        }
                        return null;
                    } finally {
                        running.decrementAndGet();
                    }
                })
                .withRequestHandler("ping", req -> obj("pong", true)));
        for (int i = 0; i < 20; i++) {
            RequestId work = RequestId.of("work-" + i);
            peer.send(new Request(work, "work", null));
            peer.send(ScriptedPeer.CANCELLED.cancel(work, "work", "user"));
            RequestId ping = RequestId.of("ping-" + i);
            peer.send(new Request(ping, "ping", null));
            assertThat(peer.next(Response.Success.class).id()).isEqualTo(ping); // no answer to the cancelled work
        }
        Await.until(() -> running.get() == 0, Duration.ofSeconds(10), "every cancelled handler ended");
        assertThat(uninterrupted.get()).isZero();
    }

    /** A transport that records the relation of each message it sends, and sends it on. */
    private static final class RelationRecorder implements Transport {
        final MemoryTransport inner;
        final List<String> sent = new CopyOnWriteArrayList<>();

        RelationRecorder(MemoryTransport inner) {
            this.inner = inner;
        }

        @Override
        public void send(Message message) throws IOException {
            send(message, null);
        }

        @Override
        public void send(Message message, RequestId relatedTo) throws IOException {
            String what = switch (message) {
                case Request r -> r.method();
                case Notification n -> n.method();
                case Response r -> "response " + r.id();
            };
            sent.add(what + " related to " + relatedTo);
            inner.send(message);
        }

        @Override
        public Message receive() throws IOException, MalformedMessageException, RequestFailedException {
            return inner.receive();
        }

        @Override
        public void close() {
            inner.close();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    @Test
    void whatAHandlerSendsIsRelatedToItsRequestAndNothingElseIs() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        RelationRecorder recorder = new RelationRecorder(pair.left());
        CountDownLatch explicitSent = new CountDownLatch(1);
        Connection c = open(recorder, ConnectionOptions.DEFAULT.withCancelProtocol(ScriptedPeer.CANCELLED)
                .withRequestHandler("work", req -> {
                    req.connection().notify("progress", null); // on the handler's thread: related
                    Thread helper = Thread.ofVirtual().start(() -> {
                        req.connection().notify("from-helper", null); // another thread: unrelated
                        req.connection().notify("explicit", null, req.id());
                        explicitSent.countDown();
                    });
                    helper.join();
                    return req.connection().call("ask", null); // a request back: related
                }));
        peer.send(new Request(RequestId.of("w1"), "work", null));
        assertThat(peer.next(Notification.class).method()).isEqualTo("progress");
        assertThat(peer.next(Notification.class).method()).isEqualTo("from-helper");
        assertThat(peer.next(Notification.class).method()).isEqualTo("explicit");
        Request ask = peer.next(Request.class);
        peer.send(new Response.Success(ask.id(), obj("ok", true)));
        assertThat(peer.next(Response.Success.class).id()).isEqualTo(RequestId.of("w1"));
        c.notify("unrelated", null);
        assertThat(peer.next(Notification.class).method()).isEqualTo("unrelated");
        assertThat(recorder.sent).containsExactly(
                "progress related to \"w1\"",
                "from-helper related to null",
                "explicit related to \"w1\"",
                "ask related to \"w1\"",
                "response \"w1\" related to null",
                "unrelated related to null");
    }

    @Test
    void handlersAndNotificationsRunOffTheReaderAndHandlersMayCallBackThePeer() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        List<String> threadNames = new CopyOnWriteArrayList<>();
        List<String> notes = new CopyOnWriteArrayList<>();
        CountDownLatch threeNotes = new CountDownLatch(3);
        Connection server = open(pair.right(), ConnectionOptions.DEFAULT.withName("weft-test-server")
                .withRequestHandler("ask", req -> {
                    threadNames.add(Thread.currentThread().getName());
                    JsonNode answer = req.connection().call("answer", req.params()); // nested call back
                    return obj("got", answer);
                })
                .withNotificationHandler("note", n -> {
                    threadNames.add(Thread.currentThread().getName());
                    notes.add(n.params().get("i").asText());
                    threeNotes.countDown();
                }));
        Connection client = open(pair.left(), ConnectionOptions.DEFAULT.withName("weft-test-client")
                .withRequestHandler("answer", req -> obj("echo", req.params())));
        for (int i = 0; i < 3; i++) {
            client.notify("note", obj("i", i));
        }
        JsonNode result = client.call("ask", obj("q", 42));
        assertThat(result).isEqualTo(obj("got", obj("echo", obj("q", 42))));
        assertThat(threeNotes.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(notes).containsExactly("0", "1", "2");
        assertThat(threadNames).isNotEmpty().noneMatch(n -> n.endsWith("-reader"));
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void closeFailsPendingCallsAsClosedByTheHostAndIsIdempotent() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        Connection c = Connection.open(pair.left(), ConnectionOptions.DEFAULT);
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = callAsync(c, "slow", CallOptions.DEFAULT, out);
        peer.next(Request.class);
        c.close();
        t.join();
        assertThat(out.get()).isInstanceOfSatisfying(TransportClosedException.class,
                e -> assertThat(e.getCause()).isInstanceOf(ConnectionClosedException.class));
        c.close();
        assertThat(c.closedCause()).containsInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void aHandlerMayCloseItsOwnConnectionWithoutDeadlock() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        AtomicReference<Connection> self = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        Connection c = Connection.open(pair.left(), ConnectionOptions.DEFAULT.withRequestHandler("quit", req -> {
            self.get().close();
            closed.countDown();
            return null;
        }));
        self.set(c);
        peer.send(new Request(RequestId.of(1), "quit", null));
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.awaitClosed(Duration.ofSeconds(10))).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void typedCallMapsParamsAndResultAndAWrongShapeIsAProtocolViolation() throws Exception {
        record Sum(int a, int b) { }
        record Total(int total) { }
        MemoryTransport.Pair pair = MemoryTransport.pair();
        open(pair.right(), ConnectionOptions.DEFAULT
                .withRequestHandler("sum", req -> obj("total", req.params().get("a").asInt()
                        + req.params().get("b").asInt()))
                .withRequestHandler("text", req -> obj("total", "many")));
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT);
        assertThat(c.call("sum", new Sum(2, 3), Total.class)).isEqualTo(new Total(5));
        assertThatThrownBy(() -> c.call("text", new Sum(2, 3), Total.class))
                .isInstanceOf(ProtocolViolationException.class).hasMessageContaining("text");
    }

    /**
     * The peer's notification and then its request reach the host in that order, although one runs on the dispatcher
     * and the other on a handler thread of its own: the request's handler starts once the notification is handled.
     */
    @Test
    void aRequestsHandlerStartsAfterTheNotificationsThatCameBeforeIt() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        List<String> seen = new CopyOnWriteArrayList<>();
        open(pair.left(), ConnectionOptions.DEFAULT
                .withNotificationHandler("note", note -> {
                    Thread.yield(); // a handler that takes a moment: the request arrives meanwhile
                    seen.add("note " + note.params().get("n").asInt());
                })
                .withRequestHandler("ask", request -> {
                    seen.add("ask " + request.params().get("n").asInt());
                    return request.params();
                }));

        for (int i = 0; i < 200; i++) {
            peer.send(new Notification("note", obj("n", i)));
            peer.send(new Request(RequestId.of(i), "ask", obj("n", i)));
            assertThat(peer.next(Response.Success.class).id()).isEqualTo(RequestId.of(i));
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("note " + i);
            expected.add("ask " + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aCallReturnsAfterTheNotificationsThatCameBeforeItsAnswer() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        List<String> seen = new CopyOnWriteArrayList<>();
        Connection c = open(pair.left(), ConnectionOptions.DEFAULT
                .withNotificationHandler("note", note -> {
                    Thread.yield(); // a handler that takes a moment: the answer arrives meanwhile
                    seen.add("note " + note.params().get("n").asInt());
                }));

        for (int i = 0; i < 200; i++) {
            AtomicReference<Object> out = new AtomicReference<>();
            int n = i;
            Thread caller = Thread.ofVirtual().name("weft-test-caller").start(() -> {
                out.set(c.call("ask", obj("n", n)));
                seen.add("answer " + n);
            });
            Request r = peer.next(Request.class);
            peer.send(new Notification("note", obj("n", i)));
            peer.answer(r, obj("n", i));
            caller.join();
            assertThat(out.get()).isEqualTo(obj("n", i));
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("note " + i);
            expected.add("answer " + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void aNotificationHandlerThatCallsThePeerDoesNotWaitForItself() throws Exception {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        ScriptedPeer peer = peerOf(pair);
        AtomicReference<Object> fromHandler = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        AtomicReference<Connection> self = new AtomicReference<>();
        self.set(open(pair.left(), ConnectionOptions.DEFAULT
                .withNotificationHandler("note", note -> {
                    fromHandler.set(self.get().call("lookup", note.params()));
                    handled.countDown();
                })));

        peer.send(new Notification("note", obj("n", 1)));
        Request r = peer.next(Request.class);
        assertThat(r.method()).isEqualTo("lookup");
        peer.answer(r, obj("found", 1));

        assertThat(handled.await(10, TimeUnit.SECONDS)).as("the handler's call returned").isTrue();
        assertThat(fromHandler.get()).isEqualTo(obj("found", 1));
    }
}
