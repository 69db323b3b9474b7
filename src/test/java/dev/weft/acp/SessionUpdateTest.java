package dev.weft.acp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.mcp.Content;
import org.junit.jupiter.api.Test;

/** Every {@code session/update} kind of the ACP v1 schema, read from the wire into its record. */
class SessionUpdateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SessionUpdate read(String json) throws Exception {
        return SessionUpdate.of(JSON.readTree(json));
    }

    @Test
    void chunksCarryTheirContentBlock() throws Exception {
        assertThat(read("""
                {"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"hi"},"messageId":"m1"}"""))
                .isEqualTo(new SessionUpdate.AgentMessageChunk(new Content.Text("hi"), "m1"));
        assertThat(read("""
                {"sessionUpdate":"agent_thought_chunk","content":{"type":"text","text":"hmm"}}"""))
                .isInstanceOf(SessionUpdate.AgentThoughtChunk.class);
        assertThat(read("""
                {"sessionUpdate":"user_message_chunk","content":{"type":"resource_link","uri":"file:///a","name":"a"}}
                """)).isInstanceOfSatisfying(SessionUpdate.UserMessageChunk.class,
                chunk -> assertThat(chunk.content()).isInstanceOf(Content.ResourceLink.class));
    }

    @Test
    void aToolCallAndItsUpdatesMerge() throws Exception {
        SessionUpdate.ToolCall call = (SessionUpdate.ToolCall) read("""
                {"sessionUpdate":"tool_call","toolCallId":"t1","title":"Edit a","kind":"edit","status":"pending",
                 "locations":[{"path":"/p/a","line":3}],"rawInput":{"x":1},
                 "content":[{"type":"diff","path":"/p/a","oldText":"1","newText":"2"},
                            {"type":"terminal","terminalId":"term-1"},
                            {"type":"content","content":{"type":"text","text":"ok"}},
                            {"type":"hologram","beam":true}]}""");
        assertThat(call.toolKind()).isEqualTo(ToolKind.EDIT);
        assertThat(call.locations()).containsExactly(new SessionUpdate.Location("/p/a", 3));
        assertThat(call.content()).hasSize(4);
        assertThat(call.content().get(0)).isEqualTo(new ToolCallContent.Diff("/p/a", "1", "2"));
        assertThat(call.content().get(1)).isEqualTo(new ToolCallContent.Terminal("term-1"));
        assertThat(call.content().get(2)).isEqualTo(new ToolCallContent.Block(new Content.Text("ok")));
        assertThat(call.content().get(3)).isInstanceOfSatisfying(ToolCallContent.Unknown.class,
                unknown -> assertThat(unknown.type()).isEqualTo("hologram"));

        SessionUpdate.ToolCallUpdate change = (SessionUpdate.ToolCallUpdate) read("""
                {"sessionUpdate":"tool_call_update","toolCallId":"t1","status":"completed","rawOutput":{"y":2}}""");
        assertThat(change.synthesized()).isFalse();
        assertThat(change.content()).as("absent: unchanged").isNull();
        SessionUpdate.ToolCall merged = call.merge(change);
        assertThat(merged.status()).isEqualTo(ToolCallStatus.COMPLETED);
        assertThat(merged.title()).isEqualTo("Edit a");
        assertThat(merged.content()).hasSize(4);
        assertThat(merged.rawOutput().path("y").asInt()).isEqualTo(2);
        assertThat(merged.rawInput().path("x").asInt()).isEqualTo(1);
    }

    @Test
    void plansCommandsModesConfigInfoAndUsage() throws Exception {
        assertThat(read("""
                {"sessionUpdate":"plan","entries":[{"content":"a","priority":"high","status":"completed"},
                                                   {"content":"b","priority":"low","status":"pending"}]}"""))
                .isEqualTo(new SessionUpdate.Plan(java.util.List.of(
                        new SessionUpdate.PlanEntry("a", SessionUpdate.PlanEntry.Priority.HIGH,
                                SessionUpdate.PlanEntry.Status.COMPLETED),
                        new SessionUpdate.PlanEntry("b", SessionUpdate.PlanEntry.Priority.LOW,
                                SessionUpdate.PlanEntry.Status.PENDING))));
        assertThat(read("""
                {"sessionUpdate":"available_commands_update","availableCommands":[{"name":"web","description":"Search",
                 "input":{"hint":"query"}}]}""")).isInstanceOfSatisfying(SessionUpdate.AvailableCommandsUpdate.class,
                u -> assertThat(u.availableCommands().getFirst().input().path("hint").asText()).isEqualTo("query"));
        assertThat(read("""
                {"sessionUpdate":"current_mode_update","currentModeId":"plan"}"""))
                .isEqualTo(new SessionUpdate.CurrentModeUpdate("plan"));
        assertThat(read("""
                {"sessionUpdate":"config_option_update","configOptions":[{"id":"model"}]}"""))
                .isInstanceOf(SessionUpdate.ConfigOptionUpdate.class);
        assertThat(read("""
                {"sessionUpdate":"session_info_update","title":"Fix tests"}"""))
                .isEqualTo(new SessionUpdate.SessionInfoUpdate("Fix tests", null));
        assertThat(read("""
                {"sessionUpdate":"usage_update","used":1000,"size":200000,"cost":{"amount":0.01,"currency":"USD"}}"""))
                .isEqualTo(new SessionUpdate.UsageUpdate(1000, 200000, new SessionUpdate.Cost(0.01, "USD")));
    }

    @Test
    void unknownKindsAndValuesDoNotBreakATurn() throws Exception {
        JsonNode notice = JSON.readTree("""
                {"sessionUpdate":"notice","text":"compacting"}""");
        assertThat(SessionUpdate.of(notice)).isEqualTo(new SessionUpdate.Other("notice", notice));
        assertThat(read("""
                {"sessionUpdate":"tool_call","toolCallId":"t9","title":"x","kind":"teleport","status":"pending"}"""))
                .isInstanceOfSatisfying(SessionUpdate.ToolCall.class,
                        call -> assertThat(call.toolKind()).isEqualTo(ToolKind.OTHER));
        assertThatThrownBy(() -> read("""
                {"content":{"type":"text","text":"no kind"}}""")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionUpdate");
    }
}
