package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An outgoing JSON-RPC request, from send to outcome. Committed by the connection; thread-confined until then. */
@Name("weft.Call")
@Label("Call")
@Category({"Weft", "JSON-RPC"})
@Description("A request this side made: its method, the tool, prompt or resource it names, the transport, and how it"
        + " ended")
@StackTrace(false)
public final class CallEvent extends Event {
    @Label("Method")
    public String method;

    @Label("Target")
    @Description("The tool or prompt name, or the resource URI, the request names; empty for others")
    public String target;

    @Label("Transport")
    public String transport;

    @Label("Request Id")
    public String requestId;

    @Label("Outcome")
    @Description("ok, peer error (with its code), timeout, cancelled, transport closed, exchange failed, or protocol"
            + " violation")
    public String outcome;
}
