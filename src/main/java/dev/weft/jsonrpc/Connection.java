package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.internal.Uninterruptibles;
import dev.weft.internal.jfr.CallEvent;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC 2.0 connection over a {@link Transport}: correlates requests with responses, dispatches the peer's
 * requests and notifications to handlers, and propagates cancellation both ways.
 *
 * <h2>A call never outlives its reader</h2>
 * One virtual thread per connection, the reader, receives and routes; nothing else. A transport that reads on threads of
 * its own may route on them what needs no thread of the reader's (answers and notifications; see
 * {@link Transport#routeDirectly}), in the same order, which saves a thread hand-off per answer; requests go through
 * the reader, which forks their handlers, unless the transport reads each request on a thread of its own that may
 * serve it ({@link Transport#serveDirectly}). When the reader ends for any reason (end
 * of stream, process exit, I/O error, an oversized frame, {@link #close()}), every pending call fails at once with a
 * {@link TransportClosedException} whose cause is the transport's own error, and every later call fails at once with
 * the same cause. Errors the peer returns are {@link PeerErrorException}s and never mean the connection is dead.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #call} blocks the calling thread (a virtual thread, ideally) until the answer, the timeout, an interrupt
 *       or the end. Any number of threads may call at once. Notifications routed to a call (progress) run its
 *       {@linkplain CallOptions#onEvent() listener} <b>on the calling thread</b>, in arrival order, before the result.
 *       </li>
 *   <li>Each incoming request runs its {@link RequestHandler} on a virtual thread of its own (forked by the reader, or
 *       the transport's own thread for that request; see {@link Transport#serveDirectly}); incoming notifications
 *       run their {@link NotificationHandler}s in arrival order on one virtual thread. A request's handler starts once
 *       the notifications that arrived before the request have been handled, and a call returns its answer once the
 *       notifications that arrived before the answer have been handled, so the host meets the peer's messages in the
 *       peer's order. User code never runs on the reader, and the reader never waits for user code.</li>
 *   <li>These threads are subtasks of a {@link dev.weft.scope.TaskScope} owned by the reader; when the reader ends, the
 *       scope is closed: handlers are interrupted and waited for, and the transport is closed. Handlers running on the
 *       transport's threads are interrupted and waited for too.</li>
 * </ul>
 *
 * <h2>Cancellation</h2>
 * A call whose thread is interrupted, or whose timeout expires, sends the protocol's cancel notification (when a
 * {@link CancelProtocol} is configured) and fails with {@link CallCancelledException} (the interrupt flag set again)
 * or {@link CallTimeoutException}; a late answer is dropped. An incoming cancel interrupts the handler of the request
 * it names, and that request gets no answer.
 */
public final class Connection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        // What a call may throw is loaded with the connection, not by the first callers that fail: a transport's end
        // fails every pending call at once, and threads that race to load a class wait for one another inside the
        // JVM, holding their carriers (the pinning check caught it, and it delayed the failures themselves).
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Class<?> type : List.of(TransportClosedException.class, PeerErrorException.class,
                    CallTimeoutException.class, CallCancelledException.class, ProtocolViolationException.class,
                    ExchangeFailedException.class, ConnectionClosedException.class, PendingCall.Ended.class,
                    PendingCall.Failed.class, PendingCall.Violation.class)) {
                lookup.ensureInitialized(type);
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Transport transport;
    private final ConnectionOptions options;
    private final String name;
    private final PendingCalls pending = new PendingCalls();
    private final BriefSpin spin = new BriefSpin();
    private final AtomicLong nextId = new AtomicLong(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Reader reader;
    private final Thread readerThread;

    private Connection(Transport transport, ConnectionOptions options) {
        this.transport = transport;
        this.options = options;
        this.name = options.name() + "-" + COUNTER.incrementAndGet();
        this.reader = new Reader(this, transport, options, pending, name);
        this.readerThread = Thread.ofVirtual().name(name + "-reader").unstarted(this::runReader);
    }

    /**
     * Opens a connection: starts its reader. The connection owns the transport from now on and closes it when it ends.
     *
     * @param transport the transport, not yet read by anyone
     * @param options   handlers, timeouts and cancel protocol
     * @return the open connection; any thread may use it
     */
    public static Connection open(Transport transport, ConnectionOptions options) {
        Connection connection = new Connection(Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(options, "options"));
        transport.routeDirectly(connection.reader::routeDirectly);
        transport.serveDirectly(connection.reader::serveDirectly);
        connection.readerThread.start();
        return connection;
    }

    /**
     * Opens a connection with the {@linkplain ConnectionOptions#DEFAULT default options}.
     *
     * @param transport the transport, not yet read by anyone
     * @return the open connection; any thread may use it
     */
    public static Connection open(Transport transport) {
        return open(transport, ConnectionOptions.DEFAULT);
    }

    private void runReader() {
        try {
            reader.run();
        } finally {
            terminated.countDown();
        }
    }

    /**
     * Calls {@code method} with the {@linkplain CallOptions#DEFAULT default options}; see
     * {@link #call(String, JsonNode, CallOptions)}, which also lists the exceptions.
     *
     * @param method the method
     * @param params an object or array node, or {@code null}
     * @return the result
     */
    public JsonNode call(String method, JsonNode params) {
        return call(method, params, CallOptions.DEFAULT);
    }

    /**
     * Calls {@code method} and maps the params and result with the codec's mapper, with the default options; the
     * exceptions are those of {@link #call(String, JsonNode, CallOptions)}, and one more.
     *
     * @param <T>        the result type
     * @param method     the method
     * @param params     an object to map to params, or {@code null}
     * @param resultType the class to map the result to
     * @return the mapped result
     * @throws ProtocolViolationException if the result does not map to {@code resultType}
     */
    public <T> T call(String method, Object params, Class<T> resultType) {
        JsonNode tree = params == null ? null : JsonRpcCodec.standard().mapper().valueToTree(params);
        JsonNode result = call(method, tree, CallOptions.DEFAULT);
        try {
            return JsonRpcCodec.standard().mapper().treeToValue(result, resultType);
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolViolationException("result is not a " + resultType.getSimpleName() + ": "
                    + e.getMessage(), method, null, describe(), e);
        }
    }

    /**
     * Sends a request and blocks until its answer.
     *
     * @param method  the method
     * @param params  an object or array node, or {@code null}
     * @param options timeout, idle timeout, and routed notifications
     * @return the result
     * @throws PeerErrorException         the peer answered with an error
     * @throws TransportClosedException   the transport ended before the answer, or had ended already
     * @throws CallTimeoutException       no answer in time; a cancel was sent
     * @throws CallCancelledException     the calling thread was interrupted (or was already); a cancel was sent if the
     *                                    request had gone out, and the interrupt flag is set
     * @throws ProtocolViolationException the answer was not a valid response
     * @throws ExchangeFailedException    the transport failed this one exchange (an HTTP status); it goes on
     * @throws IllegalArgumentException   the options name an id or route key that a pending call already uses
     */
    public JsonNode call(String method, JsonNode params, CallOptions options) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(options, "options");
        if (Thread.currentThread().isInterrupted()) {
            throw new CallCancelledException(method, null, describe(), new InterruptedException());
        }
        RequestId id = options.id() != null ? options.id() : RequestId.of(nextId.getAndIncrement());
        CallEvent event = new CallEvent();
        event.begin();
        String outcome = "ok";
        try {
            return call(id, method, params, options);
        } catch (RuntimeException e) {
            outcome = Outcomes.of(e);
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.method = method;
                event.target = Outcomes.target(params);
                event.transport = describe();
                event.requestId = id.toString();
                event.outcome = outcome;
                event.commit();
            }
        }
    }

    private JsonNode call(RequestId id, String method, JsonNode params, CallOptions options) {
        PendingCall call = new PendingCall(id, method, options.routeKey(), spin);
        Throwable ended = pending.register(call);
        if (ended != null) {
            throw new TransportClosedException(method, id, describe(), ended, false);
        }
        RequestId relatedTo = options.relatedTo() != null ? options.relatedTo() : Reader.servingRequest(this);
        try {
            transport.send(new Request(id, method, params), relatedTo);
        } catch (IOException e) {
            pending.abandon(call);
            if (e instanceof MessageRefusedException && pending.end() == null) {
                throw new ExchangeFailedException(method, id, describe(), e, false);
            }
            Throwable cause = pending.end() != null ? pending.end() : e;
            throw new TransportClosedException(method, id, describe(), cause, false);
        } catch (RuntimeException | Error e) {
            pending.abandon(call);
            throw e;
        }
        return await(call, options, relatedTo);
    }

    private JsonNode await(PendingCall call, CallOptions options, RequestId relatedTo) {
        Duration timeout = options.timeout() != null ? options.timeout() : this.options.defaultTimeout();
        Duration idle = options.idleTimeout();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long idleDeadline = idle == null ? Long.MAX_VALUE : start + idle.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                if (deadline - now <= 0) {
                    throw timedOut(call, relatedTo, timeout, "timeout");
                }
                if (idle != null && idleDeadline - now <= 0) {
                    throw timedOut(call, relatedTo, idle, "idle timeout");
                }
                long wait = idle == null ? deadline - now : Math.min(deadline - now, idleDeadline - now);
                Object event = call.poll(wait, pending.size() == 1);
                switch (event) {
                    case null -> { } // a deadline passed: checked at the top
                    case Response.Success success -> {
                        afterEarlierNotifications(call);
                        return success.result();
                    }
                    case Response.Failure failure -> {
                        afterEarlierNotifications(call);
                        throw new PeerErrorException(call.method, call.id, describe(), failure.error());
                    }
                    case Notification notification -> {
                        if (idle != null) {
                            idleDeadline = System.nanoTime() + idle.toNanos();
                        }
                        runListener(call, relatedTo, options, notification);
                    }
                    case PendingCall.Ended end ->
                            throw new TransportClosedException(call.method, call.id, describe(), end.cause(), true);
                    case PendingCall.Failed failed -> throw new ExchangeFailedException(call.method, call.id,
                            describe(), failed.failure().getCause(), failed.failure().requestDelivered());
                    case PendingCall.Violation violation -> throw new ProtocolViolationException(
                            "invalid response: " + violation.defect().getMessage(), call.method, call.id, describe(),
                            violation.defect());
                    default -> throw new IllegalStateException("unexpected event " + event);
                }
            }
        } catch (InterruptedException e) {
            cancelRemote(call, relatedTo, "interrupted");
            Thread.currentThread().interrupt();
            throw new CallCancelledException(call.method, call.id, describe(), e);
        } finally {
            pending.abandon(call);
        }
    }

    /**
     * Waits until the notifications that arrived before the call's answer have been handled, so that what a handler
     * of theirs did (queued an event, say) happens before the caller sees the answer. Usually they have been: one
     * volatile read. An interrupt while waiting leaves the answer to be returned, with the interrupt flag set.
     */
    private void afterEarlierNotifications(PendingCall call) {
        try {
            reader.awaitNotificationsHandled(call.notificationsBefore);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runListener(PendingCall call, RequestId relatedTo, CallOptions options, Notification notification) {
        if (options.onEvent() == null) {
            return;
        }
        try {
            options.onEvent().accept(notification);
        } catch (RuntimeException | Error e) {
            cancelRemote(call, relatedTo, "event listener failed: " + e);
            throw e;
        }
    }

    private CallTimeoutException timedOut(PendingCall call, RequestId relatedTo, Duration limit, String which) {
        cancelRemote(call, relatedTo, which + " " + limit);
        return new CallTimeoutException(call.method, call.id, describe(), limit, which);
    }

    /** Withdraws the call and tells the peer, if the protocol can; never throws, never waits on the peer. */
    private void cancelRemote(PendingCall call, RequestId relatedTo, String reason) {
        pending.abandon(call);
        reader.abandoned(call.id);
        transport.abandoned(call.id);
        CancelProtocol protocol = options.cancelProtocol();
        if (protocol == null || pending.end() != null) {
            return;
        }
        Notification cancel = protocol.cancel(call.id, call.method, reason);
        if (cancel == null) {
            return;
        }
        try {
            transport.send(cancel, relatedTo);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "cancel of " + call + " on " + describe() + " not sent: " + e);
        }
    }

    /**
     * Sends a notification. Sent from one of this connection's request handlers, it is related to that handler's
     * request (see {@link Transport#send(Message, RequestId)}).
     *
     * @param method the method
     * @param params an object or array node, or {@code null}
     * @throws TransportClosedException if the transport has ended; nothing was sent
     * @throws ExchangeFailedException   if the transport refused this one message (an HTTP status) and goes on
     */
    public void notify(String method, JsonNode params) {
        notify(method, params, Reader.servingRequest(this));
    }

    /**
     * Sends a notification that the handling of the peer's request {@code relatedTo} produced (progress, a log), or
     * an unrelated one when {@code relatedTo} is {@code null}.
     *
     * @param method    the method
     * @param params    an object or array node, or {@code null}
     * @param relatedTo the peer's request, or {@code null}
     * @throws TransportClosedException if the transport has ended; nothing was sent
     * @throws ExchangeFailedException   if the transport refused this one message (an HTTP status) and goes on
     */
    public void notify(String method, JsonNode params, RequestId relatedTo) {
        Objects.requireNonNull(method, "method");
        Throwable ended = pending.end();
        if (ended != null) {
            throw new TransportClosedException(method, null, describe(), ended, false);
        }
        try {
            transport.send(new Notification(method, params), relatedTo);
        } catch (IOException e) {
            if (e instanceof MessageRefusedException && pending.end() == null) {
                throw new ExchangeFailedException(method, null, describe(), e, true); // the transport goes on
            }
            Throwable cause = pending.end() != null ? pending.end() : e;
            throw new TransportClosedException(method, null, describe(), cause, false);
        }
    }

    /**
     * Closes the connection: fails every pending call with a {@link TransportClosedException} caused by a
     * {@link ConnectionClosedException}, closes the transport, and waits until the reader and every handler have
     * finished (handlers are interrupted; one that ignores interrupts delays this). Idempotent; any thread. Called from
     * one of this connection's own handler threads, it does not wait for itself.
     */
    @Override
    public void close() {
        pending.end(new ConnectionClosedException(describe()));
        transport.close();
        if (Reader.isConnectionThread(this)) {
            return;
        }
        Uninterruptibles.awaitUninterruptibly(terminated);
    }

    /** {@return whether the connection is still open: the transport has not ended and {@link #close()} was not called} */
    public boolean isOpen() {
        return pending.end() == null;
    }

    /**
     * {@return the terminal cause once the connection has ended (the transport's error, or a
     * {@link ConnectionClosedException}), or empty while it is open}
     */
    public Optional<Throwable> closedCause() {
        return Optional.ofNullable(pending.end());
    }

    /**
     * Blocks until the connection has ended (its reader has failed every pending call and finished), then returns the
     * terminal cause. For a subtask that watches the connection beside the calls that depend on it.
     *
     * @return the terminal cause
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    public Throwable awaitClosed() throws InterruptedException {
        terminated.await();
        return pending.end();
    }

    /**
     * Like {@link #awaitClosed()}, giving up after {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the terminal cause, or {@code null} if the connection was still open after {@code timeout}
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    public Throwable awaitClosed(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? pending.end() : null;
    }

    /** {@return the number of outgoing calls waiting for an answer} */
    public int pendingCalls() {
        return pending.size();
    }

    /** {@return the transport's description} */
    public String describe() {
        return transport.describe();
    }

    @Override
    public String toString() {
        return "Connection[" + name + ", " + describe() + (isOpen() ? "" : ", closed") + "]";
    }
}
