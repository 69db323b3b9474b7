package dev.weft.internal;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The one Jetty {@link HttpClient} of the runtime: every {@code StreamableHttpTransport} uses it unless the host passes
 * its own, and so does authorization ({@code dev.weft.auth}) for its metadata, registration and token requests. Started
 * lazily on first use, never stopped, so that opening and closing sessions starts and leaves no thread.
 *
 * <p>Its threads are named {@value #THREAD_PREFIX}{@code *} and are daemons (they never keep the JVM alive): a small
 * pool of platform threads for the selector and Jetty's own callbacks (idle ones end after a minute, one stays), one
 * scheduler thread, and virtual threads for the tasks Jetty would block in. Weft never blocks on these threads: each
 * exchange reads its response on a virtual thread of its own. Each in-flight POST or event stream holds a connection,
 * hence the high per-destination limit. Jetty's authentication handlers are removed, so that a 401 reaches the
 * transport whole.
 *
 * <p>Thread-safe. {@link #get()} blocks only the first time, while the client starts, and callers racing then wait
 * for that one start under a lock.
 */
public final class SharedHttpClient {
    /** The name prefix of the shared client's threads. */
    public static final String THREAD_PREFIX = "weft-shared-http";
    /** Connections per server (host and port): each in-flight request and open event stream takes one. */
    public static final int MAX_CONNECTIONS_PER_DESTINATION = 4096;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static HttpClient client; // written once under LOCK; read under LOCK

    private SharedHttpClient() {}

    /**
     * The shared client, started.
     *
     * @throws IOException if it cannot be started; the next call tries again
     */
    public static HttpClient get() throws IOException {
        LOCK.lock();
        try {
            if (client == null) {
                HttpClient created = create();
                created.start();
                // Jetty's handlers of 401 and 407 fail an exchange without credentials (or a challenge) before its body
                // is read; MCP authorization needs the status, the WWW-Authenticate header and the body itself.
                created.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
                created.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
                client = created;
            }
            return client;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot start the shared HTTP client: " + e, e);
        } finally {
            LOCK.unlock();
        }
    }

    private static HttpClient create() {
        QueuedThreadPool pool = new QueuedThreadPool(64, 1, (int) TimeUnit.MINUTES.toMillis(1));
        pool.setName(THREAD_PREFIX);
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(THREAD_PREFIX + "-virtual-", 0).factory()));
        HttpClient created = new HttpClient();
        created.setExecutor(pool);
        created.setScheduler(new ScheduledExecutorScheduler(THREAD_PREFIX + "-scheduler", true));
        created.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_DESTINATION);
        created.setMaxRequestsQueuedPerDestination(4 * MAX_CONNECTIONS_PER_DESTINATION);
        // Each transport enforces its own connect timeout (HttpSpec); this only bounds what slips past it.
        created.setConnectTimeout(TimeUnit.MINUTES.toMillis(5));
        created.setIdleTimeout(TimeUnit.SECONDS.toMillis(30)); // pooled idle connections; streams disable it
        return created;
    }
}
