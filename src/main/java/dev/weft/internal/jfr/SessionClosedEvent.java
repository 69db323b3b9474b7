package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** A pool's session left the pool. */
@Name("weft.SessionClosed")
@Label("Session Closed")
@Category({"Weft", "Pool"})
@Description("A session left the pool: the key, why (dead, idle, evicted, least recently used, pool closed), and how"
        + " long it lived")
@StackTrace(false)
public final class SessionClosedEvent extends Event {
    @Label("Key")
    public String key;

    @Label("Reason")
    public String reason;

    @Label("Lifetime")
    @Timespan(Timespan.NANOSECONDS)
    public long lifetime;
}
