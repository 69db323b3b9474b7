package dev.weft.bench.acp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ACP agent every host of the ACP client benchmark talks to: ACP v1, newline-delimited JSON-RPC on standard input
 * and output, parsed with Jackson's {@code ObjectMapper} and written with its streaming {@code JsonGenerator}, no ACP
 * library. It answers:
 * <ul>
 *   <li>{@code initialize}: {@code {protocolVersion: 1, agentCapabilities: {loadSession: false}, authMethods: []}}
 *       and its name;</li>
 *   <li>{@code session/new}: a new session id {@code s-<n>};</li>
 *   <li>{@code session/prompt}: the first word of the prompt's first text block picks a script (below);</li>
 *   <li>{@code session/cancel} (a notification): answers the running {@code slow} prompt {@code {stopReason:
 *       "cancelled"}} at once; ignored when no prompt waits for it;</li>
 *   <li>any other request: the JSON-RPC error -32601. Other notifications, and answers, are read and ignored.</li>
 * </ul>
 * Scripts (every update is a {@code session/update} of the prompt's session):
 * <ul>
 *   <li>{@code flood N}: N {@code agent_message_chunk}s back to back, text {@code "<i> the quick brown fox"} for i = 0
 *       .. N-1; then {@code {stopReason: "end_turn"}};</li>
 *   <li>{@code tools N}: for i = 0 .. N-1, {@code tool_call} {@code t<i>} (kind read, status pending), then
 *       {@code tool_call_update t<i>} status completed; then {@code end_turn};</li>
 *   <li>{@code slow}: one {@code tool_call t0} (pending); then nothing until {@code session/cancel}, which it answers
 *       {@code cancelled} at once. It never ends the tool call;</li>
 *   <li>{@code crash}: one {@code agent_message_chunk} {@code "bye"}, flushed; then the process halts with status 3,
 *       the prompt unanswered;</li>
 *   <li>any other word: one {@code agent_message_chunk} {@code "echo: <word>"}, then {@code end_turn}.</li>
 * </ul>
 * One thread reads and runs everything in arrival order; a script runs to its end before the next line is read, so
 * only {@code slow} leaves a prompt open while reading. Output goes through a 64 KiB buffer, flushed after each answer
 * and at the end of each script's updates (so a flood is written in 64 KiB pipe-sized pieces, as fast as the host
 * reads). Request ids of the host are echoed as they came (acp-core numbers its requests with strings, Weft with
 * numbers). This agent sends no requests of its own (no permission, file or terminal requests), so it has no ids of
 * its own to number. Exits at the end of its input.
 */
public final class AcpPeer {
    private static final String FLOOD_TEXT = " the quick brown fox";

