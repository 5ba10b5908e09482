package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.icmp.IcmpError;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeResultJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void resultSurvivesAJsonRoundTrip() throws Exception {
    ProbeResult result =
        new ProbeResult(
            "icmp",
            "vm",
            "10.0.2.15",
            ProbeStatus.ADMIN_PROHIBITED,
            "10.1.5.90",
            null,
            "c1",
            IcmpError.of(3, 13, "192.168.37.10"),
            new Echoes(3, 0, List.of(), null, 4711, "ping"),
            null,
            List.of(new Timing("done", 1.5)),
            List.of("echo 1 prohibited"),
            2.25,
            null);
    String text = json.writeValueAsString(result);
    assertThat(text).doesNotContain("\"ssh\"");
    assertThat(json.readValue(text, ProbeResult.class)).isEqualTo(result);
  }

  @Test
  void transactionsOfAnRrProbeSurviveTheWire() throws Exception {
    long[] rtts = {30_000, 25_000, 120_000, 8_000_000};
    ProbeResult result =
        new ProbeResult(
            "rr:udp:5001",
            "10.242.0.2",
            "10.242.0.2",
            ProbeStatus.REPLY,
            "10.242.0.1",
            40112,
            "np0m",
            null,
            null,
            null,
            List.of(),
            List.of("4 transactions"),
            1000.5,
            1L,
            Transactions.of("udp", 64, rtts, 4, 1, 1_000_000_000L),
            null);
    String text = json.writeValueAsString(result);
    assertThat(json.readValue(text, ProbeResult.class))
        .as("an agent over SSH, Docker or a process sends its figures as JSON")
        .isEqualTo(result);
  }

  @Test
  void throughputOfABulkProbeSurvivesTheWire() throws Exception {
    ProbeResult result =
        ProbeResult.builder("bulk:tcp:5002", ProbeTarget.of("10.249.0.2", 1000))
            .status(ProbeStatus.REPLY)
            .throughput(Throughput.sent(125_000_000, 1_000_000_000L).received(120_000_000, 990.5))
            .build();
    String text = json.writeValueAsString(result);
    assertThat(json.readValue(text, ProbeResult.class))
        .as("the receiver's count joins the sender's, and both cross the wire")
        .isEqualTo(result);
  }

  @Test
  void sshDetailsRoundTripAndLoginHidesPassword() throws Exception {
    SshDetails ssh =
        new SshDetails(
            "SSH-2.0-OpenSSH_9.2",
            "ssh-ed25519",
            "SHA256:abc",
            "MATCH",
            "lab",
            "password",
            "hostname",
            "vm",
            0,
            null);
    ProbeResult result =
        new ProbeResult(
            "ssh",
            "vm",
            "10.0.2.15",
            ProbeStatus.CONNECTED,
            null,
            40000,
            null,
            null,
            null,
            ssh,
            null,
            null,
            1,
            null);
    assertThat(json.readValue(json.writeValueAsString(result), ProbeResult.class))
        .isEqualTo(result);
    SshLogin login = new SshLogin("lab", "s3cret", null, null, false, "hostname");
    assertThat(login.toString()).doesNotContain("s3cret").contains("password");
  }

  @Test
  void targetValidationNamesTheField() {
    assertThatThrownBy(() -> new ProbeTarget("h", 0, 0, null)).hasMessageContaining("timeoutMs");
    assertThatThrownBy(() -> new ProbeTarget(" ", 10, 0, null)).hasMessageContaining("host");
    assertThatThrownBy(() -> new ProbeTarget("h", 10, 70000, null))
        .hasMessageContaining("sourcePort");
  }

  @Test
  void markGivesAStableNonZeroEchoIdentifier() {
    assertThat(IcmpProbe.identifierFor("check-1")).isEqualTo(IcmpProbe.identifierFor("check-1"));
    assertThat(IcmpProbe.identifierFor("check-1")).isBetween(1, 65535);
    assertThat(IcmpProbe.identifierFor(null)).isZero();
  }
}
