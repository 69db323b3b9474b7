package dev.weft.jsonrpc;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/**
 * One outgoing call waiting for its answer: a mailbox that the reader fills and the calling thread drains, in order.
 *
 * <p>The reader only ever offers (never blocks, never runs user code); the caller polls. Everything that concerns the
 * call, routed notifications first and then its one terminal event (a response, the transport's end, or a protocol
 * violation), goes through the mailbox in arrival order, so the caller sees every event before the result.
 */
final class PendingCall {
    /** The transport ended; {@code cause} is its terminal error. */
    record Ended(Throwable cause) {
    }

    /** The transport failed this call's exchange but goes on. */
    record Failed(RequestFailedException failure) {
    }

    /** A response for this call arrived but was not a valid response. */
    record Violation(MalformedMessageException defect) {
    }

    final RequestId id;
    final String method;
    final Object routeKey; // null when the call takes no routed notifications
    // How many notifications had been queued for the dispatcher when the answer came: the caller sees the answer once
    // they have been handled. Written before the answer is delivered, read after it is taken (the mailbox orders them).
    long notificationsBefore;
    private final LinkedTransferQueue<Object> mailbox = new LinkedTransferQueue<>();
    private final BriefSpin spin;

    PendingCall(RequestId id, String method, Object routeKey, BriefSpin spin) {
        this.id = id;
        this.method = method;
        this.routeKey = routeKey;
        this.spin = spin;
    }

    /** Called by the reader (or the closing thread); never blocks. */
    void deliver(Object event) {
        mailbox.offer(event);
    }

    /**
     * Called by the calling thread only. Returns {@code null} when {@code nanos} elapsed first. With {@code alone} (no
     * other call of the connection is pending) it may spin briefly before it parks; in a crowd it parks at once, since
     * answers then come back to back and a spinner would take the processor from the thread that reads them.
     */
    Object poll(long nanos, boolean alone) throws InterruptedException {
        Object event = alone && nanos > BriefSpin.BUDGET_NANOS ? spin.poll(mailbox) : null;
        return event != null ? event : mailbox.poll(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return method + " (id " + id + ")";
    }
}
