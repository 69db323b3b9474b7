package dev.weft.pool;

import dev.weft.internal.CloseOnce;
import dev.weft.internal.Uninterruptibles;
import dev.weft.internal.jfr.PoolWaitEvent;
import dev.weft.internal.jfr.SessionClosedEvent;
import dev.weft.internal.jfr.SessionEvent;
import dev.weft.mcp.McpSession;
import dev.weft.scope.TaskScope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A pool of MCP client sessions with one live session per {@link TransportKey}, shared by every caller: the runtime's
 * answer to a cold {@code get_or_create_session()} that blocks the loop that must serve it and races into duplicate
 * sessions (oracle/wayflow #114).
 *
 * <pre>{@code
 * try (SessionPool pool = SessionPool.open()) {
 *     McpSession everything = pool.session(TransportKey.stdio("npx", "-y", "@modelcontextprotocol/server-everything"));
 *     everything.callTool("echo", Map.of("message", "hi"));
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 * Each key has a <em>slot</em>: its live session, if any, and a {@link ReentrantLock} taken only around making one.
 * {@link #session} returns a live session without any lock. Otherwise it takes the slot's lock and looks again: a
 * caller that waited while another made the session gets that session; only the first makes one. So concurrent cold
 * callers of one key get the same object, different keys are made in parallel (their slots' locks are unrelated), and
 * waiting parks a virtual thread without pinning its carrier. Each slot counts its finished attempts: a caller that
 * waited through an attempt that failed gets that failure instead of trying again itself, so a failure reaches every
 * waiter once; the slot then leaves the pool, holding nothing, and the next caller starts afresh. A session is made on
 * a virtual thread forked in a {@link TaskScope} with the creation timeout, so a slow start is abandoned, interrupted
 * and cleaned up, and {@link #close()} cancels it.
 *
 * <p>A session that dies (its reader ended: the process exited, the HTTP session expired, it was closed) leaves its
 * slot at once, through a watch on its end, and the next caller gets a fresh one. A session unused for the idle
 * timeout, with no request in flight, is closed; at the session limit, the least recently used idle session is closed
 * to make room.
 *
 * <p><b>Locks</b>, in the only order they are taken: a slot's {@code lock}, then the pool's {@code lock} (the state,
 * the count of sessions, the sets of threads and creations). Nothing blocking runs under the pool's lock; only making
 * a session runs under a slot's. Sessions are closed after unlocking, on threads of their own.
 *
 * <h2>Threads</h2>
 * Thread-safe. {@link #session} blocks only while a session for its key is being made, by this caller or another, for
 * at most the creation timeout. A pool runs one virtual thread per session (the watch on its end), one per session
 * being closed, and one housekeeper when sessions have an idle timeout; {@link #close()} waits for all of them.
 */
public final class SessionPool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();


    /**
     * A key's place in the pool. {@code entry} and {@code attempts} are written under {@code lock} and read without it;
     * {@code lastFailure} and {@code retired} are read and written under it.
     */
    private static final class Slot {
        final TransportKey key;
        final ReentrantLock lock = new ReentrantLock();
        volatile Entry entry; // the live session, or null
        volatile long attempts; // attempts to make the session that finished, failed or not
        Throwable lastFailure; // why the last attempt failed; null when it did not
        boolean retired; // out of the pool's map: a caller holding it must look the key up again

        Slot(TransportKey key) {
            this.key = key;
        }
    }

    /** A session and its bookkeeping. It counts toward the pool's size until {@code released}, once. */
    private static final class Entry {
        final TransportKey key;
        final McpSession session;
        final Routes routes;
        final AtomicBoolean released = new AtomicBoolean();
        final long madeAt = System.nanoTime(); // for its JFR event; the ticker is the pool's clock for idleness
        volatile long lastUsed;

        Entry(TransportKey key, McpSession session, Routes routes, long now) {
            this.key = key;
            this.session = session;
            this.routes = routes;
            this.lastUsed = now;
        }

        /** Records that the session left the pool, and why, for whoever records {@code weft.SessionClosed}. */
        void left(String reason) {
            SessionClosedEvent event = new SessionClosedEvent();
            if (event.shouldCommit()) {
                event.key = key.toString();
                event.reason = reason;
                event.lifetime = System.nanoTime() - madeAt;
                event.commit();
            }
        }

        boolean usable() {
            return !released.get() && session.isOpen();
        }

        boolean idle() {
            return usable() && session.pendingRequests() == 0;
        }
    }

    private final SessionPoolOptions options;
    private final LongSupplier ticker;
    private final String name;
    private final ConcurrentHashMap<TransportKey, Slot> slots = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<McpSession, Routes> routes = new ConcurrentHashMap<>(); // the pool's live sessions
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition threadsDone = lock.newCondition(); // a watch or closer ended
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final CloseOnce closing = new CloseOnce(lock); // OPEN -> CLOSING -> CLOSED
    private int size; // sessions held or being made; lock
    private final Set<TaskScope> creations = new HashSet<>(); // scopes making a session; lock
    private final Set<Thread> threads = new HashSet<>(); // watches and closers running; lock
    private final Thread housekeeper; // null without an idle timeout

    SessionPool(SessionPoolOptions options, LongSupplier ticker) {
        this.options = Objects.requireNonNull(options, "options");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.name = "weft-pool-" + COUNTER.incrementAndGet();
        this.housekeeper = options.idleTimeout() == null ? null
                : Thread.ofVirtual().name(name + "-housekeeper").unstarted(this::housekeep);
    }

    /**
     * Opens a pool with {@code options}.
     *
     * @param options the limits, the client options and the session factory
     * @return the open pool; any thread may use it
     */
    public static SessionPool open(SessionPoolOptions options) {
        SessionPool pool = new SessionPool(options, System::nanoTime);
        if (pool.housekeeper != null) {
            pool.housekeeper.start();
        }
        return pool;
    }

    /**
     * Opens a pool with the {@linkplain SessionPoolOptions#defaults() default options}.
     *
     * @return the open pool; any thread may use it
     */
    public static SessionPool open() {
        return open(SessionPoolOptions.defaults());
    }

    /**
     * The live session for {@code key}, made now if there is none. Every caller of one key gets the same session while
     * it lives; a session that died is replaced by the first caller after its death.
     *
     * @param key the server
     * @return the live session, shared with every caller of {@code key}; the pool closes it (see {@link #evict})
     * @throws SessionCreationException  if making the session failed or took longer than the creation timeout, for this
     *                                   caller or for the one it waited for; if the caller was interrupted while waiting
     *                                   (the cause is an {@link InterruptedException}, the flag is set again)
     * @throws SessionPoolFullException  if the pool holds its maximum of sessions and none is idle
     * @throws IllegalStateException     if the pool is closed
     */
    public McpSession session(TransportKey key) {
        Objects.requireNonNull(key, "key");
        PoolWaitEvent wait = null;
        while (true) {
            Slot slot = slots.computeIfAbsent(key, Slot::new);
            Entry entry = slot.entry;
            if (entry != null && entry.usable()) {
                entry.lastUsed = ticker.getAsLong();
                return entry.session;
            }
            checkOpen();
            if (wait == null) {
                wait = new PoolWaitEvent();
                wait.begin();
            }
            String outcome = "failed";
            try {
                McpSession made = makeOrJoin(slot, slot.attempts, wait);
                if (made != null) {
                    outcome = "ok";
                    return made;
                }
                outcome = null; // look again
            } finally {
                if (outcome != null) {
                    wait.end();
                    if (wait.shouldCommit()) {
                        wait.key = key.toString();
                        wait.outcome = outcome;
                        wait.commit();
                    }
                }
            }
        }
    }

    /**
     * {@return the live session for {@code key} if there is one; never makes one, never blocks}
     *
     * @param key the server
     */
    public Optional<McpSession> sessionIfPresent(TransportKey key) {
        Slot slot = slots.get(Objects.requireNonNull(key, "key"));
        Entry entry = slot == null ? null : slot.entry;
        return entry != null && entry.usable() ? Optional.of(entry.session) : Optional.empty();
    }

    /**
     * Closes the session of {@code key}, if there is one, so that the next caller gets a fresh one. Returns at once;
     * the session closes on a thread of its own (calls in flight on it fail).
     *
     * @param key the server
     * @return whether there was a session to close
     */
    public boolean evict(TransportKey key) {
        Slot slot = slots.get(Objects.requireNonNull(key, "key"));
        Entry entry = slot == null ? null : slot.entry;
        return entry != null && discard(entry, "evicted");
    }

    /**
     * An open claim on a session's server-to-client traffic; {@link #close()} withdraws it. Any thread may close it;
     * that never blocks.
     */
    public interface Claim extends AutoCloseable {
        /** Withdraws the claim. Idempotent. */
        @Override
        void close();
    }

    /**
     * Claims {@code session}'s notifications and requests for {@code claimant} until the claim is closed (see
     * {@link Claimant}). A conversation claims the session around each of its calls. A session that is not (or no
     * longer) the pool's gets a claim that does nothing. Any thread; never blocks.
     *
     * @param session  a session of this pool's
     * @param claimant where the session's notifications and requests go while the claim is open
     * @return the claim; close it when the call is done
     */
    public Claim claim(McpSession session, Claimant claimant) {
        Routes sessionRoutes = routes.get(Objects.requireNonNull(session, "session"));
        Objects.requireNonNull(claimant, "claimant");
        return sessionRoutes == null ? () -> { } : sessionRoutes.claim(claimant);
    }

    /** {@return how many sessions the pool holds, those being made included} */
    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    // ---- making a session -------------------------------------------------------------------------------------------

    /**
     * Under the slot's lock: the session another caller made meanwhile, the failure of the attempt this caller waited
     * through, or a session made now. {@code null} when the slot left the pool meanwhile (look again).
     *
     * @param seen the slot's finished attempts when this caller found no live session
     */
    private McpSession makeOrJoin(Slot slot, long seen, PoolWaitEvent wait) {
        try {
            slot.lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionCreationException(slot.key, e);
        }
        try {
            if (slot.attempts != seen && slot.lastFailure != null) {
                throw new SessionCreationException(slot.key, slot.lastFailure); // the attempt waited for failed
            }
            if (slot.retired) {
                return null;
            }
            Entry entry = slot.entry;
            if (entry != null) {
                if (entry.usable()) {
                    entry.lastUsed = ticker.getAsLong();
                    return entry.session; // made while this caller waited
                }
                slot.entry = null; // dead, and its watch has not run yet
                discard(entry, "dead");
            }
            wait.madeHere = true;
            return make(slot);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Makes the slot's session; the caller holds the slot's lock. */
    private McpSession make(Slot slot) {
        reserve(slot.key);
        Routes sessionRoutes = new Routes(options.clientOptions());
        McpSession session;
        SessionEvent created = new SessionEvent();
        created.begin();
        try {
            session = runFactory(slot.key, sessionRoutes);
            commit(created, slot.key, "made");
        } catch (Abandoned e) {
            commit(created, slot.key, "abandoned: " + e.getCause());
            release();
            if (!closing.isOpen()) {
                throw closedException();
            }
            Thread.currentThread().interrupt(); // abandoned by this caller's interrupt: waiters try again themselves
            throw new SessionCreationException(slot.key, e.getCause());
        } catch (Exception | Error e) {
            commit(created, slot.key, "failed: " + e);
            release();
            slot.attempts++;
            slot.lastFailure = e;
            retire(slot);
            throw new SessionCreationException(slot.key, e);
        }
        Entry entry = new Entry(slot.key, session, sessionRoutes, ticker.getAsLong());
        if (!admit(entry, slot)) {
            session.close(); // the pool closed while it was made
            throw closedException();
        }
        slot.entry = entry;
        slot.attempts++;
        slot.lastFailure = null;
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": session for " + slot.key + " made");
        return session;
    }

    private static void commit(SessionEvent event, TransportKey key, String outcome) {
        event.end();
        if (event.shouldCommit()) {
            event.key = key.toString();
            event.outcome = outcome;
            event.commit();
        }
    }

    /** Making a session was given up because the caller was interrupted or the pool closed; not the key's fault. */
    private static final class Abandoned extends Exception {
        private static final long serialVersionUID = 1L;

        Abandoned(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Runs the factory on a virtual thread of a scope with the creation timeout, which {@link #close()} may cancel. A
     * session made too late (the scope cancelled meanwhile) is closed here.
     */
    private McpSession runFactory(TransportKey key, Routes sessionRoutes) throws Exception {
        AtomicReference<McpSession> made = new AtomicReference<>();
        Exception failure = null;
        try (TaskScope scope = TaskScope.open(c -> c.withName(name + "-make")
                .withTimeout(options.creationTimeout()))) {
            if (!register(scope)) {
                throw new Abandoned(closedException());
            }
            try {
                scope.fork(() -> {
                    made.set(options.factory().open(key, sessionRoutes.sessionOptions()));
                    return null;
                });
                scope.join();
            } catch (TaskScope.FailedException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                failure = e.getCause() instanceof Exception cause ? cause : new Exception(e.getCause());
            } catch (TaskScope.TimeoutException e) {
                failure = new java.util.concurrent.TimeoutException("no session within the creation timeout of "
                        + options.creationTimeout());
            } catch (CancellationException e) {
                failure = new Abandoned(closedException());
            } catch (InterruptedException e) {
                failure = new Abandoned(e);
            } finally {
                unregister(scope);
            }
        } // waits for the factory's thread: what it made is in `made` from here on
        McpSession session = made.get();
        if (failure == null) {
            return session;
        }
        if (session != null) {
            session.close();
        }
        throw failure;
    }

    // ---- the count of sessions, and what the pool's lock guards --------------------------------------------------

    /** Takes one unit of the pool's size for a session about to be made, closing an idle one if the pool is full. */
    private void reserve(TransportKey key) {
        Entry victim;
        lock.lock();
        try {
            if (!closing.isOpen()) {
                throw closedException();
            }
            if (size < options.maxSessions()) {
                size++;
                return;
            }
            victim = leastRecentlyUsedIdle();
            if (victim == null) {
                throw new SessionPoolFullException(key, options.maxSessions());
            }
            if (!victim.released.compareAndSet(false, true)) {
                size++; // released meanwhile, which made room; otherwise its unit passes to the new session as it is
            }
            routes.remove(victim.session, victim.routes);
        } finally {
            lock.unlock();
        }
        victim.left("least recently used, closed to make room for " + key);
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": full; closing the least recently used idle session, "
                + victim.session.describe() + ", for " + key);
        closeLater(victim.session);
    }

    /** The idle session used longest ago, or {@code null}; the caller holds the pool's lock. */
    private Entry leastRecentlyUsedIdle() {
        Entry oldest = null;
        for (Slot slot : slots.values()) {
            Entry entry = slot.entry;
            if (entry != null && entry.idle() && (oldest == null || entry.lastUsed - oldest.lastUsed < 0)) {
                oldest = entry;
            }
        }
        return oldest;
    }

    /** Gives back the unit of a session that was not made. */
    private void release() {
        lock.lock();
        try {
            size--;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the entry's unit, once, and closes its session after unlocking; {@code false} if done already. */
    private boolean discard(Entry entry, String why) {
        if (!entry.released.compareAndSet(false, true)) {
            return false;
        }
        routes.remove(entry.session, entry.routes);
        release();
        entry.left(why);
        LOG.log(System.Logger.Level.DEBUG, () -> name + ": session " + entry.session.describe() + " " + why);
        closeLater(entry.session);
        return true;
    }

    /** Accepts a made session, and starts the watch on its end, unless the pool is closing. */
    private boolean admit(Entry entry, Slot slot) {
        Thread watch = Thread.ofVirtual().name(name + "-watch").unstarted(() -> watchUntilDeath(entry, slot));
        lock.lock();
        try {
            if (!closing.isOpen()) {
                return false;
            }
            threads.add(watch);
            routes.put(entry.session, entry.routes);
        } finally {
            lock.unlock();
        }
        watch.start();
        return true;
    }

    /** On the session's watch: when it ends, for whatever reason, it leaves the pool. */
    private void watchUntilDeath(Entry entry, Slot slot) {
        try {
            Throwable cause = awaitEnd(entry.session);
            routes.remove(entry.session, entry.routes);
            if (entry.released.compareAndSet(false, true)) {
                release();
                entry.left("ended: " + cause);
                LOG.log(System.Logger.Level.DEBUG, () -> name + ": session " + entry.session.describe()
                        + " ended: " + cause);
            }
            slot.lock.lock();
            try {
                if (slot.entry == entry) {
                    slot.entry = null;
                    retire(slot);
                }
            } finally {
                slot.lock.unlock();
            }
        } finally {
            finished(Thread.currentThread());
        }
    }

    private static Throwable awaitEnd(McpSession session) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return session.awaitClosed();
                } catch (InterruptedException e) {
                    interrupted = true; // nobody interrupts a watch; its session's end is what it waits for
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes the slot out of the pool; the caller holds its lock. */
    private void retire(Slot slot) {
        slot.retired = true;
        slots.remove(slot.key, slot);
    }

    /** Closes {@code session} on a virtual thread of its own, which {@link #close()} waits for. */
    private void closeLater(McpSession session) {
        Thread closer = Thread.ofVirtual().name(name + "-close").unstarted(() -> {
            try {
                session.close();
            } finally {
                finished(Thread.currentThread());
            }
        });
        lock.lock();
        try {
            threads.add(closer);
        } finally {
            lock.unlock();
        }
        closer.start();
    }

    private void finished(Thread thread) {
        lock.lock();
        try {
            threads.remove(thread);
            threadsDone.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean register(TaskScope scope) {
        lock.lock();
        try {
            if (!closing.isOpen()) {
                return false;
            }
            creations.add(scope);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void unregister(TaskScope scope) {
        lock.lock();
        try {
            creations.remove(scope);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (!closing.isOpen()) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException(name + " is closed");
    }

    // ---- idle sessions ----------------------------------------------------------------------------------------------

    /** On the housekeeper: closes the sessions idle for the idle timeout, checking a quarter of it at a time. */
    private void housekeep() {
        long idle = options.idleTimeout().toNanos();
        long period = Math.clamp(idle / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30));
        while (!Uninterruptibles.awaitUninterruptibly(stopping, period)) {
            long now = ticker.getAsLong();
            for (Slot slot : slots.values()) {
                Entry entry = slot.entry;
                if (entry != null && entry.idle() && now - entry.lastUsed >= idle) {
                    discard(entry, "closed after " + options.idleTimeout() + " unused");
                }
            }
        }
    }

    // ---- close ------------------------------------------------------------------------------------------------------

    /**
     * Closes the pool: no session is made from now on ({@link #session} throws {@link IllegalStateException}), sessions
     * being made are abandoned, and every session is closed, in parallel; returns when all are closed and every thread
     * of the pool has ended. Each session's close is bounded (a stdio server gets its grace period, then is killed), and
     * a session being made gets the close timeout to give up. Idempotent; a second caller waits for the first.
     */
    @Override
    public void close() {
        List<TaskScope> making;
        lock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
            making = new ArrayList<>(creations);
        } finally {
            lock.unlock();
        }
        try {
            stopping.countDown();
            making.forEach(TaskScope::cancel);
            long deadline = System.nanoTime() + options.closeTimeout().toNanos();
            for (Slot slot : slots.values()) {
                takeForClose(slot, deadline);
            }
            if (housekeeper != null) {
                Uninterruptibles.joinUninterruptibly(housekeeper);
            }
            lock.lock();
            try {
                Uninterruptibles.awaitUninterruptibly(threadsDone, threads::isEmpty);
            } finally {
                lock.unlock();
            }
            LOG.log(System.Logger.Level.DEBUG, () -> name + " closed");
        } finally {
            closing.finish();
        }
    }

    /** Takes the slot's session out and closes it; waits for a session being made until {@code deadline}. */
    private void takeForClose(Slot slot, long deadline) {
        if (!Uninterruptibles.tryLockUninterruptibly(slot.lock, deadline - System.nanoTime())) {
            LOG.log(System.Logger.Level.WARNING, () -> name + ": the session for " + slot.key + " is still being "
                    + "made after the close timeout of " + options.closeTimeout() + "; it will be closed when made");
            return;
        }
        Entry entry;
        try {
            entry = slot.entry;
            slot.entry = null;
            retire(slot);
        } finally {
            slot.lock.unlock();
        }
        if (entry != null) {
            discard(entry, "closed with the pool");
        }
    }

    @Override
    public String toString() {
        return name + "[" + size() + " sessions, " + closing.state() + "]";
    }
}
