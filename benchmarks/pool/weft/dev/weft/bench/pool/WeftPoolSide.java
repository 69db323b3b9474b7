package dev.weft.bench.pool;

import dev.weft.conversation.Conversation;
import dev.weft.mcp.CallToolResult;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import java.util.List;
import java.util.Map;

/**
 * Weft's host, with every default: {@code SessionPool.open(SessionPoolOptions.defaults())} once (in the timed part),
 * then per caller {@code Conversation.open(pool)} and one turn, {@code conversation.run(turn -> turn.callTool(key,
 * "echo", Map.of("message", ...)))}, where {@code key} is {@code TransportKey.stdio(argv)}, the same for every caller.
 * The time is taken on the conversation's thread, in the turn, as soon as {@code callTool} returns. Each caller closes
 * its conversation ({@code close()}); then the pool is closed ({@code close()}).
 */
public final class WeftPoolSide implements PoolSide {
    private SessionPool pool; // written by start(), before the callers are released
    private TransportKey key;
    private Conversation[] conversations;

    public static void main(String[] args) {
        PoolChild.run(args, new WeftPoolSide());
    }

    @Override
    public boolean platformCallers() {
        return false;
    }

    @Override
    public void start(List<String> server, int callers) {
        key = TransportKey.stdio(server);
        conversations = new Conversation[callers];
        pool = SessionPool.open(SessionPoolOptions.defaults());
    }

    @Override
    public long ready(int i) {
        Conversation conversation = Conversation.open(pool);
        conversations[i] = conversation;
        return conversation.run(turn -> {
            CallToolResult result = turn.callTool(key, "echo", Map.of("message", PoolChild.MESSAGE));
            long answered = System.nanoTime();
            if (result.isError()) {
                throw new IllegalStateException("tool error " + result);
            }
            PoolChild.check(result.text());
            return answered;
        });
    }

    @Override
    public void close(int i) {
        if (conversations[i] != null) {
            conversations[i].close();
        }
    }

    @Override
    public void finish() {
        pool.close();
    }

    @Override
    public String figures() {
        return "pool_sessions=" + pool.size();
    }
}
