package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A connection's end: its whole life, from open to the reader's end, with the cause. */
@Name("weft.ConnectionClosed")
@Label("Connection Closed")
@Category({"Weft", "JSON-RPC"})
@Description("A connection ended (its duration is the connection's life): the transport, the cause, and how many"
        + " calls in flight failed with it")
@StackTrace(false)
public final class ConnectionClosedEvent extends Event {
    @Label("Transport")
    public String transport;

    @Label("Cause")
    public String cause;

    @Label("Failed Calls")
    @Description("Calls still waiting for an answer when the connection ended: each failed at once")
    public int failedCalls;
}
