package dev.weft.cli;

import dev.weft.jsonrpc.Transport;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The MCP server a command talks to: a command to run over stdio ({@code -- CMD ARGS...}) or a URL ({@code --url}). */
sealed interface Target {

    /**
     * Connects: starts the process or opens the HTTP session's client side. The caller owns the transport.
     *
     * @throws IOException when the server cannot be started or reached
     */
    Transport open() throws IOException;

    /** A server process, started with {@code argv} (the program is looked up on {@code PATH}). */
    record Stdio(List<String> argv) implements Target {
        public Stdio {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv is empty");
            }
        }

        @Override
        public Transport open() throws IOException {
            return StdioTransport.spawn(ProcessSpec.of(argv.toArray(String[]::new)));
        }
    }

    /** A server behind a Streamable HTTP endpoint. */
    record Http(URI endpoint) implements Target {
        /** Makes no request: a server that cannot be reached fails the session's first one, the handshake. */
        @Override
        public Transport open() throws IOException {
            return StreamableHttpTransport.open(HttpSpec.of(endpoint));
        }
    }
}
