package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A callback that waited in a queue for the thread that runs host code: an event or a server's (or agent's) request,
 * from the moment a connection thread queued it to the moment the conversation's (or prompting) thread ran it.
 */
@Name("weft.CallbackQueue")
@Label("Callback Queue")
@Category({"Weft", "Callbacks"})
@Description("How long a callback waited for the thread that runs host code (a conversation's, or a prompt's)")
@StackTrace(false)
public final class CallbackQueueEvent extends Event {
    @Label("Owner")
    @Description("The conversation, or the ACP session, whose thread ran it")
    public String owner;

    @Label("Kind")
    public String kind;

    @Label("Latency")
    @Timespan(Timespan.NANOSECONDS)
    public long latency;

    /** Commits one, if a recording wants it; {@code queuedAt} is the {@link System#nanoTime()} of the queueing. */
    public static void emit(String owner, String kind, long queuedAt) {
        CallbackQueueEvent event = new CallbackQueueEvent();
        if (event.shouldCommit()) {
            event.owner = owner;
            event.kind = kind;
            event.latency = System.nanoTime() - queuedAt;
            event.commit();
        }
    }
}
