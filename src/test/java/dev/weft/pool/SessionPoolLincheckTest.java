package dev.weft.pool;

import dev.weft.mcp.McpSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool under Lincheck's stress mode, called from platform threads (Lincheck's own): every concurrent run of
 * {@code session} and {@code evict} on two keys must be linearizable against the sequential pool, in which a key's
 * session is made by its first caller, kept for every later one, and replaced after an eviction. A session is named by
 * its key and its number among that key's sessions, so a second session made for a key by a racing caller, or a
 * caller handed a dead one, breaks the comparison. Model checking does not apply: the pool makes each session on a
 * virtual thread of its own, which Lincheck's scheduler does not drive. The property test
 * ({@link SessionPoolPropertyTest}) pins the cold-caller interleavings on virtual threads.
 */
@Tag("concurrency")
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@SuppressWarnings("exports") // public for Lincheck, which constructs it reflectively; a test, not API
public class SessionPoolLincheckTest {
    private static final List<TransportKey> KEYS = List.of(TransportKey.stdio("a"), TransportKey.stdio("b"));

    private final MemoryServers servers = new MemoryServers();
    private final Map<TransportKey, AtomicInteger> made = new ConcurrentHashMap<>();
    private final Map<McpSession, Integer> numbers = new ConcurrentHashMap<>();
    private final SessionPool pool = SessionPool.open(SessionPoolOptions.defaults().withIdleTimeout(null)
            .withFactory((key, options) -> {
                McpSession session = servers.open(options);
                numbers.put(session, made.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet());
                return session;
            }));

    /** The number of the key's session this caller got: 1 for its first session, 2 after one eviction, ... */
    @Operation
    public int session(@Param(name = "key") int key) {
        return numbers.get(pool.session(KEYS.get(key)));
    }

    /** Evicts the key's session; whether there was one. */
    @Operation
    public boolean evict(@Param(name = "key") int key) {
        return pool.evict(KEYS.get(key));
    }

    /** After every run: nothing left open. */
    @Validate
    public void closeEverything() {
        pool.close();
        servers.close();
        if (pool.size() != 0) {
            throw new IllegalStateException(pool.size() + " sessions left in a closed pool");
        }
    }

    /** The sequential pool the concurrent runs are compared with, without sessions to make or close. */
    public static final class Sequential {
        private final int[] current = new int[KEYS.size()]; // the number of the key's live session; 0 for none
        private final int[] made = new int[KEYS.size()];

        public int session(int key) {
            if (current[key] == 0) {
                current[key] = ++made[key];
            }
            return current[key];
        }

        public boolean evict(int key) {
            boolean had = current[key] != 0;
            current[key] = 0;
            return had;
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(20).invocationsPerIteration(20).threads(3).actorsPerThread(2)
                .sequentialSpecification(Sequential.class).check(getClass());
    }
}
