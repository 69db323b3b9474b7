package dev.weft.bench.acp;

import dev.weft.acp.AcpClient;
import dev.weft.acp.AcpClientOptions;
import dev.weft.acp.AcpSession;
import dev.weft.acp.PromptResult;
import dev.weft.acp.SessionUpdate;
import dev.weft.acp.ToolCallStatus;
import dev.weft.mcp.Content;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Weft's ACP client, with every default: {@code AcpClient.start(argv, AcpClientOptions.defaults())},
 * {@code agent.newSession(cwd, List.of())}, {@code session.prompt(text, listener)} (the listener runs on the prompting
 * thread, in order, before {@code prompt} returns), {@code session.cancel()}, {@code agent.close()}.
 */
public final class WeftAcpSide implements AcpSide {
    private AcpClient agent;
    private AcpSession session;

    public static void main(String[] args) {
        AcpChild.run(args, new WeftAcpSide());
    }

    @Override
    public void open(List<String> argv, Path cwd) throws Exception {
        agent = AcpClient.start(argv, AcpClientOptions.defaults());
        session = agent.newSession(cwd, List.of());
    }

    @Override
    public String prompt(String text, Listener listener) {
        PromptResult result = session.prompt(text, update -> listener.update(convert(update)));
        return result.stopReason().name().toLowerCase(Locale.ROOT);
    }

    private static Update convert(SessionUpdate update) {
        return switch (update) {
            case SessionUpdate.AgentMessageChunk chunk when chunk.content() instanceof Content.Text text ->
                    new Update(Kind.MESSAGE, text.text(), null, null, false);
            case SessionUpdate.ToolCall call ->
                    new Update(Kind.TOOL_CALL, null, call.toolCallId(), wire(call.statusOrPending()), false);
            case SessionUpdate.ToolCallUpdate change ->
                    new Update(Kind.TOOL_CALL_UPDATE, null, change.toolCallId(), wire(change.status()),
                            change.synthesized());
            default -> new Update(Kind.OTHER, null, null, null, false);
        };
    }

    private static String wire(ToolCallStatus status) {
        return status == null ? null : status.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void cancel() {
        session.cancel();
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        agent = null;
        session = null;
    }

    @Override
    public String defaults() {
        AcpClientOptions o = AcpClientOptions.defaults();
        return "requestTimeout=" + o.requestTimeout() + " promptIdleTimeout=" + o.promptIdleTimeout() + " cancelDrain="
                + o.cancelDrain();
    }
}
