package dev.weft.cli;

import dev.weft.acp.PromptResult;
import dev.weft.acp.SessionUpdate;
import dev.weft.acp.ToolCallContent;
import dev.weft.acp.ToolCallStatus;
import dev.weft.mcp.Content;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An agent's turn as a person reads it: the agent's message as it streams, its thoughts, each tool call when it
 * begins and when its status changes, plans as checklists, and mode changes on {@code out}; usage and the stop reason
 * on {@code err}.
 *
 * <p>Not thread-safe: one turn, on the prompting thread.
 */
final class AcpRender {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> titles = new HashMap<>(); // tool call id -> title
    private String streaming = ""; // the kind of chunk whose text is being printed, or "" at the start of a line

    AcpRender(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void update(SessionUpdate update) {
        switch (update) {
            case SessionUpdate.AgentMessageChunk chunk -> chunk("message", "", chunk.content());
            case SessionUpdate.AgentThoughtChunk chunk -> chunk("thought", "(thinking) ", chunk.content());
            case SessionUpdate.UserMessageChunk chunk -> chunk("user", "> ", chunk.content());
            case SessionUpdate.ToolCall call -> {
                titles.put(call.toolCallId(), call.title() == null ? call.toolCallId() : call.title());
                line("[tool] " + title(call.toolCallId()) + (call.toolKind() == null ? ""
                        : " (" + call.toolKind().name().toLowerCase(Locale.ROOT) + ")") + ": "
                        + status(call.statusOrPending()));
            }
            case SessionUpdate.ToolCallUpdate change -> toolCallUpdate(change);
            case SessionUpdate.Plan plan -> {
                line("Plan:");
                for (SessionUpdate.PlanEntry entry : plan.entries()) {
                    String box = entry.status() == null ? "[ ]" : switch (entry.status()) {
                        case COMPLETED -> "[x]";
                        case IN_PROGRESS -> "[>]";
                        case PENDING -> "[ ]";
                    };
                    line("  " + box + " " + entry.content());
                }
            }
            case SessionUpdate.CurrentModeUpdate mode -> line("[mode] " + mode.currentModeId());
            case SessionUpdate.AvailableCommandsUpdate commands -> line("[commands] " + String.join(", ",
                    commands.availableCommands().stream().map(c -> "/" + c.name()).toList()));
            case SessionUpdate.UsageUpdate usage -> {
                endLine();
                err.println("usage: " + usage.used() + " of " + usage.size() + " tokens" + (usage.cost() == null ? ""
                        : ", " + usage.cost().amount() + " " + usage.cost().currency()));
            }
            case SessionUpdate.SessionInfoUpdate info -> {
                if (info.title() != null) {
                    line("[title] " + info.title());
                }
            }
            case SessionUpdate.ConfigOptionUpdate config -> { }
            case SessionUpdate.Other other -> { }
        }
    }

    /** The turn's end: the stop reason on {@code err}. */
    void end(PromptResult result) {
        endLine();
        err.println("stop: " + result.stopReason().name().toLowerCase(Locale.ROOT)
                + (result.answered() ? "" : " (the agent did not answer the cancel in time)"));
    }

    /** Ends the line of a streaming chunk, so that what comes next starts on a line of its own. */
    void endLine() {
        if (!streaming.isEmpty()) {
            out.println();
            streaming = "";
        }
        out.flush();
    }

    private void toolCallUpdate(SessionUpdate.ToolCallUpdate change) {
        if (change.title() != null) {
            titles.put(change.toolCallId(), change.title());
        }
        if (change.status() != null) {
            String why = change.synthesized() && change.rawOutput() != null
                    ? " (ended by weft: " + change.rawOutput().path("weft").asText() + ")" : "";
            line("[tool] " + title(change.toolCallId()) + ": " + status(change.status()) + why);
        }
        if (change.content() != null && !change.synthesized()) {
            for (ToolCallContent content : change.content()) {
                switch (content) {
                    case ToolCallContent.Block block -> {
                        String text = block.content() instanceof Content.Text t ? t.text().strip() : "";
                        if (!text.isEmpty()) {
                            text.lines().limit(5).forEach(l -> line("       " + l));
                        }
                    }
                    case ToolCallContent.Diff diff -> line("       edit " + diff.path());
                    case ToolCallContent.Terminal terminal -> line("       terminal " + terminal.terminalId());
                    case ToolCallContent.Unknown unknown -> { }
                }
            }
        }
    }

    private String title(String toolCallId) {
        return titles.getOrDefault(toolCallId, toolCallId);
    }

    private static String status(ToolCallStatus status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private void chunk(String kind, String prefix, Content content) {
        String text = content instanceof Content.Text t ? t.text() : "[" + content.type() + "]";
        if (!streaming.equals(kind)) {
            endLine();
            out.print(prefix);
            streaming = kind;
        }
        out.print(text);
        if (text.endsWith("\n")) {
            streaming = "";
        }
        out.flush();
    }

    private void line(String text) {
        endLine();
        out.println(text);
    }
}
