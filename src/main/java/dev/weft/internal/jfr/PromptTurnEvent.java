package dev.weft.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An ACP prompt turn, from the prompt to its end. */
@Name("weft.PromptTurn")
@Label("Prompt Turn")
@Category({"Weft", "ACP"})
@Description("An ACP prompt turn: the session, the agent, how it ended, how many updates and tool calls it had, and"
        + " how many tool calls the client had to end itself")
@StackTrace(false)
public final class PromptTurnEvent extends Event {
    @Label("Session")
    @Description("The session id's last 8 characters (agents treat ids as secrets)")
    public String session;

    @Label("Agent")
    public String agent;

    @Label("Outcome")
    public String outcome;

    @Label("Updates")
    public int updates;

    @Label("Tool Calls")
    public int toolCalls;

    @Label("Closed By Client")
    @Description("Tool calls the agent left open that the client ended with a failed update of its own")
    public int closedByClient;
}
