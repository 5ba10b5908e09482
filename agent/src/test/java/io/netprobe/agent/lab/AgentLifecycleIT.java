package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agent as a process: when its coordinator goes (stdin closes) it stops what it started. */
class AgentLifecycleIT {
  private static NetnsFixture lab;
  private static String ns;

  @BeforeAll
  static void up() {
    lab = new NetnsFixture("lc");
    ns = lab.create("node");
  }

  @AfterAll
  static void down() {
    lab.close();
  }

  @Test
  void closingStdinStopsCaptureAndListenerAndExits() throws Exception {
    AgentProcess agent = AgentProcess.startIn(ns);
    try {
      JsonNode hello = agent.result("hello", Map.of());
      assertThat(hello.at("/capabilities/pingSocket/allowed").asBoolean())
          .as("the fixture widened ping_group_range")
          .isTrue();
      agent.result("capture.start", Map.of("iface", "lo", "filter", "tcp port 7"));
      JsonNode listener = agent.result("listen.start", Map.of("port", 4711));
      assertThat(listener.get("port").asInt()).isEqualTo(4711);
      assertThat(lab.exec(ns, "ss", "-ltn")).contains(":4711");

      assertThat(agent.closeAndWait(5000)).as("agent exits when stdin closes").isTrue();
      assertThat(lab.exec(ns, "ss", "-ltn")).doesNotContain(":4711");
    } finally {
      agent.close();
    }
  }

  @Test
  void badRequestsNeverStopTheAgent() throws Exception {
    try (AgentProcess agent = AgentProcess.startIn(ns)) {
      assertThat(agent.request("probe", Map.of("type", "tcp")).at("/error/field").asText())
          .isEqualTo("args.port");
      assertThat(
              agent
                  .request("capture.start", Map.of("iface", "np-nosuch0"))
                  .at("/error/message")
                  .asText())
          .contains("np-nosuch0");
      assertThat(agent.result("hello", Map.of()).get("agent").asText()).isEqualTo("netprobe-agent");
    }
  }
}
