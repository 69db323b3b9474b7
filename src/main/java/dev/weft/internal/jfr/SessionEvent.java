package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A pool's session made (its duration is the making) or failed to be made. */
@Name("weft.SessionCreated")
@Label("Session Created")
@Category({"Weft", "Pool"})
@Description("The pool made a session for a key, or failed to: the key, the outcome, and how long it took")
@StackTrace(false)
public final class SessionEvent extends Event {
    @Label("Key")
    public String key;

    @Label("Outcome")
    public String outcome;
}
