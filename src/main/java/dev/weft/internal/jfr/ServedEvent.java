package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A request of the peer's, from its handler's start to its answer. Committed by the connection's reader. */
@Name("weft.Served")
@Label("Served Request")
@Category({"Weft", "JSON-RPC"})
@Description("A request the peer made and a handler here answered: its method, target, transport and outcome")
@StackTrace(false)
public final class ServedEvent extends Event {
    @Label("Method")
    public String method;

    @Label("Target")
    public String target;

    @Label("Transport")
    public String transport;

    @Label("Request Id")
    public String requestId;

    @Label("Outcome")
    @Description("answered, error (with its code), or cancelled by the peer")
    public String outcome;
}
