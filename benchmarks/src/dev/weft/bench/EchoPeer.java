package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stdio echo peer, a process of its own: reads one JSON-RPC request per line from standard input, parses it with
 * Jackson, and answers each {@code echo} request with one line {@code {"jsonrpc":"2.0","id":<id>,"result":<params>}},
 * flushed. Other requests ({@code hang}) are read and never answered. Exits at the end of its input. Single-threaded:
 * requests are answered in the order they arrive.
 */
public final class EchoPeer {
    private EchoPeer() {
    }

    public static void main(String[] args) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode request = mapper.readTree(line);
            if (!Wire.ECHO.equals(request.path("method").asText())) {
                continue;
            }
            ObjectNode answer = mapper.createObjectNode().put("jsonrpc", "2.0");
            answer.set("id", request.get("id"));
            answer.set("result", request.get("params"));
            out.write(mapper.writeValueAsBytes(answer));
            out.write('\n');
            out.flush();
        }
    }

    /**
     * The command that starts a peer with this JVM's {@code java} and class path.
     *
     * @param fastStart C1 only and the serial collector, for peers that live a few milliseconds; otherwise the
     *                  JVM's defaults (with the serial collector), for peers that serve many calls
     */
    static List<String> argv(boolean fastStart) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElseThrow());
        argv.add("-XX:+UseSerialGC");
        if (fastStart) {
            argv.add("-XX:TieredStopAtLevel=1");
        }
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), EchoPeer.class.getName()));
        return List.copyOf(argv);
    }

    /**
     * A peer that is not a JVM, for the kill benchmark: {@code sh} answers the first request (which must be an
     * {@code echo} of {@link Wire#PARAMS} with id 1) with a fixed line, then becomes {@code cat} (same pid), which reads
     * and drops everything else while it keeps standard output open (as fd 3), so that the reader sees no end before
     * the kill. Killing it takes the kernel about 0.1 ms, where a JVM takes a few: it shows what is
     * left of the end-to-failure time without the JVM's own death.
     */
    static List<String> shellSink() {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + Wire.PARAMS_JSON + "}";
        return List.of("sh", "-c", "IFS= read -r line; printf '%s\\n' '" + answer + "'; exec cat 3>&1 >/dev/null");
    }
}
