package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets one piece of work, running on a thread that goes on to other work afterwards, be cancelled by interrupting that
 * thread, without the interrupt ever landing after the work is done: a request served on a transport's own thread, a
 * conversation's turn.
 *
 * <p>The worker calls {@link #enter} first and {@link #exit} last; a canceller calls {@link #cancel}, once or many
 * times, from any thread. Either the canceller sees the worker inside and interrupts it, or the worker, having entered,
 * sees that it was cancelled. While a canceller is interrupting ({@code INTERRUPTING}), {@code exit} waits for it to be
 * done, as {@code FutureTask} does, and then clears the interrupt flag.
 *
 * <p>{@code state}: {@code NEW -> INSIDE (-> INTERRUPTING -> INSIDE) -> DONE}, by compare-and-set. Thread-safe.
 */
public final class InterruptGate {
    private static final int NEW = 0;
    private static final int INSIDE = 1;
    private static final int INTERRUPTING = 2;
    private static final int DONE = 3;
    private static final VarHandle STATE;
    private static final VarHandle CANCELLED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(InterruptGate.class, "state", int.class);
            CANCELLED = lookup.findVarHandle(InterruptGate.class, "cancelled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state = NEW;
    private volatile boolean cancelled;
    private volatile Thread worker;

    /** On the worker's thread, first: publishes it; {@code false} if the work was cancelled already. */
    public boolean enter() {
        worker = Thread.currentThread();
        state = INSIDE;
        return !cancelled;
    }

    /**
     * Any thread: marks the work cancelled, and interrupts its thread if the work is running; the first call only, so
     * that work winding down after the interrupt is not disturbed again.
     *
     * @return whether this call cancelled it
     */
    public boolean cancel() {
        if (!CANCELLED.compareAndSet(this, false, true)) {
            return false;
        }
        if (STATE.compareAndSet(this, INSIDE, INTERRUPTING)) {
            try {
                worker.interrupt();
            } finally {
                state = INSIDE;
            }
        }
        return true;
    }

    /** Whether {@link #cancel} was called. */
    public boolean cancelled() {
        return cancelled;
    }

    /** On the worker's thread, after {@link #enter}: no interrupt of a canceller lands after this, and none is left. */
    public void exit() {
        while (!STATE.compareAndSet(this, INSIDE, DONE)) {
            Thread.yield(); // a canceller is interrupting this thread right now
        }
        Thread.interrupted();
    }
}