    private final ObjectMapper mapper = new ObjectMapper();
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8),
            64 * 1024);
    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
    private final JsonGenerator json;
    private int sessions;
    private JsonNode slowPromptId; // the id of the slow prompt waiting for session/cancel, or null
    private String slowSessionId;

    private AcpPeer() throws IOException {
        JsonFactory factory = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
        json = factory.createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    public static void main(String[] args) throws IOException {
        new AcpPeer().serve();
    }

    private void serve() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message = mapper.readTree(line);
            JsonNode method = message.get("method");
            JsonNode id = message.get("id");
            if (method == null) {
                continue; // an answer to a request of ours: we send none
            }
            JsonNode params = message.path("params");
            if (id == null) {
                if (method.asText().equals("session/cancel")) {
                    onCancel(params.path("sessionId").asText());
                }
                continue;
            }
            switch (method.asText()) {
                case "initialize" -> {
                    begin(id);
                    json.writeObjectFieldStart("result");
                    json.writeNumberField("protocolVersion", 1);
                    json.writeObjectFieldStart("agentCapabilities");
                    json.writeBooleanField("loadSession", false);
                    json.writeEndObject();
                    json.writeArrayFieldStart("authMethods");
                    json.writeEndArray();
                    json.writeObjectFieldStart("agentInfo");
                    json.writeStringField("name", "weft-bench-acp-peer");
                    json.writeStringField("version", "0");
                    json.writeEndObject();
                    json.writeEndObject();
                    end();
                    flush();
                }
                case "session/new" -> {
                    begin(id);
                    json.writeObjectFieldStart("result");
                    json.writeStringField("sessionId", "s-" + ++sessions);
                    json.writeEndObject();
                    end();
                    flush();
                }
                case "session/prompt" -> prompt(id, params);
                default -> {
                    begin(id);
                    json.writeObjectFieldStart("error");
                    json.writeNumberField("code", -32601);
                    json.writeStringField("message", "Method not found: " + method.asText());
                    json.writeEndObject();
                    end();
                    flush();
                }
            }
        }
        flush();
    }

    private void prompt(JsonNode id, JsonNode params) throws IOException {
        String session = params.path("sessionId").asText();
        String text = "";
        for (JsonNode block : params.path("prompt")) {
            if (block.path("type").asText().equals("text")) {
                text = block.path("text").asText();
                break;
            }
        }
        String[] words = text.trim().split("\\s+");
        int n = words.length > 1 ? Integer.parseInt(words[1]) : 0;
        switch (words[0]) {
            case "flood" -> {
                for (int i = 0; i < n; i++) {
                    messageChunk(session, i + FLOOD_TEXT);
                }
                flush();
                answer(id, "end_turn");
            }
            case "tools" -> {
                for (int i = 0; i < n; i++) {
                    toolCall(session, "t" + i, false);
                    toolCall(session, "t" + i, true);
                }
                flush();
                answer(id, "end_turn");
            }
            case "slow" -> {
                toolCall(session, "t0", false);
                flush();
                slowPromptId = id;
                slowSessionId = session;
            }
            case "crash" -> {
                messageChunk(session, "bye");
                flush();
                Runtime.getRuntime().halt(3);
            }
            default -> {
                messageChunk(session, "echo: " + words[0]);
                flush();
                answer(id, "end_turn");
            }
        }
    }

    private void onCancel(String session) throws IOException {
        if (slowPromptId != null && session.equals(slowSessionId)) {
            JsonNode id = slowPromptId;
            slowPromptId = null;
            slowSessionId = null;
            answer(id, "cancelled");
        }
    }

    private void answer(JsonNode id, String stopReason) throws IOException {
        begin(id);
        json.writeObjectFieldStart("result");
        json.writeStringField("stopReason", stopReason);
        json.writeEndObject();
        end();
        flush();
    }

    private void messageChunk(String session, String text) throws IOException {
        beginUpdate(session, "agent_message_chunk");
        json.writeObjectFieldStart("content");
        json.writeStringField("type", "text");
        json.writeStringField("text", text);
        json.writeEndObject();
        endUpdate();
    }

    private void toolCall(String session, String toolCallId, boolean completed) throws IOException {
        beginUpdate(session, completed ? "tool_call_update" : "tool_call");
        json.writeStringField("toolCallId", toolCallId);
        if (!completed) {
            json.writeStringField("title", "read " + toolCallId);
            json.writeStringField("kind", "read");
        }
        json.writeStringField("status", completed ? "completed" : "pending");
        endUpdate();
    }

    private void beginUpdate(String session, String kind) throws IOException {
        json.writeStartObject();
        json.writeStringField("jsonrpc", "2.0");
        json.writeStringField("method", "session/update");
        json.writeObjectFieldStart("params");
        json.writeStringField("sessionId", session);
        json.writeObjectFieldStart("update");
        json.writeStringField("sessionUpdate", kind);
    }

    private void endUpdate() throws IOException {
        json.writeEndObject();
        json.writeEndObject();
        end();
    }

    /** Starts an answer to {@code id}, echoed as the host sent it (a number or a string). */
    private void begin(JsonNode id) throws IOException {
        json.writeStartObject();
        json.writeStringField("jsonrpc", "2.0");
        json.writeFieldName("id");
        mapper.writeTree(json, id);
    }

    /** Ends the message and its line, in the generator's buffer: see {@link #flush}. */
    private void end() throws IOException {
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /** Writes what the generator holds to the 64 KiB buffer, and the buffer to standard output. */
    private void flush() throws IOException {
        json.flush(); // FLUSH_PASSED_TO_STREAM (on by default) flushes the buffer too
    }
}
