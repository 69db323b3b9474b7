package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.Content;
import dev.weft.testing.Await;
import dev.weft.testing.Props;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a prompt at random points orphans nothing (OpenHands software-agent-sdk #3358's review, for ACP).
 *
 * <p>Each example runs one turn of an in-JVM agent that sends a random sequence of updates (messages, tool calls
 * starting, changing and ending, permission requests) and is cancelled at a random point: from the listener, from
 * another thread, or by interrupting the prompting thread, after a random number of updates, or never. After the
 * cancel the agent answers {@code cancelled}, {@code end_turn}, an error, or nothing at all (the client gives up
 * after the drain time), maybe sending one more update first; or it dies at a random step. Then:
 * <ul>
 *   <li>the host saw exactly the agent's updates, in order, on the prompting thread (those that came after the turn
 *       ended reach the listener between prompts), and ran every permission decision on that thread;</li>
 *   <li>every tool call the host saw has exactly one terminal update, its last, whether the agent's or the client's;</li>
 *   <li>the turn ended cancelled exactly when a cancel took effect, failed with the transport's end exactly when the
 *       agent died, and otherwise ended as the agent said;</li>
 *   <li>every permission request the agent made before it died was answered;</li>
 *   <li>unless the agent died, the session answers its next prompt.</li>
 * </ul>
 * A failing example prints its seed; {@code -DQT_SEED=<seed>} replays it.
 */
