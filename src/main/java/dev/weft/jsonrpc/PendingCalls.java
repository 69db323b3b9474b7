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
 * A call leaves the table exactly once, by whichever of {@link #complete}, {@link #end}, {@link #violate} or
 * {@link #abandon} removes it first; only the remover delivers, so each call gets at most one terminal event.
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
     * @throws IllegalArgumentException if another pending call uses the same route key
     */
    Throwable register(PendingCall call) {
        Throwable ended = end;
        if (ended != null) {
            return ended;
        }
        if (call.routeKey != null && byRoute.putIfAbsent(call.routeKey, call) != null) {
            throw new IllegalArgumentException("route key " + call.routeKey + " is in use by another pending call");
        }
        byId.put(call.id, call);
        ended = end;
        if (ended != null) {
            abandon(call);
            return ended;
        }
        return null;
    }

    /** Delivers a response to its call. Returns {@code false} when no call waits for that id. */
    boolean complete(Response response) {
        PendingCall call = take(response.id());
        if (call == null) {
            return false;
        }
        call.deliver(response);
        return true;
    }

    /** Fails the call with a broken response. Returns {@code false} when no call waits for that id. */
    boolean violate(RequestId id, MalformedMessageException defect) {
        PendingCall call = take(id);
        if (call == null) {
            return false;
        }
        call.deliver(new PendingCall.Violation(defect));
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
