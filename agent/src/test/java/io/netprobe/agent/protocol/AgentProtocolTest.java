package io.netprobe.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AgentProtocolTest {
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> replies = new CopyOnWriteArrayList<>();
  private final AtomicBoolean byeRan = new AtomicBoolean();
  private final Agent agent = new Agent(json, replies::add, () -> byeRan.set(true));

  private JsonNode send(String line) throws Exception {
    int before = replies.size();
    agent.handle(line);
    assertThat(agent.awaitReplies(5000)).isTrue();
    assertThat(replies).hasSize(before + 1);
    return json.readTree(replies.get(before));
  }

  @Test
  void badJsonGetsBadJsonErrorAndAgentKeepsAnswering() throws Exception {
    JsonNode reply = send("{not json");
    assertThat(reply.get("ok").asBoolean()).isFalse();
    assertThat(reply.at("/error/code").asText()).isEqualTo("BAD_JSON");
    assertThat(send("{\"id\":2,\"op\":\"hello\"}").get("ok").asBoolean()).isTrue();
  }

  @Test
  void unknownOpIsNamedWithTheValidOps() throws Exception {
    JsonNode reply = send("{\"id\":\"a\",\"op\":\"reboot\"}");
    assertThat(reply.get("id").asText()).isEqualTo("a");
    assertThat(reply.at("/error/code").asText()).isEqualTo("UNKNOWN_OP");
    assertThat(reply.at("/error/field").asText()).isEqualTo("op");
    assertThat(reply.at("/error/message").asText()).contains("reboot", "probe", "hello");
  }

  @Test
  void missingOpNamesTheOpField() throws Exception {
    JsonNode reply = send("{\"id\":1}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("op");
  }

  @Test
  void missingPortNamesArgsPort() throws Exception {
    JsonNode reply = send("{\"id\":3,\"op\":\"probe\",\"args\":{\"type\":\"tcp\",\"host\":\"x\"}}");
    assertThat(reply.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.port");
    assertThat(reply.at("/error/message").asText()).contains("1..65535");
  }

  @Test
  void unknownProbeTypeListsTheValidTypes() throws Exception {
    JsonNode reply = send("{\"id\":4,\"op\":\"probe\",\"args\":{\"type\":\"ftp\",\"host\":\"x\"}}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.type");
    assertThat(reply.at("/error/message").asText())
        .contains("icmp", "tcp", "udp", "ssh", "http", "https");
  }

  @Test
  void outOfRangeTimeoutIsRejectedWithTheRange() throws Exception {
    JsonNode reply =
        send(
            "{\"id\":5,\"op\":\"probe\",\"args\":{\"type\":\"tcp\",\"host\":\"127.0.0.1\","
                + "\"port\":1,\"timeoutMs\":\"soon\"}}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.timeoutMs");
    assertThat(reply.at("/error/message").asText()).contains("soon");
  }

  @Test
  void argsThatAreNotAnObjectAreRefused() throws Exception {
    JsonNode reply = send("{\"id\":6,\"op\":\"facts\",\"args\":[1]}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args");
  }

  @Test
  void sshPasswordNeverAppearsInAnErrorReply() throws Exception {
    JsonNode reply =
        send(
            "{\"id\":7,\"op\":\"probe\",\"args\":{\"type\":\"ssh\",\"host\":\"127.0.0.1\","
                + "\"password\":\"s3cret-pw\",\"checkHostKey\":true}}");
    assertThat(reply.get("ok").asBoolean()).isFalse();
    assertThat(reply.toString()).doesNotContain("s3cret-pw");
  }

  @Test
  void helloReportsVersionOpsAndCapabilities() throws Exception {
    JsonNode result = send("{\"id\":8,\"op\":\"hello\"}").get("result");
    assertThat(result.get("version").asText()).isEqualTo(Agent.VERSION);
    assertThat(result.get("ops").toString())
        .contains("capture.start", "listen.stop", "rules", "bye");
    assertThat(result.at("/capabilities/pingSocket/reason").asText()).isNotBlank();
    assertThat(result.at("/capabilities/capture/reason").asText()).isNotBlank();
  }

  @Test
  void byeRepliesThenRunsTheByeAction() throws Exception {
    JsonNode reply = send("{\"id\":9,\"op\":\"bye\"}");
    assertThat(reply.get("ok").asBoolean()).isTrue();
    assertThat(byeRan).isTrue();
  }

  @Test
  void factsListsLoopbackAndRouteChoice() throws Exception {
    JsonNode result =
        send("{\"id\":10,\"op\":\"facts\",\"args\":{\"routeTo\":\"127.0.0.1\"}}").get("result");
    assertThat(result.get("interfaces").toString()).contains("\"lo\"", "127.0.0.1/8");
    assertThat(result.at("/routeChoices/0/source").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void stoppingAnUnknownCaptureNamesTheId() throws Exception {
    JsonNode reply = send("{\"id\":11,\"op\":\"capture.stop\",\"args\":{\"id\":\"nope\"}}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.id");
  }

  @Test
  void rulesAnswersWithRuleSetsOrWhyNot() throws Exception {
    // root on the build machine reads its rules; elsewhere the reason is the answer, never an error
    JsonNode reply = send("{\"id\":12,\"op\":\"rules\",\"args\":{\"tables\":[\"filter\"]}}");
    assertThat(reply.get("ok").asBoolean()).as(reply.toString()).isTrue();
    JsonNode result = reply.get("result");
    assertThat(result.get("ruleSets").isArray()).isTrue();
    assertThat(result.get("unavailable").isArray()).isTrue();
    assertThat(result.get("ruleSets").size() + result.get("unavailable").size()).isPositive();
    for (JsonNode set : result.get("ruleSets")) {
      for (JsonNode table : set.get("tables")) {
        assertThat(table.get("name").asText()).isEqualTo("filter");
      }
    }
  }

  @Test
  void rulesNamesABadTableName() throws Exception {
    JsonNode reply = send("{\"id\":13,\"op\":\"rules\",\"args\":{\"tables\":\"-t nat\"}}");
    assertThat(reply.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.tables");
    assertThat(reply.at("/error/message").asText()).contains("\"-t nat\"");
  }
}
