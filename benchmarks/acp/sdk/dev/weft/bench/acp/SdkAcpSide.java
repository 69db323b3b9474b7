package dev.weft.bench.acp;

import com.agentclientprotocol.sdk.client.AcpClient;
import com.agentclientprotocol.sdk.client.AcpSyncClient;
import com.agentclientprotocol.sdk.client.transport.AgentParameters;
import com.agentclientprotocol.sdk.client.transport.StdioAcpClientTransport;
import com.agentclientprotocol.sdk.json.AcpJsonMapper;
import com.agentclientprotocol.sdk.spec.AcpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * acp-core 0.14.0's sync client (agentclientprotocol/java-sdk), with every default, as its README and javadoc make one:
 * {@code new StdioAcpClientTransport(AgentParameters.builder(cmd).args(...).build(), AcpJsonMapper.createDefault())},
 * {@code AcpClient.sync(transport).sessionUpdateConsumer(consumer).build()} (30 s request timeout, the prompt included;
 * the consumer runs on {@code AcpClient.SYNC_HANDLER_SCHEDULER}, a cached thread pool), {@code initialize()},
 * {@code newSession(new NewSessionRequest(cwd, List.of()))}, {@code prompt(new PromptRequest(sessionId,
 * List.of(new TextContent(text))))}, {@code cancel(new CancelNotification(sessionId))}, {@code close()}.
 *
 * <p>The client has one update consumer for its life; it hands each update to the listener of the prompt that runs.
 */
public final class SdkAcpSide implements AcpSide {
    private AcpSyncClient client;
    private String sessionId;
    private volatile Listener listener; // of the running prompt

    public static void main(String[] args) {
        AcpChild.run(args, new SdkAcpSide());
    }

    @Override
    public void open(List<String> argv, Path cwd) {
        AgentParameters params = AgentParameters.builder(argv.get(0)).args(argv.subList(1, argv.size())).build();
        StdioAcpClientTransport transport = new StdioAcpClientTransport(params, AcpJsonMapper.createDefault());
        client = AcpClient.sync(transport).sessionUpdateConsumer(this::onUpdate).build();
        client.initialize();
        sessionId = client.newSession(new AcpSchema.NewSessionRequest(cwd.toAbsolutePath().toString(), List.of()))
                .sessionId();
    }

    private void onUpdate(AcpSchema.SessionNotification notification) {
        Listener current = listener;
        if (current != null) {
            current.update(convert(notification.update()));
        }
    }

    private static Update convert(AcpSchema.SessionUpdate update) {
        return switch (update) {
            case AcpSchema.AgentMessageChunk chunk when chunk.content() instanceof AcpSchema.TextContent text ->
                    new Update(Kind.MESSAGE, text.text(), null, null, false);
            case AcpSchema.ToolCall call -> new Update(Kind.TOOL_CALL, null, call.toolCallId(),
                    call.status() == null ? "pending" : wire(call.status()), false);
            case AcpSchema.ToolCallUpdateNotification change ->
                    new Update(Kind.TOOL_CALL_UPDATE, null, change.toolCallId(), wire(change.status()), false);
            default -> new Update(Kind.OTHER, null, null, null, false);
        };
    }

    private static String wire(AcpSchema.ToolCallStatus status) {
        return status == null ? null : status.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String prompt(String text, Listener listener) {
        this.listener = listener;
        AcpSchema.PromptResponse response = client.prompt(new AcpSchema.PromptRequest(sessionId,
                List.of(new AcpSchema.TextContent(text))));
        return response.stopReason().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void cancel() {
        client.cancel(new AcpSchema.CancelNotification(sessionId));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        client = null;
        sessionId = null;
    }

    @Override
    public String defaults() {
        return "requestTimeout=PT30S (AcpClient.SyncSpec's default, the prompt included) closeTimeout=10s";
    }
}
