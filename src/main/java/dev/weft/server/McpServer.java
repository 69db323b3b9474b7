package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.Transport;
import dev.weft.mcp.Implementation;
import dev.weft.mcp.McpProtocol;
import dev.weft.mcp.Prompt;
import dev.weft.mcp.Resource;
import dev.weft.mcp.ResourceTemplate;
import dev.weft.mcp.Tool;
import dev.weft.transport.HttpServerSpec;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * An MCP server: tools, resources, resource templates, prompts and completions with plain blocking handlers, served to
 * any number of clients: {@link #serveStdio()} for a server started by its client, {@link #serveHttp} over Streamable
 * HTTP, {@link #serve(Transport)} over any other transport.
 *
 * <pre>{@code
 * McpServer server = McpServer.builder("weather", "1.0")
 *         .tool(new Tool("forecast", null, "Tomorrow's weather", schema, null, null, null, null, null),
 *               (arguments, context) -> CallToolResult.text("sunny"))   // any blocking code
 *         .build();
 * server.serveStdio();
 * }</pre>
 *
 * <h2>Threads</h2>
 * Each session reads on a virtual thread of its own, and each request runs its handler on a virtual thread of its own
 * (over Streamable HTTP, the thread of the POST that carried it), so a slow handler delays nobody. Serving takes no lock: what the server offers is an immutable snapshot, replaced in
 * one step by {@link #addTool} and its siblings (which tell every session that the list changed). Shared contexts
 * ({@link Builder#sharedContext}) are built once, by the first session to initialize, and never held while serving.
 *
 * <p>Thread-safe.
 */
public final class McpServer implements AutoCloseable {
    private final Implementation info;
    private final String instructions;
    private final Duration requestTimeout;
    private final List<SharedContext<?>> sharedContexts;
    private final CompletionHandler completions;
    private final AtomicReference<Registry> registry;
    private final Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();

    private McpServer(Builder b) {
        this.info = b.info;
        this.instructions = b.instructions;
        this.requestTimeout = b.requestTimeout;
        this.sharedContexts = List.copyOf(b.sharedContexts);
        this.completions = b.completions;
        this.registry = new AtomicReference<>(b.registry);
    }

    /**
     * {@return a builder for a server that introduces itself as {@code name} {@code version}}
     *
     * @param name    the server's name, sent in {@code serverInfo}
     * @param version the server's version
     */
    public static Builder builder(String name, String version) {
        return new Builder(new Implementation(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(version, "version"), null));
    }

    /** Builds a server; not thread-safe (build on one thread, then share the server). */
    public static final class Builder {
        private Implementation info;
        private String instructions;
        private Duration requestTimeout = Duration.ofMinutes(10);
        private final List<SharedContext<?>> sharedContexts = new ArrayList<>();
        private CompletionHandler completions;
        private Registry registry = Registry.EMPTY;

        private Builder(Implementation info) {
            this.info = info;
        }

        /**
         * Sets a display name for clients to show.
         *
         * @param title the name
         * @return this builder
         */
        public Builder title(String title) {
            info = new Implementation(info.name(), info.version(), title);
            return this;
        }

        /**
         * Sets instructions for the client's model, sent at initialization.
         *
         * @param instructions the instructions, or {@code null} for none
         * @return this builder
         */
        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /**
         * Sets how long a request to the client (sampling, elicitation, roots) may take; 10 minutes unless set.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Offers a tool; a tool of the same name is replaced. Calls whose arguments do not fit the tool's input schema
         * get an error result ({@code isError}) saying why, and never reach the handler.
         *
         * @param tool    the tool, as {@code tools/list} shows it
         * @param handler runs it
         * @return this builder
         * @throws IllegalArgumentException if the input schema cannot be compiled
         */
        public Builder tool(Tool tool, ToolHandler handler) {
            registry = registry.withTool(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(handler));
            return this;
        }

        /**
         * Offers a resource at a fixed URI.
         *
         * @param resource the resource, as {@code resources/list} shows it
         * @param handler  reads it
         * @return this builder
         */
        public Builder resource(Resource resource, ResourceHandler handler) {
            registry = registry.withResource(Objects.requireNonNull(resource, "resource"),
                    Objects.requireNonNull(handler));
            return this;
        }

        /**
         * Offers the resources a URI template matches ({@code {name}} for one segment, {@code {+name}} for the rest).
         *
         * @param template the template, as {@code resources/templates/list} shows it
         * @param handler  reads a resource it matches
         * @return this builder
         * @throws IllegalArgumentException if the template uses another form
         */
        public Builder resourceTemplate(ResourceTemplate template, ResourceHandler handler) {
            registry = registry.withTemplate(Objects.requireNonNull(template, "template"),
                    Objects.requireNonNull(handler));
            return this;
        }

        /**
         * Offers a prompt.
         *
         * @param prompt  the prompt, as {@code prompts/list} shows it
         * @param handler renders it
         * @return this builder
         */
        public Builder prompt(Prompt prompt, PromptHandler handler) {
            registry = registry.withPrompt(Objects.requireNonNull(prompt, "prompt"), Objects.requireNonNull(handler));
            return this;
        }

        /**
         * Answers {@code completion/complete} for prompt arguments and template variables.
         *
         * @param handler suggests values
         * @return this builder
         */
        public Builder completions(CompletionHandler handler) {
            this.completions = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * A context every session needs before it serves (a connection pool, a loaded index): built by the first
         * session to initialize, while the others wait for that build only; a failed build fails the initializations
         * that waited for it, and the next one builds again. Handlers reach it through the object given here.
         *
         * @param context the context
         * @return this builder
         */
        public Builder sharedContext(SharedContext<?> context) {
            sharedContexts.add(Objects.requireNonNull(context, "context"));
            return this;
        }

        /**
         * Builds the server. The builder may go on being used; what it offers later does not reach this server.
         *
         * @return the server, serving no one yet; thread-safe
         */
        public McpServer build() {
            return new McpServer(this);
        }
    }

    // ---- serving --------------------------------------------------------------------------------------------------

    /**
     * Serves one client over {@code transport}; returns at once. The session owns the transport.
     *
     * @param transport the client's transport
     * @return the session
     */
    public ServedSession serve(Transport transport) {
        ServerSession session = ServerSession.open(this, Objects.requireNonNull(transport, "transport"));
        sessions.add(session);
        return session;
    }

    /**
     * Serves the client that started this process, over standard input and output, until it closes its end; blocks.
     * Nothing but protocol frames may go to standard output meanwhile: a host that might print should point
     * {@code System.out} at standard error first ({@code System.setOut(System.err)}); logs go to standard error.
     *
     * @throws InterruptedException if the calling thread was interrupted; the session is closed then
     */
    public void serveStdio() throws InterruptedException {
        ServedSession session = serve(StdioTransport.overSystemStreams(JsonRpcCodec.standard()));
        try {
            session.awaitClosed();
        } finally {
            session.close();
        }
    }

    /**
     * Serves clients over Streamable HTTP: starts a Jetty 12 server bound as {@code spec} says (127.0.0.1 and any free
     * port by default; see {@link HttpServerSpec#loopback()}), whose every new session this server serves. Closing the
     * returned server ends its sessions and stops it. One virtual thread per exchange.
     *
     * @param spec the address, the endpoint and the limits
     * @return the running HTTP server
     * @throws IOException if the server cannot bind
     */
    public StreamableHttpServer serveHttp(HttpServerSpec spec) throws IOException {
        return StreamableHttpServer.start(Objects.requireNonNull(spec, "spec"), this::serve);
    }

    /** {@return the number of sessions still open} */
    public int sessionCount() {
        prune();
        return sessions.size();
    }

    /** Ends every session (each is closed, its handlers interrupted and waited for). Idempotent. */
    @Override
    public void close() {
        for (ServerSession session : sessions) {
            session.close();
        }
        sessions.clear();
    }

    // ---- changing what the server offers ------------------------------------------------------------------------------

    /**
     * Offers a tool from now on (replacing one of the same name), and tells every session the list changed.
     *
     * @param tool    the tool
     * @param handler runs it
     */
    public void addTool(Tool tool, ToolHandler handler) {
        change(r -> r.withTool(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(handler, "handler")),
                "notifications/tools/list_changed");
    }

    /**
     * Stops offering a tool, and tells every session the list changed.
     *
     * @param name the tool's name
     */
    public void removeTool(String name) {
        change(r -> r.withoutTool(name), "notifications/tools/list_changed");
    }

    /**
     * Offers a resource from now on, and tells every session the list changed.
     *
     * @param resource the resource
     * @param handler  reads it
     */
    public void addResource(Resource resource, ResourceHandler handler) {
        change(r -> r.withResource(Objects.requireNonNull(resource, "resource"),
                Objects.requireNonNull(handler, "handler")), "notifications/resources/list_changed");
    }

    /**
     * Stops offering a resource, and tells every session the list changed.
     *
     * @param uri the resource's URI
     */
    public void removeResource(String uri) {
        change(r -> r.withoutResource(uri), "notifications/resources/list_changed");
    }

    /**
     * Offers a prompt from now on, and tells every session the list changed.
     *
     * @param prompt  the prompt
     * @param handler renders it
     */
    public void addPrompt(Prompt prompt, PromptHandler handler) {
        change(r -> r.withPrompt(Objects.requireNonNull(prompt, "prompt"), Objects.requireNonNull(handler, "handler")),
                "notifications/prompts/list_changed");
    }

    /**
     * Stops offering a prompt, and tells every session the list changed.
     *
     * @param name the prompt's name
     */
    public void removePrompt(String name) {
        change(r -> r.withoutPrompt(name), "notifications/prompts/list_changed");
    }

    /**
     * Tells every session subscribed to {@code uri} that the resource changed ({@code notifications/resources/updated}).
     *
     * @param uri the resource's URI
     */
    public void resourceUpdated(String uri) {
        ObjectNode params = McpProtocol.mapper().createObjectNode().put("uri", Objects.requireNonNull(uri, "uri"));
        forEachSession(s -> {
            if (s.subscribedTo(uri)) {
                s.notifyUnrelated("notifications/resources/updated", params);
            }
        });
    }

    private void change(UnaryOperator<Registry> change, String notification) {
        registry.updateAndGet(change);
        forEachSession(s -> s.notifyUnrelated(notification, null));
    }

    private void forEachSession(java.util.function.Consumer<ServerSession> action) {
        prune();
        for (ServerSession session : sessions) {
            action.accept(session);
        }
    }

    private void prune() {
        sessions.removeIf(s -> !s.isOpen());
    }

    // ---- for sessions ---------------------------------------------------------------------------------------------------

    Registry registry() {
        return registry.get();
    }

    Implementation info() {
        return info;
    }

    String instructions() {
        return instructions;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    List<SharedContext<?>> sharedContexts() {
        return sharedContexts;
    }

    CompletionHandler completions() {
        return completions;
    }

    /** What this server declares at initialization. */
    JsonNode capabilities() {
        ObjectNode capabilities = McpProtocol.mapper().createObjectNode();
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("resources").put("subscribe", true).put("listChanged", true);
        capabilities.putObject("prompts").put("listChanged", true);
        capabilities.putObject("logging");
        if (completions != null) {
            capabilities.putObject("completions");
        }
        return capabilities;
    }

    @Override
    public String toString() {
        return "McpServer[" + info.name() + " " + info.version() + ", " + sessionCount() + " sessions]";
    }
}
