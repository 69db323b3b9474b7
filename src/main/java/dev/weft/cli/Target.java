package dev.weft.cli;

import dev.weft.auth.ClientCredentials;
import dev.weft.auth.OAuthAuthorizer;
import dev.weft.auth.OAuthOptions;
import dev.weft.jsonrpc.Transport;
import dev.weft.transport.HttpSpec;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import dev.weft.transport.StreamableHttpTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The MCP server a command talks to: a command to run over stdio ({@code -- CMD ARGS...}) or a URL ({@code --url}). */
sealed interface Target {

    /** What {@link #open} opened: the transport, and what to close after the session (once, from any thread). */
    record Opened(Transport transport, AutoCloseable resources) {}

    /**
     * Connects: starts the process or opens the HTTP session's client side. The caller owns what it returns.
     *
     * @param err where to tell the person what they must do (open an address to authorize)
     * @throws IOException when the server cannot be started or reached
     */
    Opened open(PrintStream err) throws IOException;

    /** A server process, started with {@code argv} (the program is looked up on {@code PATH}). */
    record Stdio(List<String> argv) implements Target {
        public Stdio {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv is empty");
            }
        }

        @Override
        public Opened open(PrintStream err) throws IOException {
            return new Opened(StdioTransport.spawn(ProcessSpec.of(argv.toArray(String[]::new))), () -> { });
        }
    }

    /**
     * How a command authorizes to a server at a URL that asks for it.
     *
     * @param clientId     {@code --client-id}: a client registered beforehand, or {@code null} to register one (or use
     *                     nothing, when the server asks for no authorization)
     * @param scopes       {@code --scope}: scopes asked for besides the server's
     * @param callbackPort {@code --callback-port}: the loopback port of the redirect, or 0 for a free one
     */
    record Authorization(String clientId, Set<String> scopes, int callbackPort) {
        /** No client, no scopes, any port. */
        static final Authorization DEFAULT = new Authorization(null, Set.of(), 0);

        public Authorization {
            scopes = Set.copyOf(scopes);
        }
    }

    /**
     * A server behind a Streamable HTTP endpoint. A server that answers 401 is authorized for as MCP asks of a client
     * (OAuth 2.1 with PKCE): the person is shown the address to open, and the redirect comes back to a loopback
     * listener that exists only while a flow waits for it. Tokens live as long as the command.
     */
    record Http(URI endpoint, Authorization authorization) implements Target {
        /** The environment variable that holds {@code --client-id}'s secret, kept off the command line. */
        static final String CLIENT_SECRET_VARIABLE = "WEFT_CLIENT_SECRET";

        /** A server at {@code endpoint}, authorized for with the defaults when it asks. */
        Http(URI endpoint) {
            this(endpoint, Authorization.DEFAULT);
        }

        /** Makes no request: a server that cannot be reached fails the session's first one, the handshake. */
        @Override
        public Opened open(PrintStream err) throws IOException {
            return open(err, System.getenv());
        }

        Opened open(PrintStream err, Map<String, String> environment) throws IOException {
            CliRedirect redirect = new CliRedirect(authorization.callbackPort(), endpoint, err);
            OAuthOptions options = OAuthOptions.defaults().withClientName("weft command line")
                    .withRedirectReceiver(redirect).withExtraScopes(authorization.scopes());
            if (authorization.clientId() != null) {
                String secret = environment.get(CLIENT_SECRET_VARIABLE);
                options = options.withPreRegisteredClient(secret == null || secret.isEmpty()
                        ? ClientCredentials.none(authorization.clientId())
                        : ClientCredentials.secret(authorization.clientId(), secret));
            }
            HttpSpec spec = HttpSpec.of(endpoint).withAuthorizer(OAuthAuthorizer.create(options));
            return new Opened(StreamableHttpTransport.open(spec), redirect);
        }
    }
}
