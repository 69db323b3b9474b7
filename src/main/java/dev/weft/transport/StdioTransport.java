package dev.weft.transport;

import dev.weft.internal.CloseOnce;
import dev.weft.internal.ProcessTree;
import dev.weft.jsonrpc.FrameTooLargeException;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Transport;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * JSON-RPC over standard input and output, one JSON message per line: the MCP stdio transport.
 *
 * <p>Two directions. {@link #spawn(ProcessSpec)} starts a server process and talks to it through its pipes (a client);
 * {@link #overStreams} talks over given streams, such as our own standard input and output when Weft hosts a server.
 *
 * <p><b>Framing.</b> Each message is written as compact UTF-8 JSON followed by {@code \n}, and flushed. Lines are read
 * within the codec's {@linkplain JsonRpcCodec#maxFrameBytes() frame limit} ({@code \r\n} accepted, blank lines
 * skipped): a longer line ends the transport with {@link dev.weft.jsonrpc.FrameTooLargeException} without being
 * buffered; a line that is not a valid message makes {@link #receive} throw {@link MalformedMessageException}, and the
 * transport stays usable.
 *
 * <p><b>Design.</b> One reader thread per transport (the {@link Pump}) reads lines into a bounded {@link BoundedInbox};
 * {@link #receive} takes from the inbox and never touches the pipe. So whatever ends the transport (end of output, the
 * child's exit even while a grandchild holds the pipe open, {@link #close}) wakes the receiver at once, without
 * interrupts. Frames read before the end are delivered before the terminal error; see {@link ChildProcess} for the
 * drain window after a process exits.
 *
 * <p><b>Ends.</b> Sticky, the first one wins: {@link ProcessExitedException} when the child exits or closes its output
 * while running (with pid, exit code, command and standard error tail); {@code FrameTooLargeException}; an
 * {@link IOException} when reading or writing fails; {@link EOFException} at the end of a stream in the server
 * direction, or after our own {@link #close}. Every later {@code receive} and {@code send} throws a fresh exception of
 * the same kind whose cause is that terminal error.
 *
 * <p><b>Threads.</b> {@link #send} is safe from any number of threads: a {@link ReentrantLock} keeps messages whole
 * and in one piece on the wire; it writes on the caller's thread and blocks while the pipe is full (a peer that does
 * not read), until the peer reads or the transport is closed. {@link #receive} has one caller. {@link #close} may be
 * called from any thread, any number of times; every call returns once the transport is closed. The threads the
 * transport runs are named {@code weft-stdio-...} and end at close (for a process) or at the end of the input (over
 * streams). Those that read a pipe are platform daemon threads, on purpose: see {@link ChildProcess}.
 *
 * <p><b>Memory.</b> Bounded: a line being read (at most the frame limit), up to 1 MiB of frames read but not yet
 * received (or one frame of any size), and the standard error tail.
 */
public final class StdioTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(StdioTransport.class.getName());
    private static final AtomicInteger STREAMS = new AtomicInteger();
    /** Frames read but not yet received: up to 1 MiB of them, or one frame of any size. */
    private static final long INBOX_BYTES = 1024 * 1024;
    /** How long close waits for a send in progress before closing the output without it. */
    private static final long SEND_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);


    private final String description;
    private final JsonRpcCodec codec;
    private final BoundedInbox<Object> inbox;
    private final OutputStream out; // written by senders under sendLock; closed by close() once no send runs
    private final InputStream in; // read by the pump; closed by close() in the server direction only
    private final ChildProcess child; // null in the server direction
    private final Thread pumpThread; // null in the client direction (the child runs its own)
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    /** {@code OPEN -> CLOSING -> CLOSED}; guarded by {@code stateLock}. The first {@link #close} moves it. */
    private final CloseOnce closing = new CloseOnce(stateLock); // OPEN -> CLOSING -> CLOSED

    private StdioTransport(String description, JsonRpcCodec codec, BoundedInbox<Object> inbox, OutputStream out,
                           InputStream in, ChildProcess child, Thread pumpThread) {
        this.description = description;
        this.codec = codec;
        this.inbox = inbox;
        this.out = out;
        this.in = in;
        this.child = child;
        this.pumpThread = pumpThread;
    }

    /** An inbox whose ended errors are copies of the terminal error, a frame too large naming {@code description}. */
    private static BoundedInbox<Object> newInbox(String description) {
        return new BoundedInbox<>(INBOX_BYTES, terminal -> switch (terminal) {
            case ProcessExitedException exited -> new ProcessExitedException(exited);
            case FrameTooLargeException tooLarge -> new FrameTooLargeException(tooLarge.limit(), description);
            case EOFException eof -> new EOFException(eof.getMessage());
            default -> new IOException(terminal.getMessage());
        });
    }

    /**
     * Starts a server process and connects to its standard input and output; its standard error is drained into a
     * bounded tail (and logged at {@code DEBUG}).
     *
     * @param spec the command, its environment and directory, and the limits
     * @return the transport, whose reader has started
     * @throws IOException if the process cannot be started; the message names the command
     */
    public static StdioTransport spawn(ProcessSpec spec) throws IOException {
        Objects.requireNonNull(spec, "spec");
        ProcessTree.Launch launch = ProcessTree.launch(spec.argv(), spec.directory());
        ProcessBuilder builder = new ProcessBuilder(launch.argv());
        builder.environment().putAll(spec.environment());
        if (spec.directory() != null) {
            builder.directory(spec.directory().toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot start [" + spec.commandLine() + "]: " + e.getMessage(), e);
        }
        String description = "stdio[" + spec.commandLine() + "] pid " + process.pid();
        BoundedInbox<Object> inbox = newInbox(description);
        try {
            ChildProcess child = new ChildProcess(spec, process, launch.sessionLeader(), description, inbox);
            StdioTransport transport = new StdioTransport(description, spec.codec(), inbox,
                    process.getOutputStream(), process.getInputStream(), child, null);
            child.start();
            return transport;
        } catch (RuntimeException | Error e) {
            process.toHandle().destroyForcibly();
            throw e;
        }
    }

    /**
     * Talks over the given streams: reads messages from {@code in}, writes them to {@code out}. For a server hosted
     * over a pipe or a socket.
     *
     * <p>{@link #close} closes both streams. Whether that wakes the reader thread out of a read in progress depends on
     * the stream (it does for a socket or an NIO channel's stream); either way {@code receive} is unblocked at once.
     * The end of {@code in} ends the transport with an {@link EOFException}.
     *
     * @param in          the stream messages are read from, one per line
     * @param out         the stream messages are written to, one per line
     * @param description names the transport in errors and {@link #describe()}
     * @param codec       the codec, whose frame limit bounds a line
     * @return the transport, whose reader thread has started
     */
    public static StdioTransport overStreams(InputStream in, OutputStream out, String description, JsonRpcCodec codec) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(codec, "codec");
        BoundedInbox<Object> inbox = newInbox(description);
        PipeActivity activity = new PipeActivity(); // nobody waits on it here; the pump reports to it all the same
        Pump pump = new Pump(in, codec, inbox, activity, false,
                () -> inbox.end(new EOFException(description + ": end of input"), false), description);
        Thread thread = Thread.ofPlatform().daemon().name("weft-stdio-in-" + STREAMS.incrementAndGet()).unstarted(pump);
        StdioTransport transport = new StdioTransport(description, codec, inbox, out, in, null, thread);
        thread.start();
        return transport;
    }

    /**
     * Talks over this process's own standard input and output, as a stdio server does: reads {@code System.in}, writes
     * file descriptor 1 directly. Directly, so that write errors are reported ({@code PrintStream} hides them) and so
     * that a host may point {@code System.out} elsewhere ({@code System.setOut(System.err)}) to keep stray prints off the
     * wire. Nothing else may read {@code System.in} or write standard output meanwhile.
     *
     * <p>{@link #close} closes neither stream, and cannot wake the reader thread out of a read of {@code System.in}: a
     * read of a pipe or a terminal does not return when another thread closes it. That daemon thread ends at the next
     * input or end of input (what it reads then is dropped), or when the process exits; {@code receive} is unblocked at
     * once all the same.
     *
     * @param codec the codec, whose frame limit bounds a line
     * @return the transport, whose reader thread has started
     */
    public static StdioTransport overSystemStreams(JsonRpcCodec codec) {
        InputStream in = new FilterInputStream(System.in) {
            @Override
            public void close() {
                // standard input stays open: it is the process's, not the transport's
            }
        };
        OutputStream out = new FilterOutputStream(new FileOutputStream(FileDescriptor.out)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // standard output stays open: it is the process's, not the transport's
            }
        };
        return overStreams(in, out, "stdio[server]", codec);
    }


    @Override
    public void send(Message message) throws IOException {
        Objects.requireNonNull(message, "message");
        byte[] frame = codec.encode(message);
        try {
            sendLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send on " + description);
        }
        IOException failure;
        try {
            if (inbox.end() != null) {
                throw inbox.endedError();
            }
            try {
                out.write(frame);
                out.write('\n');
                out.flush();
                return;
            } catch (IOException e) {
                if (inbox.end() != null) {
                    throw inbox.endedError(); // the write failed because the transport ended meanwhile
                }
                failure = e;
            }
        } finally {
            sendLock.unlock();
        }
        throw writeFailed(failure); // decided under the lock, acted on after it
    }

    private IOException writeFailed(IOException failure) {
        if (child != null) {
            return child.writeFailed(failure);
        }
        inbox.end(new IOException(description + ": writing failed: " + failure.getMessage(), failure), false);
        return inbox.endedError();
    }

    @Override
    public Message receive() throws IOException, MalformedMessageException {
        Object item = inbox.take();
        return switch (item) {
            case Message message -> message;
            case MalformedMessageException defect -> throw defect;
            default -> throw new IllegalStateException("inbox item " + item);
        };
    }

    /** Messages the connection can place at once skip the receiver: see {@link Transport#routeDirectly}. */
    @Override
    public void routeDirectly(Predicate<Message> router) {
        inbox.routeDirectly(item -> item instanceof Message message && router.test(message));
    }

    /**
     * Closes the transport: ends it (a waiting {@code receive} throws at once, frames not yet received are dropped),
     * closes our side of the pipes and, for a process, waits up to the grace period for it to exit, then
     * {@code SIGTERM}, then {@code SIGKILL}, and ends every process it started, orphans included. Idempotent and
     * thread-safe; a concurrent call waits for the first to finish. Bounded: for a process, at most the
     * {@linkplain ProcessSpec#closeGrace() grace period} plus five seconds. An interrupt does not cut it short;
     * the flag is restored.
     */
    @Override
    public void close() {
        stateLock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
        } finally {
            stateLock.unlock();
        }
        try {
            // ended already (the process exited): that end is kept, and what was not received is dropped all the same
            inbox.end(new EOFException(description + " closed"), true);
            if (child != null) {
                child.shutdown(this::closeOutput);
            } else {
                closeOutput();
                closeInput();
            }
        } finally {
            closing.finish();
        }
    }


    /**
     * Closes our output once no send is writing. The transport has ended, so no send starts writing after we get the
     * lock. A send stuck on a full pipe keeps the lock: then the output is left to the process's end (it fails the
     * stuck write and releases the stream).
     */
    private void closeOutput() {
        boolean locked = false;
        try {
            locked = sendLock.tryLock(SEND_DRAIN_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // give up waiting: the output is left open, as for a stuck send
        }
        if (locked) {
            sendLock.unlock(); // ended and idle: nobody will write again
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> description + ": closing output failed: " + e);
            }
        } else {
            LOG.log(Level.DEBUG, () -> description + ": a send is stuck writing; output left open");
        }
    }

    private void closeInput() {
        try {
            in.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> description + ": closing input failed: " + e);
        }
    }

    /** A description such as {@code stdio[node server.js] pid 4242}. */
    @Override
    public String describe() {
        return description;
    }

    /** {@return the server process's pid, or empty in the server direction} */
    public OptionalLong pid() {
        return child == null ? OptionalLong.empty() : OptionalLong.of(child.pid());
    }

    /** The threads this transport started, for tests that check nothing is left behind. */
    List<Thread> threads() {
        return child != null ? child.threads() : List.of(pumpThread);
    }

    @Override
    public String toString() {
        return description;
    }
}
