package dev.weft.jsonrpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table of a connection's outgoing calls, and the connection's sticky end.
 *
 * <p><b>A call never outlives its reader.</b> {@link #end} sets the terminal cause once (CAS), then walks the table and
 * hands each call exactly one {@link PendingCall.Ended}. {@link #register} puts the call in the table and then re-reads
 * the end: either the walk sees the call, or the re-read sees the end, so no call can slip in between and wait forever.
 * A call leaves the table exactly once, by whichever of {@link #complete}, {@link #end}, {@link #violate}, {@link #fail} or
 * {@link #abandon} removes it first; only the remover delivers, so each call gets at most one terminal event. Once
 * the end is recorded no call succeeds: a completer re-reads the end after taking its call. The table is model checked
 * for linearizability and exactly-once delivery (PendingCallsLincheckTest).
 *
 * <p>Thread-safe and lock-free: callers register and abandon, the reader completes and routes, any thread may end.
 */
final class PendingCalls {
    private static final VarHandle END;

    static {
        try {
            END = MethodHandles.lookup().findVarHandle(PendingCalls.class, "end", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ConcurrentHashMap<RequestId, PendingCall> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, PendingCall> byRoute = new ConcurrentHashMap<>();
    private volatile Throwable end; // null while open; set once

    /**
     * Adds a call.
     *
     * @return {@code null} when the call is registered, or the terminal cause when the connection has ended (the call is
     *         then not registered)
     * @throws IllegalArgumentException if another pending call uses the same id or route key
     */
    Throwable register(PendingCall call) {
        Throwable ended = end;
        if (ended != null) {
            return ended;
        }
        if (byId.putIfAbsent(call.id, call) != null) {
            throw new IllegalArgumentException("request id " + call.id + " is in use by another pending call");
        }
        if (call.routeKey != null && byRoute.putIfAbsent(call.routeKey, call) != null) {
            byId.remove(call.id, call);
            throw new IllegalArgumentException("route key " + call.routeKey + " is in use by another pending call");
        }
        ended = end;
        if (ended != null) {
            abandon(call);
            return ended;
        }
        return null;
    }

    /**
     * Delivers a response to its call. Returns {@code false} when no call waits for that id, or when the table has
     * ended (the call then gets the end instead: after the end, no call succeeds).
     */
    boolean complete(Response response) {
        return deliverTo(response.id(), response, 0);
    }

    /**
     * Delivers a response that came after {@code notificationsBefore} notifications were queued for the dispatcher: the
     * caller takes it once those have been handled.
     */
    boolean complete(Response response, long notificationsBefore) {
        return deliverTo(response.id(), response, notificationsBefore);
    }

    /** Fails the call whose exchange the transport could not carry; {@code false} as for {@link #complete}. */
    boolean fail(RequestFailedException failure) {
        return deliverTo(failure.id(), new PendingCall.Failed(failure), 0);
    }

    /** Fails the call with a broken response; {@code false} as for {@link #complete}. */
    boolean violate(RequestId id, MalformedMessageException defect) {
        return deliverTo(id, new PendingCall.Violation(defect), 0);
    }

    /**
     * Takes the call out of the table, then re-reads the end: an end recorded in between wins, so the outcome is
     * linearizable (found by model checking: without the re-read, a call could still succeed after the end).
     */
    private boolean deliverTo(RequestId id, Object event, long notificationsBefore) {
        PendingCall call = take(id);
        if (call == null) {
            return false;
        }
        call.notificationsBefore = notificationsBefore; // published by the delivery below
        Throwable ended = end;
        if (ended != null) {
            call.deliver(new PendingCall.Ended(ended));
            return false;
        }
        call.deliver(event);
        return true;
    }

    /** Delivers a notification to the call filed under {@code routeKey}. Returns {@code false} when there is none. */
    boolean route(Object routeKey, Notification notification) {
        PendingCall call = byRoute.get(routeKey);
        if (call == null) {
            return false;
        }
        call.deliver(notification);
        return true;
    }

    /**
     * Ends the table: records {@code cause} (the first cause wins) and fails every pending call with the recorded
     * cause. Idempotent.
     *
     * @return the recorded cause, which is {@code cause} unless the table had already ended
     */
    Throwable end(Throwable cause) {
        END.compareAndSet(this, null, cause);
        Throwable recorded = end;
        for (PendingCall call : byId.values()) {
            if (byId.remove(call.id, call)) {
                unroute(call);
                call.deliver(new PendingCall.Ended(recorded));
            }
        }
        return recorded;
    }

    /** Removes a call that its caller gave up on (answered, timed out, cancelled). Idempotent. */
    void abandon(PendingCall call) {
        byId.remove(call.id, call);
        unroute(call);
    }

    /** The terminal cause, or {@code null} while the connection is open. */
    Throwable end() {
        return end;
    }

    /** The number of calls waiting for an answer. */
    int size() {
        return byId.size();
    }

    private PendingCall take(RequestId id) {
        if (id == null) {
            return null;
        }
        PendingCall call = byId.remove(id);
        if (call != null) {
            unroute(call);
        }
        return call;
    }

    private void unroute(PendingCall call) {
        if (call.routeKey != null) {
            byRoute.remove(call.routeKey, call);
        }
    }
}
