package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent against the demo lab ({@code netprobe lab up}), when it is up; skipped otherwise. It
 * only reads the lab: no rule, route or namespace is changed.
 */
class AgentOnDemoLabIT {
  private static final Path LAB = Path.of("/run/np-lab");

  private static void assumeLabUp() {
    assumeTrue(Files.exists(LAB.resolve("up")), "demo lab is not up (netprobe lab up)");
  }

  @Test
  void captureAtTheFloatingIpVmSeesTheSynFor22AndNothingFor50000() throws Exception {
    assumeLabUp();
    try (AgentProcess vm = AgentProcess.startIn("np-os-vm");
        AgentProcess pc = AgentProcess.startIn("np-pc")) {
      vm.result(
          "capture.start",
          Map.of("id", "fip", "iface", "any", "filter", "tcp port 22 or tcp port 50000"));
      JsonNode ssh =
          pc.result(
              "probe",
              Map.of("type", "tcp", "host", "192.168.37.163", "port", 22, "timeoutMs", 2000));
      JsonNode svc =
          pc.result(
              "probe",
              Map.of("type", "tcp", "host", "192.168.37.163", "port", 50000, "timeoutMs", 500));
      JsonNode summary = vm.result("capture.stop", Map.of("id", "fip"));

      assertThat(ssh.get("status").asText()).isEqualTo("CONNECTED");
      assertThat(svc.get("status").asText()).as("the security group drops it").isEqualTo("TIMEOUT");
      assertThat(summary.get("packets").findValuesAsText("tcpFlags")).contains("S");
      for (JsonNode p : summary.get("packets")) {
        assertThat(p.get("dstPort").asInt()).isNotEqualTo(50000);
        if (p.get("dstPort").asInt() == 22) {
          assertThat(p.get("dst").asText()).as("after the floating-IP NAT").isEqualTo("10.0.0.109");
        }
      }
    }
  }

  @Test
  void pcReachesTheNatVmOnlyThroughThePortForward() throws Exception {
    assumeLabUp();
    try (AgentProcess pc = AgentProcess.startIn("np-pc")) {
      JsonNode icmp =
          pc.result(
              "probe", Map.of("type", "icmp", "host", "10.0.2.15", "count", 1, "timeoutMs", 500));
      assertThat(icmp.get("status").asText()).isNotEqualTo("REPLY");
      JsonNode ssh =
          pc.result(
              "probe",
              Map.of(
                  "type",
                  "ssh",
                  "host",
                  "127.0.0.1",
                  "port",
                  1234,
                  "user",
                  "lab",
                  "password",
                  Files.readString(LAB.resolve("password")).strip(),
                  "knownHosts",
                  LAB.resolve("known_hosts").toString(),
                  "command",
                  "hostname",
                  "timeoutMs",
                  5000));
      assertThat(ssh.get("status").asText()).as(ssh.toString()).isEqualTo("CONNECTED");
      assertThat(ssh.at("/ssh/hostKeyCheck").asText()).isEqualTo("MATCH");
      assertThat(ssh.toString()).doesNotContain(Files.readString(LAB.resolve("password")).strip());
    }
  }
}
