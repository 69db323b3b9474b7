package dev.weft.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * A Jetty 12 server, not started, that runs each exchange on a virtual thread of its own: a small daemon pool of
 * platform threads for the selector and acceptor, every other thread named after {@code threadPrefix}, one HTTP/1.1
 * connector on {@code host:port} that names no server version and sends no date. The caller sets the handler, starts
 * and stops the server, then shuts {@link #exchanges()} down and waits for it.
 *
 * <p>Immutable holder; the server is Jetty's, thread-safe as Jetty says.
 *
 * @param jetty     the server
 * @param connector its connector
 * @param exchanges the executor of the exchanges' virtual threads
 */
public record VirtualJetty(Server jetty, ServerConnector connector, ExecutorService exchanges) {

    /**
     * Builds the server.
     *
     * @param threadPrefix      the prefix of its threads' names, such as {@code weft-http-server-1}
     * @param maxThreads        the most platform threads of its pool
     * @param minThreads        the fewest
     * @param host              the address to bind
     * @param port              the port, or 0 for a free one
     * @param idleTimeoutMillis how long a connection may stay silent
     * @return the server, not started
     */
    public static VirtualJetty create(String threadPrefix, int maxThreads, int minThreads, String host, int port,
                                      long idleTimeoutMillis) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, minThreads, (int) TimeUnit.MINUTES.toMillis(1));
        pool.setName(threadPrefix);
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        ExecutorService exchanges = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(threadPrefix + "-exchange-", 0).factory());
        pool.setVirtualThreadsExecutor(exchanges);
        Server jetty = new Server(pool, new ScheduledExecutorScheduler(threadPrefix + "-scheduler", true), null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMillis);
        jetty.addConnector(connector);
        return new VirtualJetty(jetty, connector, exchanges);
    }
}
