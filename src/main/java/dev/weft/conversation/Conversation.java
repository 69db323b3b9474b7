package dev.weft.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.acp.AcpSession;
import dev.weft.acp.PermissionHandler;
import dev.weft.acp.PromptResult;
import dev.weft.conversation.ConversationEvent.AgentUpdate;
import dev.weft.conversation.ConversationEvent.ServerLog;
import dev.weft.conversation.ConversationEvent.ServerNotice;
import dev.weft.conversation.ConversationEvent.ToolCallCompleted;
import dev.weft.conversation.ConversationEvent.ToolCallFailed;
import dev.weft.conversation.ConversationEvent.ToolCallProgress;
import dev.weft.conversation.ConversationEvent.ToolCallStarted;
import dev.weft.internal.InterruptGate;
import dev.weft.internal.Uninterruptibles;
import dev.weft.internal.jfr.CallbackQueueEvent;
import dev.weft.jsonrpc.CallCancelledException;
import dev.weft.jsonrpc.RpcError;
import dev.weft.jsonrpc.RpcErrorException;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.mcp.CallToolResult;
import dev.weft.mcp.Content;
import dev.weft.mcp.Handlers;
import dev.weft.mcp.LogMessage;
import dev.weft.mcp.McpSession;
import dev.weft.mcp.RequestOptions;
import dev.weft.mcp.ServerEvents;
import dev.weft.mcp.Tool;
import dev.weft.pool.Claimant;
import dev.weft.pool.SessionCreationException;
import dev.weft.pool.SessionPool;
import dev.weft.pool.TransportKey;
import dev.weft.scope.TaskScope;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A conversation: the unit an agent host runs. It owns a reentrant state lock and a mailbox, runs its turns on its own
 * virtual thread, and makes tool calls through a {@link SessionPool}.
 *
 * <pre>{@code
 * try (Conversation conversation = Conversation.open(pool, ConversationOptions.defaults()
 *         .withListener(screen::show))) {
 *     String text = conversation.run(turn ->
 *             turn.callTool(server, "echo", Map.of("message", "hi")).text());
 * }
 * }</pre>
 *
 * <h2>Threads: user code never runs on a reader</h2>
 * A turn runs on the conversation's thread, holding the {@linkplain #stateLock() state lock}. Each tool call runs as a
 * subtask of the turn, on a virtual thread of its own; what arrives for it (progress) and its end are queued to the
 * mailbox, and the conversation's thread runs the {@linkplain ConversationOptions#listener() listener} for each, in
 * arrival order, while the turn waits for its calls. While a call runs, the conversation
 * {@linkplain SessionPool#claim claims} its session: the server's notifications come to the listener the same way
 * ({@link ServerLog}, {@link ServerNotice}), and its requests (sampling, elicitation, roots) run the conversation's
 * {@linkplain ConversationOptions#sampling() handlers} on the conversation's thread while the server waits. So a listener may take the state lock that its own thread already
 * holds, a reader never waits for a listener, and the listener sees every event of a call, its one terminal event last,
 * before the turn sees the call's outcome (the OpenHands software-agent-sdk #3358 seed). Between turns, the thread runs
 * nothing but the listener for late events.
 *
 * <h2>A dead transport fails its calls at once</h2>
 * The session's reader is the watch on its transport: when it ends (the process exited, an HTTP stream broke), every
 * call in flight on it fails at once with the transport's cause (google/adk-python #4904), and the pool replaces the
 * session on the next call.
 *
 * <h2>Cancelling is structured</h2>
 * {@link #cancel()}, or an interrupt of the thread waiting in {@link #run}, cancels the turn: the conversation's thread
 * is interrupted, the turn's calls in flight are interrupted (each sends {@code notifications/cancelled}) and each ends
 * with exactly one terminal {@link ToolCallFailed} event; the turn ends with {@link TurnCancelledException}; the
 * conversation is {@link Status#PAUSED} and runs the next turn as usual.
 *
 * <h2>Retries are safe</h2>
 * A call is tried again on the pool's next session only when it cannot have run twice (it never reached the server: the
 * transport had ended before it was sent, or its session could not be made) or the tool says so
 * ({@link Tool#safeToRetry()}: {@code readOnlyHint} or {@code idempotentHint}); otherwise its failure is its outcome.
 * Between tries the call's own virtual thread sleeps ({@link ConversationOptions#backoff()}, doubling).
 *
 * <p>Thread-safe: {@link #run}, {@link #cancel()} and {@link #close()} may be called from any thread; turns run one
 * at a time, in the order submitted. Fields: {@code status} and {@code current} under {@code lock}; {@code deferred}
 * and the turn's locals belong to the conversation's thread.
 */
public final class Conversation implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Conversation.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Where a conversation is. {@code IDLE|PAUSED -> RUNNING -> IDLE|PAUSED}; any {@code -> CLOSED}. */
    public enum Status {
        /** No turn is running; the last one (if any) ended without being cancelled. */
        IDLE,
        /** A turn is running. */
        RUNNING,
        /** No turn is running; the last one was cancelled. */
        PAUSED,
        /** Closed: no more turns. */
        CLOSED
    }

    /** What the conversation's thread takes from its mailbox. */
    private sealed interface Item permits Ticket, Delivery, CallDone, HostCall, Stop {}

    /** A turn submitted by {@link #run}, and its outcome. */
    private static final class Ticket<T> implements Item {
        final Turn<T> turn;
        final InterruptGate gate = new InterruptGate();
        final CountDownLatch done = new CountDownLatch(1);
        T result; // written by the conversation's thread before done
        Throwable failure; // likewise

        Ticket(Turn<T> turn) {
            this.turn = turn;
        }
    }

    /** An event queued by a connection's thread at {@code queuedAt} ({@link System#nanoTime()}). */
    private record Delivery(ConversationEvent event, long queuedAt) implements Item {
        Delivery(ConversationEvent event) {
            this(event, System.nanoTime());
        }
    }

    private record CallDone(int index, ToolCallOutcome outcome, ConversationEvent terminal) implements Item {}

    private enum Stop implements Item { INSTANCE }

    /**
     * A server's request to the host (sampling, elicitation, roots), made during one of this conversation's calls: its
     * handler runs on the conversation's thread while the session's request thread waits for the answer.
     */
    private static final class HostCall implements Item {
        private final Callable<Object> work;
        private final CompletableFuture<Object> answer = new CompletableFuture<>();
        private final long queuedAt = System.nanoTime();

        HostCall(Callable<Object> work) {
            this.work = work;
        }

        /** On the conversation's thread. */
        void run(String owner) {
            CallbackQueueEvent.emit(owner, "server request", queuedAt);
            try {
                answer.complete(work.call());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        }

        void refuse(String why) {
            answer.completeExceptionally(new RpcErrorException(new RpcError(RpcError.INTERNAL_ERROR, why)));
        }

        /** On the session's request thread: the answer, or what the handler threw. */
        Object await() throws Exception {
            try {
                return answer.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    private final SessionPool pool;
    private final ConversationOptions options;
    private final String name;
    private final ReentrantLock stateLock = new ReentrantLock();
    private final LinkedTransferQueue<Item> mailbox = new LinkedTransferQueue<>();
    private final ArrayDeque<Item> deferred = new ArrayDeque<>(); // taken while a turn waited; conversation thread
    private final AtomicLong callIds = new AtomicLong();
    private final Map<TransportKey, Map<String, Tool>> tools = new ConcurrentHashMap<>(); // for retry decisions
    private final ReentrantLock lock = new ReentrantLock();
    private final TurnContext context = new TurnContext();
    private final Set<AcpSession> agentSessions = ConcurrentHashMap.newKeySet(); // sessions this conversation prompted
    private final Thread thread;
    private Status status = Status.IDLE; // lock
    private Ticket<?> current; // the turn running; lock
    private boolean closing; // no more turns accepted; lock

    private Conversation(SessionPool pool, ConversationOptions options) {
        this.pool = pool; // null: the conversation only prompts agents
        this.options = Objects.requireNonNull(options, "options");
        this.name = options.name() + "-" + COUNTER.incrementAndGet();
        this.thread = Thread.ofVirtual().name(name).unstarted(this::loop);
    }

    /**
     * Opens a conversation that calls tools through {@code pool}: starts its thread.
     *
     * @param pool    the pool whose sessions the turns' tool calls use
     * @param options the name, the listener, the retries and the handlers
     * @return the open conversation; any thread may submit turns
     */
    public static Conversation open(SessionPool pool, ConversationOptions options) {
        Conversation conversation = new Conversation(Objects.requireNonNull(pool, "pool"), options);
        conversation.thread.start();
        return conversation;
    }

    /**
     * Opens a conversation with the {@linkplain ConversationOptions#defaults() default options}.
     *
     * @param pool the pool whose sessions the turns' tool calls use
     * @return the open conversation; any thread may submit turns
     */
    public static Conversation open(SessionPool pool) {
        return open(pool, ConversationOptions.defaults());
    }

    /**
     * Opens a conversation that only prompts ACP agents ({@link Turn.Context#prompt}); its turns cannot call MCP tools
     * ({@link IllegalStateException}).
     *
     * @param options the name, the listener and the permission handler
     * @return the open conversation; any thread may submit turns
     */
    public static Conversation open(ConversationOptions options) {
        Conversation conversation = new Conversation(null, options);
        conversation.thread.start();
        return conversation;
    }

    /**
     * {@return the lock that guards the host's state of this conversation} A turn holds it while it runs; the
     * listener runs on the same thread, so it may take it too. Reentrant.
     */
    public ReentrantLock stateLock() {
        return stateLock;
    }

    /** {@return where the conversation is} */
    public Status status() {
        lock.lock();
        try {
            return status;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code turn} on the conversation's thread, after the turns submitted before it, and returns its result. The
     * calling thread waits; interrupting it cancels the turn, waits for the cancellation to complete, and throws
     * {@link TurnCancelledException} with the interrupt flag set.
     *
     * @param <T>  what the turn returns
     * @param turn the turn
     * @return what the turn returned
     * @throws TurnCancelledException if the turn was cancelled
     * @throws TurnFailedException    if the turn threw a checked exception (its cause)
     * @throws IllegalStateException  if the conversation is closed, or this is the conversation's own thread
     * @throws RuntimeException       or {@link Error}: whatever the turn threw
     */
    public <T> T run(Turn<T> turn) {
        Objects.requireNonNull(turn, "turn");
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(name + ": a turn cannot wait for another turn of its own conversation");
        }
        Ticket<T> ticket = new Ticket<>(turn);
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException(name + " is closed");
            }
            mailbox.offer(ticket);
        } finally {
            lock.unlock();
        }
        try {
            ticket.done.await();
        } catch (InterruptedException e) {
            ticket.gate.cancel();
            Uninterruptibles.awaitUninterruptibly(ticket.done);
            Thread.currentThread().interrupt();
        }
        return switch (ticket.failure) {
            case null -> ticket.result;
            case RuntimeException r -> throw r;
            case Error r -> throw r;
            default -> throw new TurnFailedException(ticket.failure);
        };
    }

    /**
     * Cancels the running turn, if any (see the class comment). Returns at once; {@link #run} returns when the
     * cancellation is complete. Any thread.
     *
     * @return whether a turn was running and this call cancelled it
     */
    public boolean cancel() {
        Ticket<?> running;
        lock.lock();
        try {
            running = current;
        } finally {
            lock.unlock();
        }
        return running != null && running.gate.cancel(); // interrupts the conversation's thread, after unlocking
    }

    /**
     * Closes the conversation: cancels the running turn, fails the turns waiting to run with
     * {@link IllegalStateException}, and waits for the conversation's thread to end (from a turn, it does not wait for
     * itself). Idempotent.
     */
    @Override
    public void close() {
        Ticket<?> running;
        lock.lock();
        try {
            running = current;
            if (!closing) {
                closing = true;
                mailbox.offer(Stop.INSTANCE);
            }
        } finally {
            lock.unlock();
        }
        if (running != null) {
            running.gate.cancel();
        }
        if (Thread.currentThread() != thread) {
            Uninterruptibles.joinUninterruptibly(thread);
        }
    }

    @Override
    public String toString() {
        return "Conversation[" + name + ", " + status() + "]";
    }

    // ---- the conversation's thread ------------------------------------------------------------------------------------

    /** The conversation's thread: runs turns and delivers events until closed. */
    private void loop() {
        try {
            while (true) {
                Item item = deferred.isEmpty() ? takeBetweenTurns() : deferred.poll();
                switch (item) {
                    case Stop stop -> {
                        return;
                    }
                    case Ticket<?> ticket -> runTurn(ticket);
                    case Delivery delivery -> deliver(delivery);
                    case HostCall call -> call.run(name); // came as a call ended: its server still waits
                    case CallDone done -> deliver(done.terminal()); // cannot happen: a turn takes its calls' ends
                }
            }
        } finally {
            failWaitingTurns();
            lock.lock();
            try {
                status = Status.CLOSED;
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> name + " closed");
        }
    }

    private Item takeBetweenTurns() {
        while (true) {
            try {
                return mailbox.take();
            } catch (InterruptedException e) {
                // Between turns nobody may interrupt this thread (the gate keeps cancels inside turns); go on waiting.
            }
        }
    }

    private void failWaitingTurns() {
        for (Item item : deferred) {
            failClosed(item);
        }
        deferred.clear();
        Item item;
        while ((item = mailbox.poll()) != null) {
            failClosed(item);
        }
    }

    private void failClosed(Item item) {
        if (item instanceof Ticket<?> ticket) {
            ticket.failure = new IllegalStateException(name + " is closed");
            ticket.done.countDown();
        } else if (item instanceof HostCall call) {
            call.refuse(name + " is closed");
        }
    }

    private <T> void runTurn(Ticket<T> ticket) {
        lock.lock();
        try {
            if (closing) {
                ticket.failure = new IllegalStateException(name + " is closed");
                ticket.done.countDown();
                return;
            }
            current = ticket;
            status = Status.RUNNING;
        } finally {
            lock.unlock();
        }
        boolean entered = ticket.gate.enter();
        stateLock.lock();
        try {
            if (!entered) {
                throw new TurnCancelledException(name + ": the turn was cancelled before it started");
            }
            ticket.result = ticket.turn.run(context);
        } catch (Throwable e) {
            ticket.failure = ticket.gate.cancelled() && !(e instanceof TurnCancelledException)
                    ? cancelledBecause(e) : e;
        } finally {
            int extra = 0;
            while (stateLock.isHeldByCurrentThread()) {
                stateLock.unlock();
                extra++;
            }
            if (extra > 1) {
                LOG.log(System.Logger.Level.WARNING, name + ": a turn left the state lock held " + (extra - 1)
                        + " more time(s); released");
            }
            ticket.gate.exit(); // no cancel's interrupt reaches this thread after the turn
            lock.lock();
            try {
                current = null;
                status = ticket.gate.cancelled() ? Status.PAUSED : Status.IDLE;
            } finally {
                lock.unlock();
            }
            ticket.done.countDown();
        }
    }

    private TurnCancelledException cancelledBecause(Throwable e) {
        TurnCancelledException cancelled = new TurnCancelledException(name + ": the turn was cancelled");
        cancelled.initCause(e);
        return cancelled;
    }

    /** Runs the listener for an event that waited in the mailbox. On the conversation's thread. */
    private void deliver(Delivery delivery) {
        CallbackQueueEvent.emit(name, delivery.event().getClass().getSimpleName(), delivery.queuedAt());
        deliver(delivery.event());
    }

    /** Runs the listener; what it throws is logged. On the conversation's thread. */
    private void deliver(ConversationEvent event) {
        try {
            options.listener().accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": the listener failed on " + event, e);
        }
    }

    // ---- tool calls -------------------------------------------------------------------------------------------------

    /** A turn's view of its conversation; its methods run on the conversation's thread. */
    final class TurnContext implements Turn.Context {
        private TurnContext() {
        }

        @Override
        public CallToolResult callTool(TransportKey server, String tool, Map<String, ?> arguments) {
            ToolCall call = ToolCall.of(server, tool, arguments);
            return switch (callTools(List.of(call)).getFirst()) {
                case ToolCallOutcome.Completed completed -> completed.result();
                case ToolCallOutcome.Failed failed -> throw new ToolCallFailedException(call, failed.cause());
            };
        }

        @Override
        public List<ToolCallOutcome> callTools(List<ToolCall> calls) {
            pool();
            return Conversation.this.callTools(List.copyOf(calls), turnOnThisThread());
        }

        @Override
        public PromptResult prompt(AcpSession session, List<? extends Content> prompt) {
            Ticket<?> ticket = turnOnThisThread();
            if (ticket.gate.cancelled()) {
                throw new TurnCancelledException(name + ": the turn was cancelled");
            }
            if (agentSessions.add(session)) { // what comes between prompts reaches the listener between turns
                session.listenBetweenPrompts(update -> mailbox.offer(new Delivery(new AgentUpdate(session, update))));
            }
            PermissionHandler permissions = options.permissions() != null ? options.permissions()
                    : session.client().options().permissions();
            PromptResult result;
            try {
                result = session.prompt(prompt, update -> deliver(new AgentUpdate(session, update)), permissions);
            } catch (CallCancelledException e) {
                TurnCancelledException cancelled = new TurnCancelledException(name + ": the turn was cancelled");
                cancelled.initCause(e);
                throw cancelled;
            }
            if (ticket.gate.cancelled()) {
                throw new TurnCancelledException(name + ": the turn was cancelled");
            }
            return result;
        }

        @Override
        public List<Tool> listTools(TransportKey server) {
            turnOnThisThread();
            List<Tool> list = pool().session(server).listTools();
            remember(server, list);
            return list;
        }

        @Override
        public Conversation conversation() {
            return Conversation.this;
        }
    }

    private SessionPool pool() {
        if (pool == null) {
            throw new IllegalStateException(name + " has no session pool: it only prompts agents");
        }
        return pool;
    }

    private Ticket<?> turnOnThisThread() {
        if (Thread.currentThread() != thread) {
            throw new WrongThreadException(name + ": only the conversation's thread may call tools, during a turn");
        }
        lock.lock();
        try {
            if (current == null) {
                throw new IllegalStateException(name + ": no turn is running");
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forks one subtask per call and, until each has ended, runs what arrives in the mailbox: the calls' events, their
     * ends (each with its terminal event, delivered before the outcome is recorded). A cancel (the gate interrupts this
     * thread) cancels the scope and waits for its threads; then it runs what they left in the mailbox, and gives each
     * call that never started (cancelled between its fork and its start) its cancelled outcome and terminal event here.
     */
    private List<ToolCallOutcome> callTools(List<ToolCall> calls, Ticket<?> ticket) {
        if (ticket.gate.cancelled()) {
            throw new TurnCancelledException(name + ": the turn was cancelled");
        }
        ToolCallOutcome[] outcomes = new ToolCallOutcome[calls.size()];
        long[] ids = new long[calls.size()];
        int[] remaining = {calls.size()};
        boolean cancelled = false;
        try (TaskScope scope = TaskScope.open(c -> c.withName(name + "-call"))) {
            for (int i = 0; i < calls.size(); i++) {
                ToolCall call = calls.get(i);
                long id = callIds.incrementAndGet();
                int index = i;
                ids[i] = id;
                deliver(new ToolCallStarted(id, call)); // before any event of the call: they come through the mailbox
                scope.fork(() -> {
                    mailbox.offer(invoke(call, id, index));
                    return null;
                });
            }
            while (remaining[0] > 0) {
                if (ticket.gate.cancelled() || Thread.currentThread().isInterrupted()) {
                    cancelled = true;
                    break;
                }
                try {
                    handle(mailbox.take(), outcomes, remaining);
                } catch (InterruptedException e) {
                    cancelled = true;
                    break;
                }
            }
            if (cancelled) {
                scope.cancel();
            } else {
                try {
                    scope.join(); // every call has ended: its subtask is returning
                } catch (InterruptedException e) {
                    cancelled = true;
                }
            }
        } // close waits for every call's thread: what they sent is in the mailbox now
        Item item;
        while (remaining[0] > 0 && (item = mailbox.poll()) != null) {
            if (cancelled && item instanceof HostCall call) {
                call.refuse(name + ": the turn was cancelled");
            } else {
                handle(item, outcomes, remaining);
            }
        }
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) { // cancelled before its subtask started: it never left
                CallDone done = failed(calls.get(i), ids[i], i, new CallCancelledException("tools/call", null,
                        calls.get(i).server().toString(), null), true, 0);
                handle(done, outcomes, remaining);
            }
        }
        if (cancelled || ticket.gate.cancelled()) {
            throw new TurnCancelledException(name + ": the turn was cancelled");
        }
        return List.of(outcomes);
    }

    /** Runs one item that arrived while a turn waits for its calls; turns and the stop wait for the turn's end. */
    private void handle(Item item, ToolCallOutcome[] outcomes, int[] remaining) {
        switch (item) {
            case CallDone done -> {
                deliver(done.terminal());
                outcomes[done.index()] = done.outcome();
                remaining[0]--;
            }
            case Delivery delivery -> deliver(delivery);
            case HostCall call -> call.run(name);
            case Ticket<?> later -> deferred.add(later);
            case Stop stop -> deferred.add(stop);
        }
    }

    /** On a call's subtask: makes the call, trying again while that is safe, and says how it ended. */
    private CallDone invoke(ToolCall call, long id, int index) {
        RequestOptions requestOptions = RequestOptions.DEFAULT.withProgress(progress ->
                mailbox.offer(new Delivery(new ToolCallProgress(id, progress))));
        int attempts = 0;
        while (true) {
            attempts++;
            RuntimeException failure;
            boolean mayRetry;
            try {
                McpSession session = pool.session(call.server());
                CallToolResult result;
                SessionPool.Claim claim = pool.claim(session, claimant(call.server()));
                try {
                    result = session.callTool(call.tool(), call.arguments(), requestOptions);
                } finally {
                    claim.close(); // before the call's end is queued: nothing of its server's comes after it
                }
                return new CallDone(index, new ToolCallOutcome.Completed(call, result),
                        new ToolCallCompleted(id, result));
            } catch (CallCancelledException e) {
                return failed(call, id, index, e, true, attempts);
            } catch (SessionCreationException e) {
                if (e.getCause() instanceof InterruptedException) {
                    return failed(call, id, index, e, true, attempts);
                }
                failure = e;
                mayRetry = true; // no session: the call never left
            } catch (TransportClosedException e) {
                failure = e;
                mayRetry = !e.requestSent() || safeToRetry(call);
            } catch (RuntimeException e) {
                return failed(call, id, index, e, false, attempts);
            }
            if (!mayRetry || attempts >= options.maxAttempts()) {
                return failed(call, id, index, failure, false, attempts);
            }
            try {
                Thread.sleep(options.backoff().multipliedBy(1L << Math.min(attempts - 1, 20)));
            } catch (InterruptedException e) {
                return failed(call, id, index, failure, true, attempts);
            }
            int tried = attempts;
            LOG.log(System.Logger.Level.DEBUG, () -> name + ": trying " + call.tool() + " on " + call.server()
                    + " again after " + tried + " attempt(s): " + failure);
        }
    }

    /**
     * What this conversation takes of a server's traffic while one of its calls runs on the server's session: the
     * notifications, as events; the requests it has handlers for, run on the conversation's thread.
     */
    private Claimant claimant(TransportKey server) {
        ServerEvents events = new ServerEvents() {
            @Override
            public void onLog(LogMessage message) {
                mailbox.offer(new Delivery(new ServerLog(server, message)));
            }

            @Override
            public void onToolsChanged() {
                notice("notifications/tools/list_changed", null);
            }

            @Override
            public void onResourcesChanged() {
                notice("notifications/resources/list_changed", null);
            }

            @Override
            public void onPromptsChanged() {
                notice("notifications/prompts/list_changed", null);
            }

            @Override
            public void onResourceUpdated(String uri) {
                notice("notifications/resources/updated", dev.weft.mcp.McpProtocol.toJson(Map.of("uri", uri)));
            }

            @Override
            public void onElicitationComplete(String elicitationId) {
                notice("notifications/elicitation/complete",
                        dev.weft.mcp.McpProtocol.toJson(Map.of("elicitationId", elicitationId)));
            }

            @Override
            public void onNotification(String method, JsonNode params) {
                notice(method, params);
            }

            private void notice(String method, JsonNode params) {
                mailbox.offer(new Delivery(new ServerNotice(server, method, params)));
            }
        };
        Handlers.Sampling sampling = options.sampling() == null ? null
                : request -> hostCall(() -> options.sampling().createMessage(request));
        Handlers.Elicitation elicitation = options.elicitation() == null ? null
                : request -> hostCall(() -> options.elicitation().elicit(request));
        Handlers.Roots roots = options.roots() == null ? null : () -> hostCall(() -> options.roots().roots());
        return new Claimant(events, sampling, elicitation, roots);
    }

    /** On a session's request thread: runs {@code work} on the conversation's thread and waits for its answer. */
    @SuppressWarnings("unchecked")
    private <T> T hostCall(Callable<T> work) throws Exception {
        HostCall call = new HostCall((Callable<Object>) work);
        mailbox.offer(call);
        return (T) call.await();
    }

    private static CallDone failed(ToolCall call, long id, int index, RuntimeException cause, boolean cancelled,
                                   int attempts) {
        return new CallDone(index, new ToolCallOutcome.Failed(call, cause, cancelled),
                new ToolCallFailed(id, cause, cancelled, attempts));
    }

    /** Whether the tool says a second run is harmless; asks the server (through a fresh session) once per server. */
    private boolean safeToRetry(ToolCall call) {
        Map<String, Tool> known = tools.get(call.server());
        if (known == null) {
            try {
                known = remember(call.server(), pool.session(call.server()).listTools());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": cannot list the tools of " + call.server()
                        + " to decide a retry: " + e);
                return false;
            }
        }
        Tool tool = known.get(call.tool());
        return tool != null && tool.safeToRetry();
    }

    private Map<String, Tool> remember(TransportKey server, List<Tool> list) {
        Map<String, Tool> byName = new HashMap<>();
        for (Tool tool : list) {
            byName.put(tool.name(), tool);
        }
        Map<String, Tool> known = Map.copyOf(byName);
        tools.put(server, known);
        return known;
    }
}
