package dev.weft.cli;

import dev.weft.auth.LoopbackRedirectReceiver;
import dev.weft.auth.RedirectReceiver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The command line's redirect receiver: a {@link LoopbackRedirectReceiver}, bound only when a flow first needs it (a
 * server that asks for no authorization costs no listener), that shows the person the address to open on standard
 * error and says what it waits for.
 *
 * <p>Thread-safe: the authorizer may ask from any thread. {@link #await} blocks until the redirect comes, the timeout
 * passes, or the thread is interrupted (Ctrl-C ends the JVM, and with it the wait).
 */
final class CliRedirect implements RedirectReceiver, AutoCloseable {
    private final int port;
    private final URI server;
    private final PrintStream err;
    private final ReentrantLock lock = new ReentrantLock();
    private LoopbackRedirectReceiver receiver; // lock
    private boolean closed; // lock

    /**
     * @param port   the loopback port, or 0 for a free one
     * @param server the MCP server the authorization is for, named in the message
     * @param err    where the message goes
     */
    CliRedirect(int port, URI server, PrintStream err) {
        this.port = port;
        this.server = server;
        this.err = err;
    }

    @Override
    public URI redirectUri() {
        return receiver().redirectUri();
    }

    @Override
    public Map<String, String> await(URI authorizationUrl, Duration timeout) throws IOException, InterruptedException {
        return receiver().await(authorizationUrl, timeout);
    }

    private LoopbackRedirectReceiver receiver() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the command is done; no redirect is received any more");
            }
            if (receiver == null) {
                receiver = LoopbackRedirectReceiver.open(port, LoopbackRedirectReceiver.DEFAULT_PATH, this::show);
            }
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the authorization redirect on 127.0.0.1"
                    + (port == 0 ? "" : " port " + port) + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void show(URI authorizationUrl) {
        err.println("weft: " + server + " asks for authorization. Open this address in a browser to go on:");
        err.println();
        err.println("  " + authorizationUrl);
        err.println();
        err.println("weft: waiting for the browser to come back to " + redirectUri() + " (Ctrl-C gives up)");
        err.flush();
    }

    @Override
    public void close() {
        LoopbackRedirectReceiver open;
        lock.lock();
        try {
            closed = true;
            open = receiver;
        } finally {
            lock.unlock();
        }
        if (open != null) {
            open.close();
        }
    }
}
