package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A caller that found no live session for its key, from then until it had one (or a failure). */
@Name("weft.PoolWait")
@Label("Pool Wait")
@Category({"Weft", "Pool"})
@Description("A caller waited for a session of a key: while another caller made it, or while it made it itself")
@StackTrace(false)
public final class PoolWaitEvent extends Event {
    @Label("Key")
    public String key;

    @Label("Made Here")
    @Description("Whether this caller made the session (else it waited for another's attempt)")
    public boolean madeHere;

    @Label("Outcome")
    public String outcome;
}
