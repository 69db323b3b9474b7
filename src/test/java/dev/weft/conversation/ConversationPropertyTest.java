package dev.weft.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.conversation.ConversationEvent.ToolCallCompleted;
import dev.weft.conversation.ConversationEvent.ToolCallFailed;
import dev.weft.conversation.ConversationEvent.ToolCallProgress;
import dev.weft.conversation.ConversationEvent.ToolCallStarted;
import dev.weft.mcp.McpSession;
import dev.weft.pool.MemoryServers;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import dev.weft.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guards the second seed, OpenHands software-agent-sdk #3358: a turn ran on a worker thread while the caller held the
 * conversation's reentrant state lock, and a callback on the worker re-entered the lock and deadlocked; the review
 * found live tool-call events still racing from the reader's thread, and a cancellation that left in-flight tool
 * calls without a terminal event.
 *
 * <p>Each example runs a turn of up to five parallel calls (some report progress, some hold until cancelled) whose
 * listener takes the state lock on every event, and cancels the turn at a random point (after a random number of
 * events, from the listener itself, or never when no call holds). Against the naive design the example fails: a
 * listener on another thread blocks on the lock the turn holds (the turn never ends; the bounded wait fails), events
 * from a reader thread interleave out of order or after the result, and a cancel leaves calls with no terminal event.
 * Here every event runs on the conversation's thread with the lock held twice (the turn's hold and its own), each
 * call's events come in order with exactly one terminal event, last, before the turn returns, and after a cancel the
 * conversation is paused and its next turn runs. A failing example prints its seed; {@code -DQT_SEED=<seed>}
 * replays it.
 */
@Tag("concurrency")
class ConversationPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final TransportKey SERVER = TransportKey.stdio("memory-server");

    private final MemoryServers servers = new MemoryServers();
    private final SessionPool pool = SessionPool.open(SessionPoolOptions.defaults()
            .withFactory((key, options) -> McpSession.open(servers.transport(), options)));

    @AfterEach
    void close() {
        pool.close();
        servers.close();
    }

    @Test
    void listenersTakeTheStateLockEventsComeInOrderBeforeTheResultAndACancelOrphansNoCall() {
        qt().withExamples(80).withShrinkCycles(10)
                .forAll(integers().between(1, 5), lists().of(integers().between(0, 4)).ofSize(5),
                        lists().of(booleans().all()).ofSize(5), integers().between(0, 5))
                .checkAssert((calls, progress, holds, cancelAfter) -> {
                    try {
                        check(calls, progress, holds, cancelAfter);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private void check(int calls, List<Integer> progress, List<Boolean> holds, int cancelAfter)
            throws InterruptedException {
        boolean anyHold = holds.subList(0, calls).contains(true);
        // 0 means "never cancel"; a turn with a holding call must be cancelled, after at most `calls` events (the
        // start events, which every call has).
        int cancelAt = cancelAfter == 0 && !anyHold ? 0 : Math.max(1, Math.min(cancelAfter, calls));
        List<ConversationEvent> events = new CopyOnWriteArrayList<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicReference<Conversation> self = new AtomicReference<>();
        AtomicReference<Thread> turnThread = new AtomicReference<>();
        Conversation conversation = Conversation.open(pool, ConversationOptions.defaults().withListener(event -> {
            Conversation c = self.get();
            c.stateLock().lock(); // the seed's deadlock, if this ran anywhere but on the turn's own thread
            try {
                if (Thread.currentThread() != turnThread.get()) {
                    wrong.add("event on " + Thread.currentThread());
                }
                if (c.stateLock().getHoldCount() != 2) {
                    wrong.add("hold count " + c.stateLock().getHoldCount());
                }
                events.add(event);
                if (events.size() == cancelAt) {
                    c.cancel();
                }
            } finally {
                c.stateLock().unlock();
            }
        }));
        self.set(conversation);
        try {
            List<ToolCall> turnCalls = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                turnCalls.add(holds.get(i) ? ToolCall.of(SERVER, "hold", Map.of())
                        : ToolCall.of(SERVER, "count", Map.of("n", progress.get(i))));
            }
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread runner = Thread.ofVirtual().start(() -> {
                try {
                    outcome.set(conversation.run(turn -> {
                        turnThread.set(Thread.currentThread());
                        List<ToolCallOutcome> outcomes = turn.callTools(turnCalls);
                        outcome.set(List.copyOf(events)); // what the listener had seen when the outcomes came
                        return outcomes;
                    }));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            assertThat(runner.join(PATIENCE)).as("the turn ended (no deadlock)").isTrue();
            assertThat(wrong).isEmpty();

            Map<Long, List<ConversationEvent>> byCall = new HashMap<>();
            for (ConversationEvent event : events) {
                if (event instanceof ConversationEvent.ToolCallEvent callEvent) {
                    byCall.computeIfAbsent(callEvent.callId(), id -> new ArrayList<>()).add(event);
                }
            }
            assertThat(byCall).hasSize(calls);
            byCall.values().forEach(ConversationPropertyTest::checkOrder);
            if (cancelAt == 0) {
                assertThat(outcome.get()).isInstanceOf(List.class);
                assertThat((List<?>) outcome.get())
                        .allSatisfy(o -> assertThat(o).isInstanceOf(ToolCallOutcome.Completed.class));
                assertThat(conversation.status()).isEqualTo(Conversation.Status.IDLE);
            } else {
                assertThat(outcome.get()).isInstanceOf(TurnCancelledException.class);
                assertThat(conversation.status()).isEqualTo(Conversation.Status.PAUSED);
            }
            Await.until(() -> pool.sessionIfPresent(SERVER).map(s -> s.pendingRequests() == 0).orElse(true),
                    PATIENCE, "no call left in flight");
            String next = conversation.run(turn -> turn.callTool(SERVER, "echo", Map.of("message", "next")).text());
            assertThat(next).isEqualTo("next");
        } finally {
            conversation.close();
        }
    }

    /** One call's events: started, progress in order, then exactly one terminal event, last. */
    private static void checkOrder(List<ConversationEvent> events) {
        assertThat(events.getFirst()).isInstanceOf(ToolCallStarted.class);
        ConversationEvent last = events.getLast();
        assertThat(last).isInstanceOfAny(ToolCallCompleted.class, ToolCallFailed.class);
        assertThat(events).filteredOn(e -> e instanceof ToolCallCompleted || e instanceof ToolCallFailed).hasSize(1);
        double seen = 0;
        for (ConversationEvent event : events.subList(1, events.size() - 1)) {
            assertThat(event).isInstanceOf(ToolCallProgress.class);
            double value = ((ToolCallProgress) event).progress().progress();
            assertThat(value).isGreaterThan(seen);
            seen = value;
        }
    }
}
