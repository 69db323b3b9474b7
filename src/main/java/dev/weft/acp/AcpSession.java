package dev.weft.acp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.mcp.Content;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One session with an agent: a conversation the agent keeps, in which the host prompts, turn after turn.
 *
 * <h2>Threads: updates on the prompting thread</h2>
 * {@link #prompt} blocks the calling thread for the whole turn and runs on it, in arrival order, everything the turn
 * brings: the listener for each update, the permission handler for each permission request, then the result. The
 * connection's reader only queues them, so a listener may block, may take locks its thread holds, and may call back
 * into the agent ({@link #setMode}) without stalling the connection. Updates that arrive while no prompt runs (a mode
 * change after {@link #setMode}, late updates after a turn) go to the {@linkplain #listenBetweenPrompts listener
 * between prompts}.
 *
 * <h2>Cancelling orphans nothing</h2>
 * {@link #cancel()} from any thread, or an interrupt of the prompting thread, cancels the turn: the client sends
 * {@code session/cancel}, answers every pending permission request {@code cancelled}, keeps delivering the agent's
 * updates until it answers (at most {@link AcpClientOptions#cancelDrain()}), then ends every tool call still open with
 * one terminal {@code failed} update of its own, and reports the turn {@link StopReason#CANCELLED} whatever the agent
 * answered ({@code end_turn} and errors after a cancel are common). The session stays usable.
 *
 * <p>Thread-safe; one prompt at a time. {@code running} is guarded by {@code lock}.
 */
public final class AcpSession {
    private static final System.Logger LOG = System.getLogger(AcpSession.class.getName());

    private final AcpClient client;
    private final String id;
    private final Path cwd;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile SessionModes modes;
    private volatile String currentModeId;
    private volatile Consumer<SessionUpdate> betweenPrompts;
    private volatile List<SessionUpdate.Command> availableCommands = List.of();
    private PromptTurn running; // lock
    private boolean closed; // lock

    AcpSession(AcpClient client, String id, Path cwd, SessionModes modes) {
        this.client = client;
        this.id = id;
        this.cwd = cwd;
        modesLoaded(modes);
    }

    /** {@return the agent's id of this session} Agents treat it as a secret: logs show only its last 8 characters. */
    public String id() {
        return id;
    }

    /** {@return the session's working directory} */
    public Path cwd() {
        return cwd;
    }

    /** {@return the client the session belongs to} */
    public AcpClient client() {
        return client;
    }

    /** {@return the modes the agent offered, if any} */
    public Optional<SessionModes> modes() {
        return Optional.ofNullable(modes);
    }

    /** {@return the session's mode now: as offered, then as changed by {@link #setMode} or the agent's updates} */
    public Optional<String> currentModeId() {
        return Optional.ofNullable(currentModeId);
    }

    /**
     * {@return the slash commands the agent offers now, as its last {@code available_commands_update} said} Agents
     * often send one as the session is made; empty until then.
     */
    public List<SessionUpdate.Command> availableCommands() {
        return availableCommands;
    }

    /**
     * Sends a text prompt, with the client's permission handler; see
     * {@link #prompt(List, Consumer, PermissionHandler)}.
     *
     * @param text     the prompt
     * @param listener receives the turn's updates, on the calling thread
     * @return how the turn ended
     */
    public PromptResult prompt(String text, Consumer<SessionUpdate> listener) {
        return prompt(List.of(new Content.Text(text)), listener, client.options().permissions());
    }

    /**
     * Sends a prompt, with the client's permission handler; see {@link #prompt(List, Consumer, PermissionHandler)}.
     *
     * @param prompt   the prompt's content blocks
     * @param listener receives the turn's updates, on the calling thread
     * @return how the turn ended
     */
    public PromptResult prompt(List<? extends Content> prompt, Consumer<SessionUpdate> listener) {
        return prompt(prompt, listener, client.options().permissions());
    }

    /**
     * Sends a prompt and blocks until the turn ends, running {@code listener} for each of the turn's updates and
     * {@code permissions} for each permission request on the calling thread, in arrival order, before returning.
     *
     * @param prompt      content blocks: text and resource links always; images, audio and embedded resources when the
     *                    agent's {@linkplain AgentInfo.PromptCapabilities prompt capabilities} allow them
     * @param listener    receives every update; what it throws cancels the turn and is rethrown once the turn ends
     * @param permissions decides the turn's permission requests
     * @return how the turn ended; every tool call of the turn has ended
     * @throws dev.weft.jsonrpc.TransportClosedException the agent's connection ended (the agent exited); at once
     * @throws dev.weft.jsonrpc.PeerErrorException      the agent answered the prompt with an error (not after a cancel)
     * @throws dev.weft.jsonrpc.CallTimeoutException    no update came for {@link AcpClientOptions#promptIdleTimeout()};
     *                                                  the turn was cancelled first
     * @throws dev.weft.jsonrpc.CallCancelledException  the calling thread was interrupted; the turn was cancelled and
     *                                                  its tool calls ended, and the interrupt flag is set
     * @throws IllegalStateException                    another prompt runs on this session, or it is closed
     * @throws IllegalArgumentException                 a block the agent's prompt capabilities do not allow
     */
    public PromptResult prompt(List<? extends Content> prompt, Consumer<SessionUpdate> listener,
                               PermissionHandler permissions) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(permissions, "permissions");
        ObjectNode params = AcpJson.object();
        params.put("sessionId", id);
        ArrayNode blocks = params.putArray("prompt");
        AgentInfo.PromptCapabilities allowed = client.agent().agentCapabilities().promptCapabilities();
        for (Content block : prompt) {
            String refused = switch (block) {
                case Content.Image image when !allowed.image() -> "images (promptCapabilities.image)";
                case Content.Audio audio when !allowed.audio() -> "audio (promptCapabilities.audio)";
                case Content.EmbeddedResource resource when !allowed.embeddedContext() ->
                        "embedded resources (promptCapabilities.embeddedContext); send a resource link instead";
                default -> null;
            };
            if (refused != null) {
                throw new IllegalArgumentException(client.describe() + ": the agent takes no " + refused);
            }
            blocks.add(AcpJson.tree(block));
        }
        PromptTurn turn = new PromptTurn(this, listener, permissions);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("session " + shortId(id) + " on " + client.describe()
                        + " is closed");
            }
            if (running != null) {
                throw new IllegalStateException("a prompt is running on session " + shortId(id) + " already");
            }
            running = turn;
        } finally {
            lock.unlock();
        }
        try {
            return turn.run(params);
        } finally {
            lock.lock();
            try {
                running = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Cancels the running prompt, if any; returns at once, and the prompt returns once the cancel is complete (see the
     * class comment). Any thread.
     *
     * @return whether a prompt was running and this call cancelled it
     */
    public boolean cancel() {
        PromptTurn turn = current();
        return turn != null && turn.cancel("cancelled by the host");
    }

    /**
     * Asks the agent to switch to mode {@code modeId} ({@code session/set_mode}). May be called from a prompt's
     * listener while the turn runs.
     *
     * @param modeId one of the {@linkplain #modes() modes} the agent offered
     */
    public void setMode(String modeId) {
        ObjectNode params = AcpJson.object();
        params.put("sessionId", id);
        params.put("modeId", Objects.requireNonNull(modeId, "modeId"));
        client.connection().call("session/set_mode", params);
        currentModeId = modeId;
    }

    /**
     * Sets who receives the updates that arrive while no prompt runs, or {@code null} to log and drop them. It runs on
     * the connection's dispatcher thread, in order, and must return quickly (hand the update to a thread of the host's):
     * the answers of the client's requests wait for it.
     *
     * @param listener receives the updates, or {@code null}
     */
    public void listenBetweenPrompts(Consumer<SessionUpdate> listener) {
        betweenPrompts = listener;
    }

    /**
     * Closes the session on this side: a running prompt is cancelled, and the session's terminals are killed. The
     * agent keeps its side (it may be {@linkplain AcpClient#loadSession loaded} again). Idempotent.
     */
    public void close() {
        PromptTurn turn;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            turn = running;
        } finally {
            lock.unlock();
        }
        if (turn != null) {
            turn.cancel("the session is closing");
        }
        client.forget(this);
    }

    /** The client closed: forget the turn's state; the connection's end has failed any prompt. */
    void closeLocally() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        if (client.options().terminals() != null) {
            client.options().terminals().releaseAll(id);
        }
    }

    @Override
    public String toString() {
        return "AcpSession[" + shortId(id) + " on " + client.describe() + "]";
    }

    /** A session id as logs may show it: its last 8 characters (agents treat ids as bearer tokens). */
    static String shortId(String sessionId) {
        if (sessionId == null) {
            return "null";
        }
        return sessionId.length() <= 8 ? sessionId : "…" + sessionId.substring(sessionId.length() - 8);
    }

    // ---- for the client and the turn --------------------------------------------------------------------------------

    private PromptTurn current() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    void modesLoaded(SessionModes modes) {
        this.modes = modes;
        if (modes != null && modes.currentModeId() != null) {
            currentModeId = modes.currentModeId();
        }
    }

    /** On the connection's dispatcher: to the running prompt's queue, else to the listener between prompts. */
    void onUpdate(SessionUpdate update) {
        PromptTurn turn = current();
        if (turn != null && turn.offer(update)) {
            return;
        }
        noteBetweenPrompts(update);
        Consumer<SessionUpdate> listener = betweenPrompts;
        if (listener == null) {
            LOG.log(System.Logger.Level.DEBUG, () -> this + ": update between prompts: " + update.kind());
            return;
        }
        try {
            listener.accept(update);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, this + ": the listener between prompts failed on " + update.kind(), e);
        }
    }

    /** Keeps what the session tracks itself (its mode, its commands) from an update. */
    void noteBetweenPrompts(SessionUpdate update) {
        switch (update) {
            case SessionUpdate.CurrentModeUpdate mode -> currentModeId = mode.currentModeId();
            case SessionUpdate.AvailableCommandsUpdate commands -> availableCommands = commands.availableCommands();
            default -> { }
        }
    }

    /** Called by a turn on its thread for each update it delivers. */
    void noteDuringPrompt(SessionUpdate update) {
        noteBetweenPrompts(update);
    }

    /** How many permission requests of the running prompt wait for an answer; for tests and diagnostics. */
    int openPermissionRequests() {
        PromptTurn turn = current();
        return turn == null ? 0 : turn.openPermissionRequests();
    }

    /** On a permission request's own thread: waits for the running prompt's thread to decide, or for a cancel. */
    PermissionOutcome requestPermission(SessionUpdate.ToolCallUpdate toolCall, List<PermissionOption> options)
            throws InterruptedException {
        PromptTurn turn = current();
        if (turn == null) {
            LOG.log(System.Logger.Level.WARNING, () -> this + ": permission request for " + toolCall.toolCallId()
                    + " while no prompt runs; answered cancelled");
            return PermissionOutcome.cancelled();
        }
        return turn.requestPermission(toolCall, options);
    }
}
