package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.internal.InterruptGate;
import dev.weft.internal.jfr.ConnectionClosedEvent;
import dev.weft.internal.jfr.ServedEvent;
import dev.weft.scope.TaskScope;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reading side of a {@link Connection}. {@link #run()} runs on the connection's reader thread and owns a
 * {@link TaskScope} whose subtasks are the request handlers, the notification dispatcher, and the senders of error
 * replies; the reader never writes to the transport itself, so a peer that does not read cannot stall it.
 *
 * <p>Most messages never reach {@link #run()}'s loop: the transport hands them to {@link #routeDirectly} on the thread
 * that read them, in order, and only requests and unplaceable answers come through {@code receive}. Both paths route
 * the same way, and never both at once for one transport's messages out of order (see {@link Transport#routeDirectly}).
 *
 * <p>A transport that reads each request on a thread of its own may have it served there instead
 * ({@link #serveDirectly}); such handlers are outside the scope, so the reader cancels them when it ends and waits for
 * them after closing the scope, as the scope waits for its own.
 *
 * <p>Fields: {@code incoming} maps the peer's in-flight request ids to the {@link InterruptGate}s of their handlers
 * (added before the handler starts, by the reader or the serving thread, removed by the handler, read by whoever
 * routes a cancel; the gate keeps a cancel's interrupt from landing after the handler is done, on a thread that may go
 * on to other work); {@code notifications} is the dispatcher's queue (routers offer, the dispatcher takes); {@code abandoned} holds ids of our calls given up on, so that their late
 * answers log quietly (callers add, the reader reads).
 */
final class Reader {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<RequestId> SERVING = new ThreadLocal<>(); // on a handler thread: its request
    private static final ThreadLocal<Reader> DISPATCHING = new ThreadLocal<>(); // on the notification dispatcher
    private static final int ABANDONED_CAPACITY = 4096;
    private static final Notification END_OF_NOTIFICATIONS = new Notification("weft/end", null);

    private final Connection connection;
    private final Transport transport;
    private final ConnectionClosedEvent closed = new ConnectionClosedEvent(); // spans the reader's life; its thread
    private final ConnectionOptions options;
    private final PendingCalls pending;
    private final String name;
    private final ConcurrentHashMap<RequestId, InterruptGate> incoming = new ConcurrentHashMap<>();
    private final LinkedTransferQueue<Notification> notifications = new LinkedTransferQueue<>();
    private final Set<RequestId> abandoned = ConcurrentHashMap.newKeySet();
    private final ReentrantLock directLock = new ReentrantLock();
    private final Condition directDone = directLock.newCondition();
    private int direct; // requests being served on the transport's threads; directLock
    // Notifications queued for the dispatcher, counted by the routers (one at a time), and those it has handled: a
    // request waits for the notifications that arrived before it, so that the host sees the peer's messages in order.
    private final AtomicLong notificationsQueued = new AtomicLong();
    private volatile long notificationsHandled; // written by the dispatcher under dispatchLock
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final Condition dispatched = dispatchLock.newCondition();
    private boolean directEnded; // the reader has ended: no more of them; directLock

    Reader(Connection connection, Transport transport, ConnectionOptions options, PendingCalls pending, String name) {
        this.connection = connection;
        this.transport = transport;
        this.options = options;
        this.pending = pending;
        this.name = name;
    }

    /** Whether the current thread is one of {@code connection}'s handler or dispatcher threads. */
    static boolean isConnectionThread(Connection connection) {
        return CURRENT.get() == connection;
    }

    /** The peer's request whose handler runs on the current thread, if that is one of {@code connection}'s handlers. */
    static RequestId servingRequest(Connection connection) {
        return CURRENT.get() == connection ? SERVING.get() : null;
    }

    void run() {
        closed.begin();
        try {
            readAndRoute();
        } finally {
            endDirect(); // idempotent; here for a reader that failed
            awaitDirect();
        }
    }

    private void readAndRoute() {
        Throwable cause;
        try (TaskScope scope = TaskScope.open(c -> c.withName(name + "-worker"))) {
            // If a worker fails unexpectedly (a bug, not a handler's exception), the scope cancels: close the transport
            // so the connection ends loudly instead of limping on without its dispatcher.
            scope.onCancel(transport::close);
            scope.fork(() -> {
                dispatchNotifications();
                return null;
            });
            cause = readUntilEnd(scope);
            int inFlight = pending.size();
            Throwable recorded = pending.end(cause);
            closed.end();
            if (closed.shouldCommit()) {
                closed.transport = transport.describe();
                closed.cause = String.valueOf(recorded);
                closed.failedCalls = inFlight;
                closed.commit();
            }
            // The end just woke every waiting caller. Closing the transport next (for a process: scanning /proc for
            // its tree) can hold this carrier for milliseconds; let the callers run first, so that each learns of
            // the end at once rather than behind the cleanup (the kill benchmark showed gaps of up to 6 ms).
            Thread.yield();
            notifications.offer(END_OF_NOTIFICATIONS);
            endDirect();
            LOG.log(System.Logger.Level.DEBUG, () -> name + " on " + transport.describe() + " ended: " + recorded);
        } // close: cancel (interrupts handlers, closes the transport) and wait for every worker
    }

    private Throwable readUntilEnd(TaskScope scope) {
        while (true) {
            Message message;
            try {
                message = transport.receive();
            } catch (MalformedMessageException e) {
                onMalformed(scope, e);
                continue;
            } catch (RequestFailedException e) {
                if (!pending.fail(e)) {
                    LOG.log(System.Logger.Level.DEBUG, () -> transport.describe() + ": failure of finished call "
                            + e.id() + " dropped: " + e.getCause());
                }
                continue;
            } catch (IOException | RuntimeException | Error e) {
                return e;
            }
            try {
                route(scope, message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + " on " + transport.describe() + " failed to route "
                        + describe(message), e);
            }
        }
    }

    private void route(TaskScope scope, Message message) {
        switch (message) {
            case Response response -> onResponse(response);
            case Request request -> {
                InterruptGate inFlight = new InterruptGate();
                if (incoming.putIfAbsent(request.id(), inFlight) != null) {
                    Response.Failure reply = new Response.Failure(request.id(), RpcError.invalidRequest(
                            "Invalid Request: id " + request.id() + " is already in flight"));
                    scope.fork(() -> send(reply));
                    return;
                }
                long before = notificationsQueued.get();
                scope.fork(() -> serve(request, inFlight, before));
            }
            case Notification notification -> onNotification(notification);
        }
    }

    /**
     * The direct route ({@link Transport#routeDirectly}): runs on a thread that reads the transport, when every message
     * before this one has been routed, and routes what needs no thread of this reader's: an answer to a pending call,
     * a notification (to its call, to the dispatcher, or a cancel). It declines requests (they are forked on this
     * reader's scope) and answers nobody waits for (the reader logs them). Thread-safe; never blocks; runs no user code
     * beyond the options' notification router.
     */
    boolean routeDirectly(Message message) {
        return switch (message) {
            case Response response -> response.id() != null && pending.complete(response, notificationsQueued.get());
            case Notification notification -> {
                onNotification(notification);
                yield true;
            }
            case Request request -> false;
        };
    }

    /**
     * Serves {@code request} on the calling thread, a thread of the transport's that carries this request alone (see
     * {@link Transport#serveDirectly}): registers it as the reader does, runs its handler, and sends the answer. Returns
     * {@code false}, having done nothing, once the reader has ended or when the id is in flight already (the reader
     * then meets the request and answers the duplicate). Thread-safe; blocks for as long as the handler runs.
     */
    boolean serveDirectly(Request request) {
        InterruptGate inFlight = new InterruptGate();
        directLock.lock();
        try {
            if (directEnded || incoming.putIfAbsent(request.id(), inFlight) != null) {
                return false;
            }
            direct++;
        } finally {
            directLock.unlock();
        }
        try {
            serve(request, inFlight, notificationsQueued.get());
        } finally {
            CURRENT.remove();
            SERVING.remove();
            directLock.lock();
            try {
                if (--direct == 0) {
                    directDone.signalAll();
                }
            } finally {
                directLock.unlock();
            }
        }
        return true;
    }

    /** The reader has ended: no request is served directly from now on, and those being served are cancelled. */
    private void endDirect() {
        directLock.lock();
        try {
            if (directEnded) {
                return;
            }
            directEnded = true; // decided under the lock: every request served directly is in incoming now
        } finally {
            directLock.unlock();
        }
        for (InterruptGate inFlight : incoming.values()) {
            inFlight.cancel(); // the forked ones are interrupted by the scope as well; no answer can go out now
        }
    }

    /** Waits until no request is being served on a transport's thread, as the scope waits for its workers. */
    private void awaitDirect() {
        directLock.lock();
        try {
            while (direct > 0) {
                directDone.awaitUninterruptibly();
            }
        } finally {
            directLock.unlock();
        }
    }

    private void onResponse(Response response) {
        if (pending.complete(response, notificationsQueued.get())) {
            return;
        }
        RequestId id = response.id();
        if (id == null && response instanceof Response.Failure failure) {
            LOG.log(System.Logger.Level.WARNING, () -> transport.describe() + ": peer reported an error without id: "
                    + failure.error());
        } else if (id != null && abandoned.remove(id)) {
            LOG.log(System.Logger.Level.DEBUG, () -> transport.describe() + ": late answer to abandoned call " + id);
        } else {
            LOG.log(System.Logger.Level.WARNING, () -> transport.describe() + ": answer with unknown id " + id
                    + " dropped");
        }
    }

    private void onNotification(Notification notification) {
        CancelProtocol cancel = options.cancelProtocol();
        if (cancel != null && cancel.method().equals(notification.method())) {
            cancelIncoming(cancel.cancelledId(notification));
            return;
        }
        if (options.notificationRouter() != null) {
            Object key = options.notificationRouter().apply(notification);
            if (key != null) {
                if (!pending.route(key, notification)) {
                    LOG.log(System.Logger.Level.DEBUG, () -> transport.describe() + ": " + notification.method()
                            + " for finished call " + key + " dropped");
                }
                return;
            }
        }
        notificationsQueued.incrementAndGet();
        notifications.offer(notification);
    }

    private void cancelIncoming(RequestId id) {
        InterruptGate inFlight = id == null ? null : incoming.get(id);
        if (inFlight != null) {
            inFlight.cancel();
        }
    }

    private void onMalformed(TaskScope scope, MalformedMessageException e) {
        switch (e.kind()) {
            case REQUEST, UNKNOWN -> {
                LOG.log(System.Logger.Level.WARNING, () -> transport.describe() + ": malformed frame answered with "
                        + e.error());
                Response.Failure reply = new Response.Failure(e.id(), e.error());
                scope.fork(() -> send(reply));
            }
            case NOTIFICATION -> LOG.log(System.Logger.Level.WARNING, () -> transport.describe()
                    + ": malformed notification dropped: " + e.error());
            case RESPONSE -> {
                if (!pending.violate(e.id(), e)) {
                    LOG.log(System.Logger.Level.WARNING, () -> transport.describe() + ": malformed response for id "
                            + e.id() + " dropped: " + e.error());
                }
            }
        }
    }

    /**
     * Runs on a handler thread of its own, or on the transport's thread that carries the request: handles one request
     * of the peer's and answers it, unless the peer cancelled it.
     *
     * @param before how many notifications had been queued for the dispatcher when the request arrived: its handler
     *               starts once the dispatcher has handled them
     */
    private void serve(Request request, InterruptGate inFlight, long before) {
        CURRENT.set(connection);
        SERVING.set(request.id());
        Response response = null;
        ServedEvent event = new ServedEvent();
        event.begin();
        try {
            if (inFlight.enter()) {
                response = handle(request, before);
            } // else cancelled before its handler started: no answer is owed
        } finally {
            inFlight.exit(); // a cancel that raced with the end of the handler must not disturb the write, or later work
            incoming.remove(request.id(), inFlight);
        }
        boolean answer = response != null && !inFlight.cancelled();
        if (answer) {
            send(response); // else the peer cancelled: it expects no answer
        }
        event.end();
        if (event.shouldCommit()) {
            event.method = request.method();
            event.target = Outcomes.target(request.params());
            event.transport = transport.describe();
            event.requestId = request.id().toString();
            event.outcome = !answer ? "cancelled" : response instanceof Response.Failure failure
                    ? "error " + failure.error().code() : "answered";
            event.commit();
        }
    }

    private Response handle(Request request, long before) {
        RequestHandler handler = options.requestHandlers().get(request.method());
        if (handler == null) {
            return new Response.Failure(request.id(), RpcError.methodNotFound(request.method()));
        }
        try {
            awaitNotificationsHandled(before);
            JsonNode result = handler.handle(new IncomingRequest(request.id(), request.method(), request.params(),
                    connection));
            return new Response.Success(request.id(), result != null ? result : JsonNodeFactory.instance.objectNode());
        } catch (RpcErrorException e) {
            return new Response.Failure(request.id(), e.error());
        } catch (IllegalArgumentException e) {
            return new Response.Failure(request.id(), RpcError.invalidParams("Invalid params: " + e.getMessage()));
        } catch (InterruptedException e) {
            // Cancelled by the peer or ended with the connection: expected, and no stack trace is owed to anyone.
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.DEBUG, () -> request.method() + " (id " + request.id() + ") on "
                    + transport.describe() + " interrupted");
            return new Response.Failure(request.id(), RpcError.internalError("Internal error: interrupted"));
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING, request.method() + " (id " + request.id() + ") on "
                    + transport.describe() + " failed", e);
            return new Response.Failure(request.id(), RpcError.internalError("Internal error: "
                    + e.getClass().getSimpleName()));
        }
    }

    private void send(Response response) {
        try {
            transport.send(response);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "answer to " + response.id() + " on " + transport.describe()
                    + " not sent: " + e);
        }
    }

    /**
     * Waits until the dispatcher has handled the first {@code count} notifications (or has ended). The dispatcher itself
     * never waits: a notification handler that calls the peer must not wait for its own end.
     */
    void awaitNotificationsHandled(long count) throws InterruptedException {
        if (notificationsHandled >= count || DISPATCHING.get() == this) {
            return;
        }
        dispatchLock.lock();
        try {
            while (notificationsHandled < count) {
                dispatched.await();
            }
        } finally {
            dispatchLock.unlock();
        }
    }

    private void handled(long count) {
        dispatchLock.lock();
        try {
            notificationsHandled = count;
            dispatched.signalAll();
        } finally {
            dispatchLock.unlock();
        }
    }

    /** Runs on the dispatcher thread: delivers notifications in arrival order until the end. */
    private void dispatchNotifications() throws InterruptedException {
        CURRENT.set(connection);
        DISPATCHING.set(this);
        long count = 0;
        try {
            while (true) {
                Notification notification = notifications.take();
                if (notification == END_OF_NOTIFICATIONS) {
                    return;
                }
                dispatch(notification);
                handled(++count);
            }
        } finally {
            handled(Long.MAX_VALUE); // no request waits for a dispatcher that has stopped
        }
    }

    /** Runs one notification's handler, on the dispatcher thread; what it throws is logged. */
    private void dispatch(Notification notification) throws InterruptedException {
        NotificationHandler handler = options.notificationHandlers().get(notification.method());
        if (handler == null) {
            handler = options.otherNotifications();
        }
        if (handler == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> transport.describe() + ": unhandled notification "
                    + notification.method());
            return;
        }
        try {
            handler.handle(notification);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "handler of " + notification.method() + " on "
                    + transport.describe() + " failed", e);
        }
    }

    /** Called by a caller that gave up on {@code id}, so that a late answer is expected, not suspicious. */
    void abandoned(RequestId id) {
        if (abandoned.size() >= ABANDONED_CAPACITY) {
            abandoned.clear(); // coarse bound; only the log level of late answers depends on it
        }
        abandoned.add(id);
    }

    private static String describe(Message message) {
        return switch (message) {
            case Request r -> "request " + r.method() + " (id " + r.id() + ")";
            case Notification n -> "notification " + n.method();
            case Response r -> "response (id " + r.id() + ")";
        };
    }
}
