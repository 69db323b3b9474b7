package dev.weft.transport.peer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weft.jsonrpc.JsonRpcCodec;
import dev.weft.jsonrpc.MalformedMessageException;
import dev.weft.jsonrpc.Message;
import dev.weft.jsonrpc.Notification;
import dev.weft.jsonrpc.Request;
import dev.weft.jsonrpc.Response;
import dev.weft.transport.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stdio server for tests, run in its own JVM. The first argument picks its behaviour:
 * <ul>
 *   <li>{@code echo}: answers each request with a result equal to its params ({@code {}} when it has none), and each
 *       line that is not a message with a {@code malformed} notification;</li>
 *   <li>{@code exit-on K N answer|silent}: echoes, and on request K writes a line to standard error, answers it or
 *       not, and exits with code N;</li>
 *   <li>{@code hold}: answers {@code echo} requests; for any other request sends a {@code received} notification
 *       with its id and never answers it;</li>
 *   <li>{@code close-stdout}: closes its standard output, then reads standard input to its end and exits 0;</li>
 *   <li>{@code grandchild}: starts {@code sleep 600} with our standard output and error inherited, announces its pid
 *       in a {@code grandchild} notification and exits with code 3;</li>
 *   <li>{@code stderr N}: writes N lines to standard error, then a {@code done} notification, then echoes;</li>
 *   <li>{@code oversized N}: writes a {@code before} notification, then a line of N bytes, then echoes;</li>
 *   <li>{@code malformed}: writes a line that is not JSON, then echoes;</li>
 *   <li>{@code transport-echo}: echoes through {@link StdioTransport#overSystemStreams}, the server direction of the
 *       transport under test, and exits 0 at the end of its input.</li>
 * </ul>
 */
public final class StdioPeer {
    private static final JsonRpcCodec CODEC = JsonRpcCodec.standard();
    private static final OutputStream OUT = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));

    private StdioPeer() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "echo" -> echo(Integer.MAX_VALUE, 0, true);
            case "exit-on" -> echo(Integer.parseInt(args[1]), Integer.parseInt(args[2]), "answer".equals(args[3]));
            case "close-stdout" -> {
                OUT.close();
                System.out.close();
                System.in.transferTo(OutputStream.nullOutputStream());
            }
            case "grandchild" -> {
                Process sleep = new ProcessBuilder("sleep", "600")
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                write(new Notification("grandchild", JsonNodeFactory.instance.objectNode().put("pid", sleep.pid())));
                System.exit(3);
            }
            case "stderr" -> {
                int lines = Integer.parseInt(args[1]);
                for (int i = 1; i <= lines; i++) {
                    System.err.println("stderr line " + i);
                }
                System.err.flush();
                write(new Notification("done", null));
                echo(Integer.MAX_VALUE, 0, true);
            }
            case "oversized" -> {
                write(new Notification("before", null));
                byte[] line = new byte[Integer.parseInt(args[1])];
                Arrays.fill(line, (byte) 'x');
                OUT.write(line);
                OUT.write('\n');
                OUT.flush();
                echo(Integer.MAX_VALUE, 0, true);
            }
            case "malformed" -> {
                OUT.write("{\"jsonrpc\": \"2.0\", this is not json\n".getBytes(StandardCharsets.UTF_8));
                OUT.flush();
                echo(Integer.MAX_VALUE, 0, true);
            }
            case "transport-echo" -> transportEcho();
            case "hold" -> hold();
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    /** Answers requests until request {@code exitOn}, on which it exits with {@code code}, answering it or not. */
    private static void echo(int exitOn, int code, boolean answerLast) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int requests = 0;
        for (String line; (line = in.readLine()) != null; ) {
            Message message;
            try {
                message = CODEC.decode(line);
            } catch (MalformedMessageException e) {
                // say so, so that a test whose frames got mangled fails at once instead of waiting for an answer
                write(new Notification("malformed", JsonNodeFactory.instance.objectNode()
                        .put("error", e.getMessage()).put("line", line.substring(0, Math.min(200, line.length())))));
                continue;
            }
            if (message instanceof Request request) {
                requests++;
                boolean last = requests == exitOn;
                if (last) {
                    System.err.println("exiting on request " + requests + " with code " + code);
                    System.err.flush();
                }
                if (!last || answerLast) {
                    write(new Response.Success(request.id(),
                            request.params() != null ? request.params() : JsonNodeFactory.instance.objectNode()));
                }
                if (last) {
                    System.exit(code);
                }
            }
        }
    }

    /**
     * Answers requests for {@code echo}; for any other request sends a {@code received} notification naming its id
     * and never answers, so that a test knows when its calls are pending at the peer.
     */
    private static void hold() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            Message message;
            try {
                message = CODEC.decode(line);
            } catch (MalformedMessageException e) {
                continue;
            }
            if (message instanceof Request request) {
                if (request.method().equals("echo")) {
                    write(new Response.Success(request.id(), request.params() != null ? request.params()
                            : JsonNodeFactory.instance.objectNode()));
                } else {
                    write(new Notification("received", JsonNodeFactory.instance.objectNode()
                            .put("id", request.id().toString())));
                }
            }
        }
    }

    private static void transportEcho() throws IOException {
        try (StdioTransport transport = StdioTransport.overSystemStreams(CODEC)) {
            while (true) {
                Message message;
                try {
                    message = transport.receive();
                } catch (MalformedMessageException e) {
                    continue;
                } catch (EOFException e) {
                    break;
                }
                if (message instanceof Request request) {
                    transport.send(new Response.Success(request.id(), request.params()));
                }
            }
        }
        System.exit(0);
    }

    private static void write(Message message) throws IOException {
        OUT.write(CODEC.encode(message));
        OUT.write('\n');
        OUT.flush();
    }
}
