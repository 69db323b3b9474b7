package dev.weft.transport;

import dev.weft.testing.Await;
import static dev.weft.transport.Peers.waiting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.RequestId;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server direction: the transport over given streams (here NIO pipes, whose close wakes a blocked read). */
@Tag("concurrency")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StdioTransportStreamsTest {
    private Pipe toTransport;
    private Pipe fromTransport;
    private StdioTransport transport;

    @BeforeEach
    void connect() throws Exception {
        toTransport = Pipe.open();
        fromTransport = Pipe.open();
        transport = StdioTransport.overStreams(Channels.newInputStream(toTransport.source()),
                Channels.newOutputStream(fromTransport.sink()), "stdio[test]", JsonRpcCodec.standard());
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        transport.close();
        toTransport.sink().close();
        fromTransport.source().close();
        Await.until(() -> transport.threads().stream().noneMatch(Thread::isAlive), Peers.PATIENCE,
                "every transport thread ended");
    }

    @Test
    void sendsOneLinePerMessageAndReceivesLines() throws Exception {
        transport.send(new Request(RequestId.of("a"), "ping", JsonNodeFactory.instance.objectNode().put("n", 1)));
        BufferedReader written = new BufferedReader(new InputStreamReader(
                Channels.newInputStream(fromTransport.source()), StandardCharsets.UTF_8));
        OutputStream peer = Channels.newOutputStream(toTransport.sink());
        peer.write("{\"jsonrpc\":\"2.0\",\"method\":\"pong\"}\n".getBytes(StandardCharsets.UTF_8));

        assertThat(written.readLine()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\",\"params\":{\"n\":1}}");
        assertThat(transport.receive()).isEqualTo(new Notification("pong", null));
        assertThat(transport.describe()).isEqualTo("stdio[test]");
        assertThat(transport.pid()).isEmpty();
        assertThat(transport.threads()).extracting(Thread::getName).allMatch(name -> name.startsWith("weft-stdio-in-"));
    }

    @Test
    void endOfInputEndsTheTransportWithEofAfterTheLastFrame() throws Exception {
        OutputStream peer = Channels.newOutputStream(toTransport.sink());
        peer.write("{\"jsonrpc\":\"2.0\",\"method\":\"last\"}".getBytes(StandardCharsets.UTF_8)); // no newline
        peer.close();

        assertThat(transport.receive()).isEqualTo(new Notification("last", null));
        Throwable first = catchThrowable(transport::receive);
        Throwable second = catchThrowable(transport::receive);
        assertThat(first).isInstanceOf(EOFException.class).hasMessageContaining("end of input");
        assertThat(second).isInstanceOf(EOFException.class).hasCause(first.getCause());
    }

    @Test
    void closeUnblocksAWaitingReceiveAndStopsTheReader() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(new AssertionError("received " + transport.receive()));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Await.until(() -> waiting(receiver), Peers.PATIENCE, "the receiver waits");

        transport.close();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(EOFException.class).hasMessageContaining("closed");
        Await.until(() -> transport.threads().stream().noneMatch(Thread::isAlive), Peers.PATIENCE,
                "every transport thread ended");
    }

    @Test
    void writeFailureEndsTheTransportWithThatError() throws Exception {
        fromTransport.source().close(); // the reader of our output is gone

        Throwable failed = catchThrowable(() -> transport.send(new Notification("lost", null)));
        Throwable later = catchThrowable(transport::receive);

        assertThat(failed).isInstanceOf(java.io.IOException.class).hasMessageContaining("writing failed");
        assertThat(later).hasCause(failed.getCause());
    }
}
