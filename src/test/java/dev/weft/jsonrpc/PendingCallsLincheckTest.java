package dev.weft.jsonrpc;

import com.fasterxml.jackson.databind.node.NullNode;
import java.io.EOFException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checking of the pending-call table with Lincheck: every interleaving of register, complete, abandon, end and
 * draining (within the explored bounds) must be linearizable, and no call may ever receive two terminal events. This
 * is the race the comment in {@link PendingCalls} argues away (a register racing the end); here it is explored, not
 * argued.
 */
@Param(name = "k", gen = IntGen.class, conf = "0:2")
public class PendingCallsLincheckTest {
    private static final EOFException CAUSE = new EOFException("end");

    private final PendingCalls table = new PendingCalls();
    private int nextId; // the registrar's only
    private final Map<Integer, PendingCall> registered = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> terminalEvents = new ConcurrentHashMap<>();

    /**
     * Registers a call with the next id; returns the id, or -1 when the table had ended. Ids come from one registrar
     * (a non-parallel group), as a connection's id counter makes them unique: the races explored are those of a
     * register against complete, abandon, end and drain.
     */
    @Operation(nonParallelGroup = "registrar")
    public int register() {
        int id = nextId++;
        PendingCall call = new PendingCall(RequestId.of(id), "m", null, new BriefSpin());
        if (table.register(call) != null) {
            return -1;
        }
        registered.put(id, call);
        return id;
    }

    @Operation
    public boolean complete(@Param(name = "k") int k) {
        return table.complete(new Response.Success(RequestId.of(k), NullNode.getInstance()));
    }

    @Operation
    public void abandon(@Param(name = "k") int k) {
        PendingCall call = registered.get(k);
        if (call != null) {
            table.abandon(call);
        }
    }

    @Operation
    public void end() {
        table.end(CAUSE);
    }

    /** Drains call {@code k}'s mailbox; returns the terminal events it has received so far in all. */
    @Operation
    public int drain(@Param(name = "k") int k) throws InterruptedException {
        PendingCall call = registered.get(k);
        if (call == null) {
            return 0;
        }
        AtomicInteger count = terminalEvents.computeIfAbsent(k, x -> new AtomicInteger());
        while (call.poll(0, false) != null) {
            count.incrementAndGet();
        }
        return count.get();
    }

    @Operation
    public boolean open() {
        return table.end() == null;
    }

    /** After every scenario: at most one terminal event per call, and an ended table holds no call. */
    @Validate
    public void atMostOneTerminalEventAndNothingLeftAfterTheEnd() throws InterruptedException {
        for (Map.Entry<Integer, PendingCall> e : registered.entrySet()) {
            int events = terminalEvents.getOrDefault(e.getKey(), new AtomicInteger()).get();
            while (e.getValue().poll(0, false) != null) {
                events++;
            }
            if (events > 1) {
                throw new IllegalStateException("call " + e.getKey() + " received " + events + " terminal events");
            }
        }
        if (table.end() != null && table.size() != 0) {
            throw new IllegalStateException(table.size() + " calls left in an ended table");
        }
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions().iterations(20).invocationsPerIteration(300).threads(3).actorsPerThread(3)
                .check(getClass());
    }
}
