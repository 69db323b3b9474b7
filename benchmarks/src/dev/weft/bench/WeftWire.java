package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.jsonrpc.Connection;
import dev.weft.jsonrpc.ConnectionOptions;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.Response;
import dev.weft.jsonrpc.TransportClosedException;
import dev.weft.transport.MemoryTransport;
import dev.weft.transport.ProcessSpec;
import dev.weft.transport.StdioTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Calls through Weft: a {@link Connection} over a memory pair or over stdio to an {@link EchoPeer}. */
final class WeftWire implements Wire {
    private final Connection connection;
    private final Runnable cut;
    private final Runnable closeFarEnd;

    private WeftWire(Connection connection, Runnable cut, Runnable closeFarEnd) {
        this.connection = connection;
        this.cut = cut;
        this.closeFarEnd = closeFarEnd;
    }

    /**
     * A connection over a memory pair whose far end is a minimal echo loop on the raw transport (receive, answer
     * {@code echo} with its params, ignore the rest) on one virtual thread.
     */
    static WeftWire memoryEchoLoop() {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        Thread loop = Thread.ofVirtual().name("bench-memory-echo").start(() -> echoLoop(pair.right()));
        Connection connection = Connection.open(pair.left());
        return new WeftWire(connection, () -> pair.right().fail(new IOException("bench: wire cut")),
                () -> join(loop));
    }

    private static void echoLoop(MemoryTransport far) {
        while (true) {
            Message message;
            try {
                message = far.receive();
            } catch (IOException e) {
                return; // the pair ended
            } catch (MalformedMessageException e) {
                throw new IllegalStateException(e);
            }
            if (message instanceof Request request && ECHO.equals(request.method())) {
                try {
                    far.send(new Response.Success(request.id(), request.params()));
                } catch (IOException e) {
                    return;
                }
            }
        }
    }

    /** A connection over a memory pair whose far end is another connection with an {@code echo} request handler. */
    static WeftWire memoryEchoConnection() {
        MemoryTransport.Pair pair = MemoryTransport.pair();
        Connection server = Connection.open(pair.right(),
                ConnectionOptions.DEFAULT.withName("bench-server").withRequestHandler(ECHO, request -> request.params()));
        Connection connection = Connection.open(pair.left());
        return new WeftWire(connection, () -> pair.right().fail(new IOException("bench: wire cut")), server::close);
    }

    /** A connection over {@link StdioTransport#spawn} to a fresh peer process started with {@code argv}. */
    static WeftWire stdio(List<String> argv) {
        StdioTransport transport;
        try {
            transport = StdioTransport.spawn(ProcessSpec.of(argv.toArray(String[]::new)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessHandle peer = ProcessHandle.of(transport.pid().orElseThrow()).orElseThrow();
        Connection connection = Connection.open(transport);
        return new WeftWire(connection, peer::destroyForcibly, () -> { });
    }

    @Override
    public JsonNode call(String method, JsonNode params) {
        return connection.call(method, params);
    }

    @Override
    public int pending() {
        return connection.pendingCalls();
    }

    @Override
    public void cut() {
        cut.run();
    }

    @Override
    public Class<? extends Exception> endedType() {
        return TransportClosedException.class;
    }

    @Override
    public void close() {
        connection.close();
        closeFarEnd.run();
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
