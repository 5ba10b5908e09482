package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Capture at the far end of a floating-IP path: {@code rt} maps 10.77.5.100 to the VM 10.77.6.2
 * (DNAT) and, like a security group, admits tcp/22 only. The agent in {@code vm} captures while the
 * agent in {@code cli} probes: the SYN for 22 arrives (after NAT), the one for 50000 never does,
 * and the pcap the agent wrote is read back by {@code tcpdump -r}.
 */
class CaptureIT {
  private static NetnsFixture lab;
  private static AgentProcess client;
  private static AgentProcess vm;
  private static String vmDevice;
  private static Path dir;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("cp");
    try {
      String cli = lab.create("cli");
      String rt = lab.create("rt");
      String vmNs = lab.create("vm");
      lab.link(cli, "10.77.4.1/24", rt, "10.77.4.254/24");
      lab.link(rt, "10.77.6.254/24", vmNs, "10.77.6.2/24");
      lab.exec(rt, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      lab.exec(cli, "ip", "route", "add", "10.77.5.0/24", "via", "10.77.4.254");
      lab.exec(vmNs, "ip", "route", "add", "default", "via", "10.77.6.254");
      lab.exec(
          rt,
          "iptables",
          "-t",
          "nat",
          "-A",
          "PREROUTING",
          "-d",
          "10.77.5.100",
          "-j",
          "DNAT",
          "--to-destination",
          "10.77.6.2");
      lab.exec(
          rt,
          "iptables",
          "-A",
          "FORWARD",
          "-d",
          "10.77.6.2",
          "-p",
          "tcp",
          "--dport",
          "22",
          "-j",
          "ACCEPT");
      lab.exec(
          rt,
          "iptables",
          "-A",
          "FORWARD",
          "-d",
          "10.77.6.2",
          "-m",
          "conntrack",
          "--ctstate",
          "NEW",
          "-j",
          "DROP");
      lab.exec(
          vmNs,
          "sh",
          "-c",
          "socat TCP-LISTEN:22,bind=10.77.6.2,fork,reuseaddr "
              + "SYSTEM:'echo SSH-2.0-fake' >/dev/null 2>&1 &");
      vmDevice = lab.deviceOf(vmNs, "10.77.6.2");
      dir = lab.tempDir();
      client = AgentProcess.startIn(cli);
      vm = AgentProcess.startIn(vmNs);
    } catch (Exception | Error e) {
      down();
      throw e;
    }
  }

  @AfterAll
  static void down() throws Exception {
    try {
      for (AgentProcess a : new AgentProcess[] {client, vm}) {
        if (a != null) {
          a.close();
        }
      }
    } finally {
      lab.close();
    }
  }

  @Test
  void aPcapKeptAgainUnderTheSameIdReplacesTheLastAndNoneTouchesTheDisk() throws Exception {
    String id = "keep" + Long.toString(System.nanoTime(), 36);
    Map<String, Object> start = Map.of("id", id, "iface", vmDevice, "filter", "icmp", "pcap", true);
    Map<String, Object> stop = Map.of("id", id, "keepPcap", true);
    for (int round = 1; round <= 3; round++) {
      vm.result("capture.start", start);
      vm.result("capture.stop", stop);
      assertThat(keptFiles(id)).as("a small pcap stays in memory, round " + round).isEmpty();
    }
    String pcap = vm.result("capture.pcap", Map.of("id", id)).get("pcapBase64").asText();
    assertThat(Base64.getDecoder().decode(pcap))
        .as("the last round's pcap: its global header")
        .startsWith((byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1);
    assertThat(keptFiles(id)).as("taken: nothing left").isEmpty();
  }

  /** The agent's temporary pcaps of capture {@code id} (np-capture-ID-PID-COUNT.pcap). */
  private static List<Path> keptFiles(String id) throws Exception {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("np-capture-" + id + "-"))
          .toList();
    }
  }

  @Test
  void captureAtTheVmSeesTheSynFor22AfterNatAndNothingFor50000() throws Exception {
    Path pcap = dir.resolve("vm.pcap");
    vm.result(
        "capture.start",
        Map.of(
            "id",
            "run1",
            "iface",
            vmDevice,
            "filter",
            "tcp port 22 or tcp port 50000",
            "pcap",
            true,
            "pcapPath",
            pcap.toString()));
    JsonNode ssh = tcp(22, 1000);
    JsonNode blocked = tcp(50000, 300);
    JsonNode summary = vm.result("capture.stop", Map.of("id", "run1"));

    assertThat(ssh.get("status").asText()).isEqualTo("CONNECTED");
    assertThat(blocked.get("status").asText()).isEqualTo("TIMEOUT");
    JsonNode syn = null;
    for (JsonNode p : summary.get("packets")) {
      assertThat(p.path("dstPort").asInt()).as("nothing for 50000 passes rt").isNotEqualTo(50000);
      if ("S".equals(p.path("tcpFlags").asText())) {
        syn = p;
      }
    }
    assertThat(syn).as(summary.toString()).isNotNull();
    assertThat(syn.get("dst").asText()).as("after DNAT").isEqualTo("10.77.6.2");
    assertThat(syn.get("src").asText()).isEqualTo("10.77.4.1");
    assertThat(syn.get("srcPort").asInt())
        .as("the flow mark")
        .isEqualTo(ssh.get("sourcePort").asInt());
    assertThat(syn.get("direction").asText()).isEqualTo("in");
    assertThat(syn.get("iface").asText()).isEqualTo(vmDevice);

    String read = Sh.run("tcpdump", "-nr", pcap.toString());
    assertThat(read)
        .contains("10.77.4.1." + ssh.get("sourcePort").asInt() + " > 10.77.6.2.22:")
        .contains("Flags [S]")
        .doesNotContain(".50000");
    byte[] bytes = Base64.getDecoder().decode(summary.get("pcapBase64").asText());
    assertThat(bytes).as("the same pcap, inline").isEqualTo(Files.readAllBytes(pcap));
  }

  @Test
  void captureWindowEndsByItselfWhenNoPacketArrives() throws Exception {
    vm.result(
        "capture.start",
        Map.of("id", "quiet", "iface", "any", "filter", "udp port 9", "windowMs", 200));
    Thread.sleep(500);
    JsonNode summary = vm.result("capture.stop", Map.of("id", "quiet"));
    assertThat(summary.get("matched").asInt()).isZero();
    assertThat(summary.get("stopReason").asText()).contains("window of 200 ms ended");
  }

  @Test
  void badFilterIsRefusedWithTheFilterAndTheInterface() throws Exception {
    JsonNode reply =
        vm.request("capture.start", Map.of("iface", vmDevice, "filter", "tcp port banana"));
    assertThat(reply.get("ok").asBoolean()).isFalse();
    assertThat(reply.at("/error/message").asText()).contains("tcp port banana", vmDevice);
  }

  private static JsonNode tcp(int port, int timeoutMs) throws Exception {
    Map<String, Object> args =
        new HashMap<>(
            Map.of(
                "type",
                "tcp",
                "host",
                "10.77.5.100",
                "port",
                port,
                "timeoutMs",
                timeoutMs,
                "mark",
                "c" + port));
    return client.result("probe", args);
  }
}
