package dev.weft.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.conversation.ConversationEvent.ToolCallCompleted;
import dev.weft.conversation.ConversationEvent.ToolCallFailed;
import dev.weft.conversation.ConversationEvent.ToolCallProgress;
import dev.weft.conversation.ConversationEvent.ToolCallStarted;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.CallToolResult;
import dev.weft.pool.MemoryServers;
import dev.weft.pool.SessionPool;
import dev.weft.pool.SessionPoolOptions;
import dev.weft.pool.TransportKey;
import dev.weft.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A conversation's contract, one property per test, over a pool of in-memory servers. */
@Tag("concurrency")
class ConversationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final TransportKey SERVER = TransportKey.stdio("memory-server");

    private final MemoryServers servers = new MemoryServers();
    private final SessionPool pool = SessionPool.open(SessionPoolOptions.defaults()
            .withFactory((key, options) -> dev.weft.mcp.McpSession.open(servers.transport(), options)));
    private final List<Conversation> conversations = new ArrayList<>();
    private final List<ConversationEvent> events = new CopyOnWriteArrayList<>();
    private final List<Thread> eventThreads = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        conversations.forEach(Conversation::close);
        pool.close();
        servers.close();
    }

    private Conversation open(ConversationOptions options) {
        Conversation conversation = Conversation.open(pool, options.withListener(event -> {
            events.add(event);
            eventThreads.add(Thread.currentThread());
            options.listener().accept(event);
        }));
        conversations.add(conversation);
        return conversation;
    }

    private Conversation open() {
        return open(ConversationOptions.defaults().withBackoff(Duration.ofMillis(1)));
    }

    @Test
    void aTurnRunsOnTheConversationsThreadHoldingTheStateLockAndEveryEventComesThereInOrderBeforeTheResult() {
        Conversation conversation = open();
        AtomicReference<Thread> turnThread = new AtomicReference<>();

        String text = conversation.run(turn -> {
            turnThread.set(Thread.currentThread());
            assertThat(conversation.stateLock().isHeldByCurrentThread()).isTrue();
            CallToolResult result = turn.callTool(SERVER, "count", Map.of("n", 3));
            // every event of the call was delivered before its result came back
            assertThat(events).hasSize(5);
            return result.text();
        });

        assertThat(text).isEqualTo("counted 3");
        assertThat(eventThreads).allSatisfy(t -> assertThat(t).isSameAs(turnThread.get()));
        assertThat(events.getFirst()).isInstanceOf(ToolCallStarted.class);
        assertThat(events.subList(1, 4)).extracting(e -> ((ToolCallProgress) e).progress().progress())
                .containsExactly(1.0, 2.0, 3.0);
        assertThat(events.getLast()).isInstanceOfSatisfying(ToolCallCompleted.class,
                e -> assertThat(e.result().text()).isEqualTo("counted 3"));
        assertThat(conversation.status()).isEqualTo(Conversation.Status.IDLE);
    }

    /** The OpenHands seed's deadlock, made impossible: a listener re-enters the lock its own thread holds. */
    @Test
    void aListenerMayTakeTheStateLockThatTheTurnHolds() {
        AtomicReference<Conversation> self = new AtomicReference<>();
        List<Integer> holds = new CopyOnWriteArrayList<>();
        Conversation conversation = open(ConversationOptions.defaults().withListener(event -> {
            self.get().stateLock().lock();
            try {
                holds.add(self.get().stateLock().getHoldCount());
            } finally {
                self.get().stateLock().unlock();
            }
        }));
        self.set(conversation);

        conversation.run(turn -> turn.callTool(SERVER, "count", Map.of("n", 2)));

        assertThat(holds).hasSize(4).containsOnly(2);
    }

    @Test
    void callsInParallelAreSubtasksOfTheTurnAndOneFailureDoesNotStopTheOthers() {
        Conversation conversation = open();

        List<ToolCallOutcome> outcomes = conversation.run(turn -> turn.callTools(List.of(
                ToolCall.of(SERVER, "echo", Map.of("message", "a")),
                ToolCall.of(SERVER, "no-such-tool", Map.of()),
                ToolCall.of(SERVER, "count", Map.of("n", 2)))));

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(ToolCallOutcome.Completed.class,
                o -> assertThat(o.result().text()).isEqualTo("a"));
        assertThat(outcomes.get(1)).isInstanceOf(ToolCallOutcome.Failed.class);
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(ToolCallOutcome.Completed.class,
                o -> assertThat(o.result().text()).isEqualTo("counted 2"));
        assertThat(events).filteredOn(e -> e instanceof ToolCallStarted).hasSize(3);
        assertThat(events).filteredOn(e -> e instanceof ToolCallCompleted || e instanceof ToolCallFailed).hasSize(3);
    }

    @Test
    void cancellingATurnEndsEveryCallWithOneTerminalEventPausesAndTheNextTurnRuns() throws Exception {
        Conversation conversation = open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                conversation.run(turn -> turn.callTools(List.of(ToolCall.of(SERVER, "hold", Map.of()),
                        ToolCall.of(SERVER, "hold", Map.of()))));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Await.until(() -> pool.sessionIfPresent(SERVER).map(s -> s.pendingRequests() == 2).orElse(false), PATIENCE,
                "both calls in flight");

        assertThat(conversation.cancel()).isTrue();

        assertThat(runner.join(PATIENCE)).isTrue();
        assertThat(failure.get()).isInstanceOf(TurnCancelledException.class);
        List<ToolCallFailed> terminal = events.stream().filter(e -> e instanceof ToolCallFailed)
                .map(e -> (ToolCallFailed) e).toList();
        assertThat(terminal).hasSize(2).allSatisfy(e -> assertThat(e.cancelled()).isTrue());
        assertThat(events).filteredOn(e -> e instanceof ToolCallCompleted).isEmpty();
        assertThat(conversation.status()).isEqualTo(Conversation.Status.PAUSED);
        Await.until(() -> pool.sessionIfPresent(SERVER).map(s -> s.pendingRequests() == 0).orElse(false), PATIENCE,
                "the cancelled calls to leave the session");
        String again = conversation.run(turn -> turn.callTool(SERVER, "echo", Map.of("message", "again")).text());
        assertThat(again).isEqualTo("again");
        assertThat(conversation.status()).isEqualTo(Conversation.Status.IDLE);
    }

    @Test
    void interruptingTheThreadThatWaitsCancelsTheTurn() throws Exception {
        Conversation conversation = open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                conversation.run(turn -> turn.callTool(SERVER, "hold", Map.of()));
            } catch (Throwable t) {
                failure.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        Await.until(() -> pool.sessionIfPresent(SERVER).map(s -> s.pendingRequests() == 1).orElse(false), PATIENCE,
                "the call in flight");

        runner.interrupt();

        assertThat(runner.join(PATIENCE)).isTrue();
        assertThat(failure.get()).isInstanceOf(TurnCancelledException.class);
        assertThat(flag.get()).isTrue();
        assertThat(events).filteredOn(e -> e instanceof ToolCallFailed).hasSize(1);
    }

    @Test
    void aCallThatMayHaveRunIsNotRetriedUnlessTheToolSaysItIsSafe() {
        Conversation conversation = open();

        ToolCallOutcome unsafe = conversation.run(turn -> turn.callTools(List.of(
                ToolCall.of(SERVER, "crash", Map.of())))).getFirst();

        assertThat(unsafe).isInstanceOfSatisfying(ToolCallOutcome.Failed.class,
                f -> assertThat(f.cause()).isInstanceOf(TransportClosedException.class));
        assertThat(servers.crashCalls()).isEqualTo(1);
        assertThat(events).filteredOn(e -> e instanceof ToolCallFailed)
                .singleElement().satisfies(e -> assertThat(((ToolCallFailed) e).attempts()).isEqualTo(1));
    }

    @Test
    void anIdempotentToolIsRetriedOnAFreshSessionWhenItsTransportDiesMidCall() {
        Conversation conversation = open();

        String text = conversation.run(turn -> turn.callTool(SERVER, "crash-idempotent", Map.of()).text());

        assertThat(text).isEqualTo("ok");
        assertThat(servers.crashCalls()).isEqualTo(2);
    }

    @Test
    void closingCancelsTheTurnAndLeavesNoThread() throws Exception {
        Conversation conversation = open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                conversation.run(turn -> turn.callTool(SERVER, "hold", Map.of()));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Await.until(() -> conversation.status() == Conversation.Status.RUNNING
                && pool.sessionIfPresent(SERVER).map(s -> s.pendingRequests() == 1).orElse(false), PATIENCE,
                "the call in flight");

        conversation.close();

        assertThat(conversation.status()).isEqualTo(Conversation.Status.CLOSED);
        assertThat(runner.join(PATIENCE)).isTrue();
        assertThat(failure.get()).isInstanceOf(TurnCancelledException.class);
        assertThatThrownBy(() -> conversation.run(turn -> 1)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A server's log and its sampling request made during the conversation's call come to the conversation's own
     * thread: the log to the listener, the request to the conversation's handler (which may take the state lock the
     * turn holds), both before the call's result; a call outside any conversation gets the pool's own handler.
     */
    @Test
    void aServersRequestsAndLogsDuringACallRunOnTheConversationsThread() {
        SessionPool sampling = SessionPool.open(SessionPoolOptions.defaults()
                .withClientOptions(dev.weft.mcp.McpClientOptions.defaults()
                        .withSampling(request -> dev.weft.mcp.SamplingResult.text("pool", "from the pool")))
                .withFactory((key, options) -> dev.weft.mcp.McpSession.open(servers.transport(), options)));
        AtomicReference<Thread> turnThread = new AtomicReference<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Conversation> self = new AtomicReference<>();
        Conversation conversation = Conversation.open(sampling, ConversationOptions.defaults()
                .withListener(event -> {
                    if (event instanceof ConversationEvent.ServerLog log) {
                        seen.add("log " + log.message().data().asText());
                    }
                })
                .withSampling(request -> {
                    seen.add("sampling on the turn's thread: " + (Thread.currentThread() == turnThread.get())
                            + ", lock holds: " + self.get().stateLock().getHoldCount());
                    self.get().stateLock().lock();
                    try {
                        return dev.weft.mcp.SamplingResult.text("conversation", "from the conversation");
                    } finally {
                        self.get().stateLock().unlock();
                    }
                }));
        self.set(conversation);
        try {
            String text = conversation.run(turn -> {
                turnThread.set(Thread.currentThread());
                String answer = turn.callTool(SERVER, "ask", Map.of()).text();
                seen.add("result " + answer);
                return answer;
            });

            assertThat(text).isEqualTo("sampled: from the conversation");
            assertThat(seen).containsExactly("log asking the client",
                    "sampling on the turn's thread: true, lock holds: 1",
                    "result sampled: from the conversation");
            assertThat(sampling.session(SERVER).callTool("ask", Map.of()).text())
                    .isEqualTo("sampled: from the pool");
        } finally {
            conversation.close();
            sampling.close();
        }
    }

    @Test
    void toolsMayOnlyBeCalledFromTheTurn() {
        Conversation conversation = open();
        AtomicReference<Turn.Context> leaked = new AtomicReference<>();
        conversation.run(turn -> {
            leaked.set(turn);
            return null;
        });

        assertThatThrownBy(() -> leaked.get().callTool(SERVER, "echo", Map.of("message", "x")))
                .isInstanceOf(WrongThreadException.class);
    }
}