@Tag("concurrency")
class PromptCancelPropertyTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private enum How { LISTENER, OTHER_THREAD, INTERRUPT }

    private enum After { CANCELLED, END_TURN, ERROR, SILENCE }

    @Test
    void aCancelAtAnyPointEndsEveryToolCallOnceAndTheSessionGoesOn() {
        Props.qt().withExamples(60).withShrinkCycles(10)
                .forAll(lists().of(integers().between(0, 99)).ofSizeBetween(1, 12), integers().between(0, 14),
                        integers().between(0, 23), integers().between(0, 14))
                .checkAssert((steps, cancelAt, mode, dieAt) -> {
                    try {
                        // mode: how the cancel comes, what the agent answers after it, and whether it says more first
                        check(steps, cancelAt, How.values()[mode % 3], After.values()[mode / 3 % 4], mode >= 12,
                                dieAt);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private void check(List<Integer> steps, int cancelAt, How how, After after, boolean late, int dieAt)
            throws InterruptedException {
        List<String> sent = new CopyOnWriteArrayList<>(); // what the agent sent, in order
        AtomicBoolean died = new AtomicBoolean();
        CountDownLatch silence = new CountDownLatch(1); // holds a SILENCE turn until the test ends
        FakeAgent agent = new FakeAgent(turn -> {
            if (turn.word().equals("echo")) {
                return turn.stop("end_turn");
            }
            return script(turn, steps, after, late, dieAt, sent, died, silence);
        });
        AcpClient client = AcpClient.connect(agent.clientEnd(), AcpClientOptions.defaults()
                .withCancelDrain(Duration.ofMillis(after == After.SILENCE ? 150 : 10_000)));
        try {
            AcpSession session = client.newSession(Path.of("/tmp"), List.of());
            List<String> between = new CopyOnWriteArrayList<>();
            session.listenBetweenPrompts(update -> between.add(describe(update)));
            List<String> seen = new ArrayList<>(); // the prompting thread's
            List<String> violations = new CopyOnWriteArrayList<>();
            AtomicBoolean cancelTookEffect = new AtomicBoolean();
            AtomicReference<Object> outcome = new AtomicReference<>();
            AtomicReference<Thread> prompting = new AtomicReference<>();
            CountDownLatch reached = new CountDownLatch(1);

            Thread thread = Thread.ofVirtual().name("weft-test-prompting").unstarted(() -> {
                try {
                    outcome.set(session.prompt(List.of(new Content.Text("work")), update -> {
                        if (Thread.currentThread() != prompting.get()) {
                            violations.add("update on " + Thread.currentThread());
                        }
                        seen.add(describe(update));
                        if (cancelAt > 0 && seen.size() == cancelAt) {
                            switch (how) {
                                case LISTENER -> cancelTookEffect.compareAndSet(false, session.cancel());
                                case INTERRUPT -> {
                                    cancelTookEffect.set(true);
                                    Thread.currentThread().interrupt();
                                }
                                case OTHER_THREAD -> reached.countDown();
                            }
                        }
                    }, request -> {
                        if (Thread.currentThread() != prompting.get()) {
                            violations.add("permission on " + Thread.currentThread());
                        }
                        return request.toolCall().toolCallId().hashCode() % 2 == 0
                                ? PermissionHandler.allowing().decide(request)
                                : PermissionHandler.denying().decide(request);
                    }));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            prompting.set(thread);
            thread.start();
            if (how == How.OTHER_THREAD && cancelAt > 0) {
                Thread canceller = Thread.ofVirtual().start(() -> {
                    try {
                        reached.await();
                        cancelTookEffect.compareAndSet(false, session.cancel());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                thread.join(PATIENCE);
                reached.countDown();
                canceller.join();
            } else {
                thread.join(PATIENCE);
            }
            assertThat(thread.isAlive()).as("the prompt returned").isFalse();
            Object result = outcome.get();

            assertThat(violations).isEmpty();
            // The outcome.
            if (died.get()) {
                assertThat(result).isInstanceOf(TransportClosedException.class);
            } else if (cancelTookEffect.get() && how == How.INTERRUPT) {
                assertThat(result).isInstanceOf(CallCancelledException.class);
            } else if (cancelTookEffect.get()) {
                assertThat(result).isInstanceOfSatisfying(PromptResult.class,
                        r -> assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED));
            } else {
                assertThat(result).isInstanceOfSatisfying(PromptResult.class,
                        r -> assertThat(r.stopReason()).isEqualTo(StopReason.END_TURN));
            }
            // Every update, in order: the turn's, then those that came after it ended.
            List<String> fromAgent = new ArrayList<>(seen.stream().filter(e -> !e.startsWith("closed ")).toList());
            List<String> updatesSent = sent.stream().filter(e -> !e.startsWith("ask ")).toList();
            if (died.get()) {
                assertThat(updatesSent.subList(0, fromAgent.size())).isEqualTo(fromAgent);
            } else {
                Await.until(() -> fromAgent.size() + between.size() == updatesSent.size(), PATIENCE,
                        "every update sent reached a listener");
                List<String> all = new ArrayList<>(fromAgent);
                all.addAll(between);
                assertThat(all).isEqualTo(updatesSent);
            }
            // Exactly one terminal update per tool call, its last.
            Map<String, Integer> terminals = new HashMap<>();
            for (String event : seen) {
                String[] parts = event.split(" ");
                if (parts[0].equals("say")) {
                    continue;
                }
                String id = parts[1];
                assertThat(terminals.getOrDefault(id, 0)).as("an update of %s after its end: %s", id, seen)
                        .isZero();
                if (event.endsWith("COMPLETED") || event.endsWith("FAILED")) {
                    terminals.put(id, 1);
                }
            }
            for (String event : seen) {
                if (!event.startsWith("say")) {
                    assertThat(terminals).as("tool call of %s has ended: %s", event, seen)
                            .containsKey(event.split(" ")[1]);
                }
            }
            if (!died.get()) {
                assertThat(agent.permissionAnswers).hasSize(asked(sent));
                assertThat(session.prompt("echo", update -> { }).stopReason()).isEqualTo(StopReason.END_TURN);
            }
        } finally {
            silence.countDown();
            client.close();
            agent.close();
        }
    }

    /** The agent's turn. */
    private static com.fasterxml.jackson.databind.JsonNode script(FakeAgent.Turn turn, List<Integer> steps,
            After after, boolean late, int dieAt, List<String> sent, AtomicBoolean died, CountDownLatch silence)
            throws Exception {
        List<String> calls = new ArrayList<>(); // every call begun
        List<String> open = new ArrayList<>(); // those not ended: an agent ends each call once
        boolean cancelled = false;
        for (int i = 0; i < steps.size() && !cancelled; i++) {
            if (turn.cancelled.getCount() == 0) {
                cancelled = true;
                break;
            }
            if (dieAt == i + 1) {
                died.set(true);
                turn.connection().close(); // as if the process died: the client's reader meets the end
                new CountDownLatch(1).await(); // never answers; interrupted when the connection closes
            }
            int step = steps.get(i);
            if (step < 30 || (step >= 55 && step < 80 && open.isEmpty()) || (step >= 80 && calls.isEmpty())) {
                sent.add("say m" + i);
                turn.message("m" + i);
            } else if (step < 55) {
                String id = "c" + i;
                calls.add(id);
                open.add(id);
                String status = step % 2 == 0 ? "pending" : "in_progress";
                sent.add("call " + id + " " + status.toUpperCase());
                turn.toolCall(id, status);
            } else if (step < 80) {
                String id = open.get(step % open.size());
                String status = List.of("in_progress", "completed", "failed").get(step % 3);
                if (!status.equals("in_progress")) {
                    open.remove(id);
                }
                sent.add("update " + id + " " + status.toUpperCase());
                turn.toolCallUpdate(id, status);
            } else {
                String id = calls.get(step % calls.size());
                sent.add("ask " + id);
                if (turn.permission(id).equals("cancelled")) {
                    cancelled = true;
                }
            }
        }
        if (!cancelled && turn.cancelled.getCount() > 0) {
            return turn.stop("end_turn");
        }
        if (late) {
            sent.add("say late");
            turn.message("late");
        }
        return switch (after) {
            case CANCELLED -> turn.stop("cancelled");
            case END_TURN -> turn.stop("end_turn");
            case ERROR -> throw FakeAgent.internalError("aborted");
            case SILENCE -> {
                silence.await();
                yield turn.stop("cancelled");
            }
        };
    }

    /** How many permission requests the agent made: the "ask" entries it recorded. */
    private static int asked(List<String> sent) {
        return (int) sent.stream().filter(e -> e.startsWith("ask ")).count();
    }

    private static String describe(SessionUpdate update) {
        return switch (update) {
            case SessionUpdate.AgentMessageChunk chunk -> "say " + ((Content.Text) chunk.content()).text();
            case SessionUpdate.ToolCall call -> "call " + call.toolCallId() + " " + call.statusOrPending();
            case SessionUpdate.ToolCallUpdate change -> (change.synthesized() ? "closed " : "update ")
                    + change.toolCallId() + " " + change.status();
            default -> update.kind();
        };
    }
}
