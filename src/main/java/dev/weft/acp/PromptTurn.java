package dev.weft.acp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.internal.jfr.CallbackQueueEvent;
import dev.weft.internal.jfr.PromptTurnEvent;
import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.CallOptions;
import dev.weft.jsonrpc.CallTimeoutException;
import dev.weft.jsonrpc.ProtocolViolationException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.scope.TaskScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One prompt turn of a session, run on the prompting thread.
 *
 * <p><b>One queue, in arrival order.</b> The turn's queue takes the agent's updates (offered by the connection's
 * dispatcher), its permission requests (offered by each request's own thread, which starts once the updates before
 * it were queued), and the prompt's answer (offered by a subtask that makes the call, which returns once the updates
 * before the answer were queued). The prompting thread takes them in that order and runs the host's code for each, so
 * the host sees every update before the result and each permission request after the tool call it names.
 *
 * <p><b>Cancel.</b> {@link #cancel} (any thread) decides under the lock, then acts: sends {@code session/cancel}, then
 * answers every open permission request {@code cancelled}, then wakes the prompting thread, which waits for the answer
 * at most the drain time. When the turn ends, every tool call still open gets one terminal update from the client.
 *
 * <p>Fields: {@code cancelled}, {@code ended} and {@code asks} under {@code lock}; {@code toolCalls} and
 * {@code listenerFailure} belong to the prompting thread.
 */
final class PromptTurn {
    private static final System.Logger LOG = System.getLogger(PromptTurn.class.getName());
    private static final Duration NO_DEADLINE = Duration.ofDays(3650);
    private static final Object WAKE = new Object();

    /** An update, queued by the connection's dispatcher at {@code queuedAt} ({@link System#nanoTime()}). */
    private record Arrived(SessionUpdate update, long queuedAt) {
    }

    /** The prompt's answer, or why there is none. */
    private record Done(JsonNode result, RuntimeException failure) {
    }

    /** A permission request waiting for the prompting thread (or a cancel) to answer it. */
    private static final class Ask {
        final SessionUpdate.ToolCallUpdate toolCall;
        final List<PermissionOption> options;
        final CompletableFuture<PermissionOutcome> answer = new CompletableFuture<>();
        final long queuedAt = System.nanoTime();

        Ask(SessionUpdate.ToolCallUpdate toolCall, List<PermissionOption> options) {
            this.toolCall = toolCall;
            this.options = options;
        }
    }

    private final AcpSession session;
    private final Consumer<SessionUpdate> listener;
    private final PermissionHandler permissions;
    private final LinkedTransferQueue<Object> queue = new LinkedTransferQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Ask> asks = new ArrayList<>(); // open permission requests; lock
    private boolean cancelled; // lock
    private boolean ended; // no more offers: late ones go to the session's listener between prompts; lock
    private final Map<String, SessionUpdate.ToolCall> toolCalls = new LinkedHashMap<>(); // prompting thread
    private Throwable listenerFailure; // prompting thread
    private int updates; // delivered to the listener; prompting thread
    private int closedByClient; // prompting thread
    private final String owner; // for JFR events

    PromptTurn(AcpSession session, Consumer<SessionUpdate> listener, PermissionHandler permissions) {
        this.session = session;
        this.listener = listener;
        this.permissions = permissions;
        this.owner = "acp session " + AcpSession.shortId(session.id());
    }

    // ---- any thread ---------------------------------------------------------------------------------------------------

    /** Queues an update; {@code false} once the turn has ended. On the connection's dispatcher. */
    boolean offer(SessionUpdate update) {
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            queue.offer(new Arrived(update, System.nanoTime()));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** On a permission request's own thread: waits for the prompting thread's decision, or a cancel. */
    PermissionOutcome requestPermission(SessionUpdate.ToolCallUpdate toolCall, List<PermissionOption> options)
            throws InterruptedException {
        Ask ask = new Ask(toolCall, options);
        lock.lock();
        try {
            if (cancelled || ended) {
                return PermissionOutcome.cancelled();
            }
            asks.add(ask);
            queue.offer(ask);
        } finally {
            lock.unlock();
        }
        try {
            return ask.answer.get();
        } catch (InterruptedException e) {
            ask.answer.complete(PermissionOutcome.cancelled()); // the agent withdrew it: nobody need decide it now
            throw e;
        } catch (ExecutionException e) {
            return PermissionOutcome.cancelled(); // not completed exceptionally; kept total
        } finally {
            lock.lock();
            try {
                asks.remove(ask);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Cancels the turn: {@code session/cancel}, then {@code cancelled} to every open permission request, then wakes
     * the prompting thread. Never blocks on the agent.
     *
     * @return whether this call cancelled it (not already cancelled or ended)
     */
    boolean cancel(String reason) {
        List<Ask> open;
        lock.lock();
        try {
            if (cancelled || ended) {
                return false;
            }
            cancelled = true;
            open = List.copyOf(asks);
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> session + ": cancelling the prompt: " + reason);
        ObjectNode params = AcpJson.object();
        params.put("sessionId", session.id());
        try {
            session.client().connection().notify("session/cancel", params);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> session + ": session/cancel not sent: " + e);
        }
        for (Ask ask : open) {
            ask.answer.complete(PermissionOutcome.cancelled());
        }
        queue.offer(WAKE);
        return true;
    }

    int openPermissionRequests() {
        lock.lock();
        try {
            return asks.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }

    // ---- the prompting thread -----------------------------------------------------------------------------------------

    /** Runs the turn to its end; see {@link AcpSession#prompt}. */
    PromptResult run(ObjectNode params) {
        PromptTurnEvent event = new PromptTurnEvent();
        event.begin();
        String outcome = "failed";
        try {
            PromptResult result = runTurn(params);
            outcome = result.stopReason().name().toLowerCase(Locale.ROOT);
            return result;
        } catch (RuntimeException | Error e) {
            outcome = e.getClass().getSimpleName();
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.session = AcpSession.shortId(session.id());
                event.agent = session.client().describe();
                event.outcome = outcome;
                event.updates = updates;
                event.toolCalls = toolCalls.size();
                event.closedByClient = closedByClient;
                event.commit();
            }
        }
    }

    private PromptResult runTurn(ObjectNode params) {
        AcpClientOptions options = session.client().options();
        Duration idle = options.promptIdleTimeout();
        long drainNanos = options.cancelDrain().toNanos();
        long idleDeadline = idle == null ? Long.MAX_VALUE : System.nanoTime() + idle.toNanos();
        long drainDeadline = Long.MAX_VALUE;
        boolean interrupted = false;
        boolean timedOut = false;
        Done done = null;
        try (TaskScope scope = TaskScope.open(c -> c.withName("weft-acp-prompt"))) {
            scope.fork(() -> {
                Done answer;
                try {
                    answer = new Done(session.client().connection().call("session/prompt", params,
                            CallOptions.DEFAULT.withTimeout(NO_DEADLINE)), null);
                } catch (RuntimeException e) {
                    answer = new Done(null, e);
                }
                queue.offer(answer);
                return null;
            });
            while (done == null) {
                if (Thread.interrupted()) { // a queue with items waiting returns them without looking at the flag
                    interrupted = true;
                    cancel("the prompting thread was interrupted");
                    drainDeadline = Math.min(drainDeadline, System.nanoTime() + drainNanos);
                }
                long now = System.nanoTime();
                if (drainDeadline != Long.MAX_VALUE) {
                    idleDeadline = Long.MAX_VALUE; // cancelled: only the drain bounds the wait now
                }
                long until = Math.min(idleDeadline, drainDeadline);
                if (until - now <= 0) {
                    if (drainDeadline - now <= 0) {
                        LOG.log(System.Logger.Level.DEBUG, () -> session + ": no answer to the cancelled prompt within "
                                + options.cancelDrain() + "; the turn ends without it");
                        break;
                    }
                    timedOut = true;
                    cancel("no update for " + idle);
                    idleDeadline = Long.MAX_VALUE;
                    drainDeadline = now + drainNanos;
                    continue;
                }
                Object item;
                try {
                    item = until == Long.MAX_VALUE ? queue.take() : queue.poll(until - now, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel("the prompting thread was interrupted");
                    drainDeadline = Math.min(drainDeadline, System.nanoTime() + drainNanos);
                    continue;
                }
                switch (item) {
                    case null -> { } // a deadline: checked at the top
                    case Arrived arrived -> {
                        if (idle != null && idleDeadline != Long.MAX_VALUE) {
                            idleDeadline = System.nanoTime() + idle.toNanos();
                        }
                        CallbackQueueEvent.emit(owner, arrived.update().kind(), arrived.queuedAt());
                        deliver(arrived.update());
                    }
                    case Ask ask -> decide(ask);
                    case Done answer -> done = answer;
                    default -> drainDeadline = Math.min(drainDeadline, System.nanoTime() + drainNanos); // WAKE
                }
                if (isCancelled() && drainDeadline == Long.MAX_VALUE) {
                    drainDeadline = System.nanoTime() + drainNanos; // cancelled by the listener or another thread
                }
            }
            if (done == null) {
                scope.cancel(); // give up on the answer: the call withdraws (and sends $/cancel_request)
            }
        }
        endOffers();
        boolean wasCancelled = isCancelled();
        if (done != null && done.failure() instanceof TransportClosedException closed) {
            closeToolCalls("the agent's connection ended");
            throw closed;
        }
        if (wasCancelled) {
            closeToolCalls("cancelled");
        } else if (done.failure() != null) {
            closeToolCalls("the prompt failed");
        } else {
            closeToolCalls("the turn ended without the agent ending this tool call");
        }
        if (listenerFailure instanceof RuntimeException e) {
            throw e;
        } else if (listenerFailure instanceof Error e) {
            throw e;
        }
        String describe = session.client().describe();
        if (interrupted || Thread.interrupted()) { // also an interrupt by the host's code after the loop
            Thread.currentThread().interrupt();
            throw new CallCancelledException("session/prompt", null, describe, new InterruptedException());
        }
        if (timedOut) {
            throw new CallTimeoutException("session/prompt", null, describe, idle, "idle timeout");
        }
        List<SessionUpdate.ToolCall> calls = List.copyOf(toolCalls.values());
        if (wasCancelled) {
            return new PromptResult(StopReason.CANCELLED, calls, usageOf(done), done != null);
        }
        if (done.failure() != null) {
            throw done.failure();
        }
        JsonNode stopReason = done.result().get("stopReason");
        if (stopReason == null || !stopReason.isTextual()) {
            throw new ProtocolViolationException("session/prompt result has no stopReason: " + done.result(),
                    "session/prompt", null, describe, null);
        }
        return new PromptResult(AcpJson.MAPPER.convertValue(stopReason, StopReason.class), calls, usageOf(done), true);
    }

    private static JsonNode usageOf(Done done) {
        return done == null || done.result() == null ? null : done.result().get("usage");
    }

    /**
     * No more offers: what is still queued came before the end and is handled here (updates to the listener, open
     * permission requests answered {@code cancelled}); what comes later goes to the session's listener between prompts.
     */
    private void endOffers() {
        List<Ask> open;
        lock.lock();
        try {
            ended = true;
            open = List.copyOf(asks);
        } finally {
            lock.unlock();
        }
        for (Ask ask : open) {
            ask.answer.complete(PermissionOutcome.cancelled());
        }
        Object item;
        while ((item = queue.poll()) != null) {
            switch (item) {
                case Arrived arrived -> deliver(arrived.update());
                case Ask ask -> ask.answer.complete(PermissionOutcome.cancelled());
                default -> { } // a late answer after giving up, or a wake
            }
        }
    }

    /** Ends every tool call still open with one terminal update of the client's. */
    private void closeToolCalls(String why) {
        for (SessionUpdate.ToolCall call : List.copyOf(toolCalls.values())) {
            if (!call.statusOrPending().isTerminal()) {
                closedByClient++;
                deliver(SessionUpdate.ToolCallUpdate.closedByClient(call.toolCallId(), why));
            }
        }
    }

    /** Tracks tool calls, then runs the listener (unless it failed before). */
    private void deliver(SessionUpdate update) {
        SessionUpdate shown = track(update);
        if (shown == null) {
            return;
        }
        session.noteDuringPrompt(shown);
        updates++;
        if (listenerFailure != null) {
            return;
        }
        try {
            listener.accept(shown);
        } catch (RuntimeException | Error e) {
            listenerFailure = e;
            cancel("the listener failed: " + e);
        }
    }

    /**
     * Merges a tool call's update into its state; returns what the host should see, or {@code null} for an update of a
     * call that has ended already (a second terminal update, or one after the client ended it).
     */
    private SessionUpdate track(SessionUpdate update) {
        switch (update) {
            case SessionUpdate.ToolCall call -> {
                SessionUpdate.ToolCall known = toolCalls.get(call.toolCallId());
                if (known != null && known.statusOrPending().isTerminal()) {
                    LOG.log(System.Logger.Level.DEBUG, () -> session + ": tool_call for ended call "
                            + call.toolCallId() + " dropped");
                    return null;
                }
                toolCalls.put(call.toolCallId(), call);
                return call;
            }
            case SessionUpdate.ToolCallUpdate change -> {
                SessionUpdate.ToolCall known = toolCalls.get(change.toolCallId());
                if (known == null) {
                    known = new SessionUpdate.ToolCall(change.toolCallId(), null, null, null, null, null, null, null);
                } else if (known.statusOrPending().isTerminal() && change.status() != null) {
                    LOG.log(System.Logger.Level.DEBUG, () -> session + ": tool_call_update (" + change.status()
                            + ") for ended call " + change.toolCallId() + " dropped");
                    return null;
                }
                toolCalls.put(change.toolCallId(), known.merge(change));
                return change;
            }
            default -> {
                return update;
            }
        }
    }

    /** Runs the permission handler for one request, unless a cancel answered it already. */
    private void decide(Ask ask) {
        if (ask.answer.isDone()) {
            return;
        }
        CallbackQueueEvent.emit(owner, "session/request_permission", ask.queuedAt);
        SessionUpdate.ToolCall known = toolCalls.get(ask.toolCall.toolCallId());
        SessionUpdate.ToolCall shown = (known != null ? known
                : new SessionUpdate.ToolCall(ask.toolCall.toolCallId(), null, null, null, null, null, null, null))
                .merge(ask.toolCall);
        PermissionRequest request = new PermissionRequest(session.id(), shown, ask.options);
        PermissionOutcome outcome;
        try {
            outcome = permissions.decide(request);
            if (outcome == null) {
                throw new NullPointerException("the permission handler returned null");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the loop's next wait sees it and cancels the turn
            outcome = PermissionOutcome.cancelled();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, session + ": the permission handler failed on "
                    + ask.toolCall.toolCallId() + "; refused", e);
            outcome = request.rejectOption().map(PermissionOutcome::select).orElseGet(PermissionOutcome::cancelled);
        }
        ask.answer.complete(outcome);
    }
}
