package dev.weft.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An npm MCP server speaking Streamable HTTP on 127.0.0.1, started for a test and stopped (with its descendants) by
 * {@link #close()}. {@link #start} returns once the port accepts connections.
 */
public final class NodeHttpServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private NodeHttpServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Runs {@code node -r bind-localhost.cjs <script> <args>} with {@code PORT} set to a free port, plus {@code env}.
     */
    public static NodeHttpServer start(Path script, List<String> args, Map<String, String> env) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path bind = NpmPeers.projectRoot().resolve("src/test/resources/bind-localhost.cjs");
        List<String> command = new ArrayList<>(List.of("node", "-r", bind.toString(), script.toString()));
        command.addAll(args);
        Path log = java.nio.file.Files.createTempFile("weft-node-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().putAll(env);
        NodeHttpServer server = new NodeHttpServer(builder.start(), port, log);
        int listening = port;
        Await.until(() -> server.accepts(listening) || !server.process.isAlive(), Duration.ofSeconds(20),
                "node server on port " + port);
        if (!server.process.isAlive()) {
            throw new IOException("node server exited " + server.process.exitValue() + ": "
                    + java.nio.file.Files.readString(log));
        }
        return server;
    }

    private boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Kills the server now (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        java.nio.file.Files.deleteIfExists(log);
    }
}
