package dev.weft.pool;

import dev.weft.jsonrpc.Transport;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What identifies a server for a {@link SessionPool}: two keys that are equal reach the same server the same way, and
 * share one live session. Immutable; equal by value.
 */
public sealed interface TransportKey permits TransportKey.Stdio, TransportKey.Http {

    /**
     * A server started as a subprocess, spoken to over its standard input and output.
     *
     * @param argv        the program and its arguments, never a shell string (see {@link ProcessSpec})
     * @param environment variables added to or overriding the inherited environment
     * @param directory   the working directory, or {@code null} for ours
     */
    record Stdio(List<String> argv, Map<String, String> environment, Path directory) implements TransportKey {
        /**
         * Checks and copies.
         *
         * @throws IllegalArgumentException if {@code argv} is empty or its program is blank
         */
        public Stdio {
            argv = List.copyOf(argv);
            environment = Map.copyOf(environment);
            if (argv.isEmpty() || argv.getFirst().isBlank()) {
                throw new IllegalArgumentException("argv must name a program: " + argv);
            }
        }

        /**
         * {@return this key with {@code name=value} in the environment}
         *
         * @param name  the variable's name
         * @param value its value
         */
        public Stdio withEnvironment(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(environment);
            more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Stdio(argv, more, directory);
        }

        /**
         * {@return this key with another working directory}
         *
         * @param directory the working directory, or {@code null} for ours
         */
        public Stdio withDirectory(Path directory) {
            return new Stdio(argv, environment, directory);
        }

        /** {@return the process spec this key starts, with every other setting at its default} */
        public ProcessSpec processSpec() {
            return ProcessSpec.of(argv.toArray(String[]::new)).withEnvironment(environment).withDirectory(directory);
        }

        @Override
        public Transport open() throws IOException {
            return StdioTransport.spawn(processSpec());
        }

        @Override
        public String toString() {
            return "stdio" + argv + (environment.isEmpty() ? "" : " env " + environment.keySet())
                    + (directory == null ? "" : " in " + directory);
        }
    }

    /**
     * A server reached over Streamable HTTP.
     *
     * @param endpoint the MCP endpoint, such as {@code http://127.0.0.1:3000/mcp}
     * @param headers  headers sent with every request (an API key, say); part of the key, so that two credentials get
     *                 two sessions
     */
    record Http(URI endpoint, Map<String, String> headers) implements TransportKey {
        /**
         * Checks and copies.
         *
         * @throws NullPointerException if {@code endpoint} is {@code null}
         */
        public Http {
            Objects.requireNonNull(endpoint, "endpoint");
            headers = Map.copyOf(headers);
        }

        /**
         * {@return this key with one more header}
         *
         * @param name  the header's name
         * @param value its value
         */
        public Http withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return new Http(endpoint, more);
        }

        /** {@return the HTTP spec this key opens, with every other setting at its default} */
        public HttpSpec httpSpec() {
            return HttpSpec.of(endpoint).withHeaders(headers);
        }

        @Override
        public Transport open() throws IOException {
            return StreamableHttpTransport.open(httpSpec());
        }

        @Override
        public String toString() {
            // Header values may be credentials: only their names are shown.
            return "http[" + endpoint + "]" + (headers.isEmpty() ? "" : " headers " + headers.keySet());
        }
    }

    /**
     * {@return a subprocess running {@code argv}, with our environment and working directory}
     *
     * @param argv the program and its arguments
     */
    static Stdio stdio(String... argv) {
        return new Stdio(List.of(argv), Map.of(), null);
    }

    /**
     * {@return a subprocess running {@code argv}, with our environment and working directory}
     *
     * @param argv the program and its arguments
     */
    static Stdio stdio(List<String> argv) {
        return new Stdio(argv, Map.of(), null);
    }

    /**
     * {@return a Streamable HTTP endpoint, without extra headers}
     *
     * @param endpoint the MCP endpoint, such as {@code http://127.0.0.1:3000/mcp}
     * @throws IllegalArgumentException if {@code endpoint} is not a valid URI
     */
    static Http http(String endpoint) {
        return new Http(URI.create(endpoint), Map.of());
    }

    /**
     * {@return a Streamable HTTP endpoint, without extra headers}
     *
     * @param endpoint the MCP endpoint
     */
    static Http http(URI endpoint) {
        return new Http(endpoint, Map.of());
    }

    /**
     * Opens a fresh transport to this key's server, with default settings: a new process for {@link Stdio}, a new
     * HTTP transport for {@link Http}. A host that needs other settings gives the pool its own
     * {@link SessionFactory}.
     *
     * @return the transport, owned by the caller
     * @throws IOException if the process cannot be started or the endpoint is not usable
     */
    Transport open() throws IOException;
}
