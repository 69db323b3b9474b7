package dev.weft.auth;

import dev.weft.internal.CloseOnce;
import dev.weft.internal.Uninterruptibles;
import dev.weft.internal.VirtualJetty;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A {@link RedirectReceiver} for a person at this machine: a small HTTP listener on the loopback address
 * {@code 127.0.0.1} that takes the authorization server's redirect from the person's browser, as native apps do
 * (RFC 8252, section 7.3).
 *
 * <pre>{@code
 * try (var receiver = LoopbackRedirectReceiver.open(LoopbackRedirectReceiver.printing(System.out))) {
 *     URI redirectUri = receiver.redirectUri();       // http://127.0.0.1:54321/callback
 *     URI authorizationUrl = ...;                     // with redirectUri, a fresh state and a PKCE challenge
 *     Map<String, String> redirect = receiver.await(authorizationUrl, Duration.ofMinutes(5));
 *     ...                                             // redirect.get("code"), or redirect.get("error")
 * }
 * }</pre>
 *
 * <h2>Design</h2>
 * It listens on the IP literal {@code 127.0.0.1} only, never on every interface, on an ephemeral port unless told
 * otherwise: RFC 8252 recommends the literal over {@code localhost} (which may resolve elsewhere), and has
 * authorization servers accept any port in a loopback redirect URI. Each {@link #await} registers a waiter under the
 * {@code state} parameter of its authorization URL, then calls the opener with the URL, then waits. A redirect goes
 * by its own {@code state} to the one waiter registered under that state; a redirect without {@code state} goes to
 * the longest-waiting of the waiters whose authorization URL had none (flows without a state cannot be told apart:
 * give each concurrent flow its own). A redirect that matches no waiter (an unknown or spent state, a state where
 * none was sent, no state where one was) is answered 400 and completes no wait: this is the defence against
 * cross-site request forgery, a page that makes the browser deliver someone else's code. So a state completes at most
 * one wait, once.
 *
 * <h2>HTTP</h2>
 * Only {@code GET} of the redirect path: other paths get 404 (the browser asks for {@code /favicon.ico}), other
 * methods 405, a query that is not well-formed (a bad escape, a parameter twice) 400. The browser gets a short HTML
 * page that says the authorization was received and the window may be closed, or shows the authorization server's
 * {@code error} and {@code error_description}, escaped. Pages are sent with {@code Cache-Control: no-store} and
 * {@code Referrer-Policy: no-referrer}, since the address they answer holds the code. The {@code code} is never
 * logged; that a redirect arrived for a state is logged at {@code DEBUG}.
 *
 * <h2>Threads</h2>
 * Thread-safe: any thread may call any method, and several threads may {@link #await} at once. {@code await} blocks
 * its caller until its redirect arrives, its timeout passes, the receiver closes or the caller is interrupted; the
 * other methods do not block, except {@link #close}, briefly. Jetty's acceptor and selector run on platform threads
 * ({@code weft-loopback-redirect-N-*}), its timers on {@code weft-loopback-redirect-N-scheduler}, and each request
 * on a virtual thread of its own ({@code weft-loopback-redirect-N-exchange-K}); all of them end on {@link #close}.
 */
public final class LoopbackRedirectReceiver implements RedirectReceiver, AutoCloseable {
    /** The path of the redirect URI unless another is given: {@value}. */
    public static final String DEFAULT_PATH = "/callback";
    /** The only address the receiver listens on. */
    static final String HOST = "127.0.0.1";
    /** How long {@link #close} waits for the requests' threads once Jetty has stopped. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(LoopbackRedirectReceiver.class.getName());
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** Segments of unreserved characters, none starting with a dot; so the path needs no escaping or normalizing. */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?");

    private final Consumer<URI> opener;
    private final ExecutorService exchanges;
    private final Server jetty;
    private final ServerConnector connector;
    private final ReentrantLock lock = new ReentrantLock();
    /** {@code OPEN -> CLOSING -> CLOSED}; moved under lock. A receiver that is not open takes no waiter. */
    private final CloseOnce closing = new CloseOnce(lock);
    /** The waiters whose authorization URL carried a state, by that state; lock. */
    private final Map<String, Waiter> byState = new HashMap<>();
    /** The waiters whose authorization URL carried none, longest waiting first; lock. */
    private final ArrayDeque<Waiter> withoutState = new ArrayDeque<>();
    /** Written once by {@link #open} once the port is bound, before the receiver is handed out; read anywhere. */
    private volatile URI redirectUri;
    /** {@code loopback-redirect[http://127.0.0.1:PORT/callback]}; written by {@link #open}, read anywhere. */
    private volatile String description;

    /** One {@link #await}: written by the waiting thread, completed once by a redirect, cancelled by close or itself. */
    private static final class Waiter {
        final String state; // null when the authorization URL had none
        final CompletableFuture<Map<String, String>> result = new CompletableFuture<>();

        Waiter(String state) {
            this.state = state;
        }
    }

    private LoopbackRedirectReceiver(int port, String path, Consumer<URI> opener) {
        this.opener = opener;
        this.description = "loopback-redirect[http://" + HOST + ":" + port + path + "]";
        String threadPrefix = "weft-loopback-redirect-" + COUNTER.incrementAndGet();
        VirtualJetty server = VirtualJetty.create(threadPrefix, 8, 1, HOST, port, TimeUnit.SECONDS.toMillis(30));
        this.exchanges = server.exchanges();
        this.jetty = server.jetty();
        this.connector = server.connector();
        jetty.setHandler(new LoopbackRedirectHandler(this, path));
        jetty.setStopTimeout(0); // a browser's idle keep-alive connection must not hold up close
    }

    /**
     * Listens on {@code 127.0.0.1}, on a free port the system chooses, for redirects to {@value #DEFAULT_PATH}.
     *
     * @param opener called by each {@link #await} with the authorization URL, on the awaiting thread, once the wait
     *               is registered and before it begins: it has the person open the URL, for example by printing it
     *               ({@link #printing}) or by handing it to the desktop's browser. It counts against the wait's
     *               timeout; if it throws, that {@code await} fails with an {@link IOException}
     * @return the receiver, listening
     * @throws IOException if no port can be bound
     */
    public static LoopbackRedirectReceiver open(Consumer<URI> opener) throws IOException {
        return open(0, DEFAULT_PATH, opener);
    }

    /**
     * Listens on {@code 127.0.0.1}, on {@code port}, for redirects to {@code path}: for an authorization server that
     * insists on a registered redirect URI matched exactly, port included, although RFC 8252 tells it not to.
     *
     * @param port   the port, or 0 for a free port the system chooses
     * @param path   the path of the redirect URI: {@code /} or segments of letters, digits, {@code -}, {@code .},
     *               {@code _} and {@code ~}, none starting with a dot ({@code /callback}, {@code /oauth/weft})
     * @param opener called by each {@link #await} with the authorization URL, as {@link #open(Consumer)} says
     * @return the receiver, listening
     * @throws IOException              if the port cannot be bound (it is taken, or needs privileges)
     * @throws IllegalArgumentException if the port is out of range or the path is not one of those described
     */
    public static LoopbackRedirectReceiver open(int port, String path, Consumer<URI> opener) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(opener, "opener");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Port out of range: " + port);
        }
        if (!path.startsWith("/") || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("Not a redirect path of unreserved characters: " + path);
        }
        LoopbackRedirectReceiver receiver = new LoopbackRedirectReceiver(port, path, opener);
        try {
            receiver.jetty.start();
        } catch (Exception e) {
            receiver.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen for redirects on " + HOST + ":" + port + path + ": " + e, e);
        }
        receiver.redirectUri = URI.create("http://" + HOST + ":" + receiver.connector.getLocalPort() + path);
        receiver.description = "loopback-redirect[" + receiver.redirectUri + "]";
        LOG.log(System.Logger.Level.DEBUG, () -> receiver.describe() + " listening");
        return receiver;
    }

    /**
     * An opener for a person at a terminal: prints the authorization URL on a line of its own, after a line that says
     * to open it in a browser, and flushes.
     *
     * @param out where to print, {@code System.out} for a command line
     * @return the opener, to pass to {@link #open(Consumer)}
     */
    public static Consumer<URI> printing(PrintStream out) {
        Objects.requireNonNull(out, "out");
        return url -> {
            out.println("Open this address in a browser to authorize access:");
            out.println(url);
            out.flush();
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here {@code http://127.0.0.1:PORT/PATH}, with the port actually bound; still the same after {@link #close}.
     */
    @Override
    public URI redirectUri() {
        return redirectUri;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Registers the wait under the {@code state} parameter of {@code authorizationUrl} (or among those without
     * one), calls the opener with the URL, then waits; the timeout counts from the call, the opener included. Only a
     * redirect with the same {@code state} (or, for a URL without one, a redirect without one) ends the wait; see
     * the class comment. However it ends, the wait is withdrawn: a later redirect for it is refused.
     *
     * @throws IOException              if the receiver is closed or closes meanwhile, if the opener throws, or if no
     *                                  redirect comes within {@code timeout}; the message names the redirect URI
     * @throws InterruptedException     if the calling thread is interrupted before or while it waits
     * @throws IllegalArgumentException if {@code timeout} is negative, if the URL's query is not well-formed (a bad
     *                                  escape, a parameter twice), or if another wait with the same {@code state}
     *                                  is in progress
     */
    @Override
    public Map<String, String> await(URI authorizationUrl, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(authorizationUrl, "authorizationUrl");
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("Negative timeout: " + timeout);
        }
        long limit = TimeUnit.NANOSECONDS.convert(timeout); // saturates
        Waiter waiter = new Waiter(parseQuery(authorizationUrl.getRawQuery()).get("state"));
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        register(waiter);
        boolean opened = false;
        try {
            opener.accept(authorizationUrl);
            opened = true;
        } catch (RuntimeException e) {
            throw new IOException(describe() + ": opening the authorization URL " + withoutQuery(authorizationUrl)
                    + " failed: " + e, e);
        } finally {
            if (!opened) {
                withdraw(waiter);
            }
        }
        try {
            return waiter.result.get(limit - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (withdraw(waiter)) {
                throw new IOException("no redirect to " + redirectUri + " within " + timeout);
            }
            return outcome(waiter); // the redirect (or the close) came as the time ran out
        } catch (InterruptedException e) {
            withdraw(waiter);
            throw e;
        } catch (CancellationException e) {
            throw closedWhileWaiting();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a wait ended with an exception, which nothing sets", e);
        }
    }

    private void register(Waiter waiter) throws IOException {
        lock.lock();
        try {
            if (!closing.isOpen()) {
                throw new IOException(describe() + " is closed; it cannot wait for a redirect");
            }
            if (waiter.state == null) {
                withoutState.addLast(waiter);
            } else if (byState.putIfAbsent(waiter.state, waiter) != null) {
                throw new IllegalArgumentException("Another wait for a redirect with the same state is in progress");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The waiting thread gives up: cancels its wait, unless a redirect or the close ended it first, and removes it.
     *
     * @return whether this call ended the wait (else it had ended, and {@link #outcome} reads how)
     */
    private boolean withdraw(Waiter waiter) {
        boolean ended = waiter.result.cancel(false);
        lock.lock();
        try {
            if (waiter.state == null) {
                withoutState.remove(waiter);
            } else {
                byState.remove(waiter.state, waiter);
            }
        } finally {
            lock.unlock();
        }
        return ended;
    }

    /** How a wait that ended without its thread ended: the redirect's parameters, or the receiver closed. */
    private Map<String, String> outcome(Waiter waiter) throws IOException {
        return switch (waiter.result.state()) {
            case SUCCESS -> waiter.result.resultNow();
            case CANCELLED -> throw closedWhileWaiting();
            default -> throw new IllegalStateException("Wait not ended: " + waiter.result.state());
        };
    }

    private IOException closedWhileWaiting() {
        return new IOException(describe() + " closed while waiting for the redirect to " + redirectUri);
    }

    /**
     * Called by the handler for each well-formed redirect: hands its parameters to the waiter they belong to.
     *
     * @return whether a waiter took them; {@code false} when none waits for them, or the receiver is closing
     */
    boolean deliver(Map<String, String> parameters) {
        String state = parameters.get("state");
        while (true) {
            Waiter waiter;
            lock.lock();
            try {
                if (!closing.isOpen()) {
                    return false;
                }
                waiter = state == null ? withoutState.pollFirst() : byState.remove(state);
            } finally {
                lock.unlock();
            }
            if (waiter == null) {
                return false;
            }
            if (waiter.result.complete(parameters)) {
                return true;
            }
            // That waiter gave up as this redirect came; the next one without a state may take it.
        }
    }

    /** How many waits are in progress. */
    int waiting() {
        lock.lock();
        try {
            return byState.size() + withoutState.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops listening: every wait in progress fails at once with an {@link IOException}, later ones fail likewise,
     * and Jetty stops, closing the browsers' connections; then it waits up to two seconds for the requests' threads.
     * Idempotent and thread-safe; a concurrent call waits for the first. An interrupt does not cut it short; the flag
     * is restored.
     */
    @Override
    public void close() {
        List<Waiter> waiters;
        lock.lock();
        try {
            if (!closing.begin()) {
                return;
            }
            waiters = new ArrayList<>(byState.values());
            waiters.addAll(withoutState);
            byState.clear();
            withoutState.clear();
        } finally {
            lock.unlock();
        }
        try {
            waiters.forEach(waiter -> waiter.result.cancel(false));
            try {
                jetty.stop();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(System.Logger.Level.WARNING, () -> describe() + ": stopping Jetty failed: " + e);
            }
            exchanges.shutdown();
            awaitExchanges();
            LOG.log(System.Logger.Level.DEBUG, () -> describe() + " closed");
        } finally {
            closing.finish();
        }
    }

    private void awaitExchanges() {
        if (!Uninterruptibles.awaitTerminationUninterruptibly(exchanges, CLOSE_TIMEOUT.toNanos())) {
            LOG.log(System.Logger.Level.WARNING, () -> describe() + ": requests still running after close");
        }
    }

    /**
     * The parameters of a query in {@code application/x-www-form-urlencoded} form, as authorization servers write
     * them (RFC 6749, appendix B), decoded as UTF-8; a name without {@code =} has the value {@code ""}.
     *
     * @param rawQuery the query as it is on the wire, or {@code null}
     * @throws IllegalArgumentException if an escape is malformed or a name appears twice (RFC 6749 forbids both)
     */
    static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (parameters.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException("Query parameter " + name + " appears more than once");
            }
        }
        return Map.copyOf(parameters);
    }

    /** The URL without its query or fragment, which may hold what need not be repeated in a message. */
    private static String withoutQuery(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** {@code loopback-redirect[http://127.0.0.1:PORT/callback]} */
    String describe() {
        return description;
    }

    @Override
    public String toString() {
        return describe();
    }
}
