package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A check's packets in the target's capture. Sources in different namespaces pick their source
 * ports (and echo ids) on their own, so two of them may use the same one towards the same target in
 * one run: seen in the mesh benchmark, where a dropped SYN was explained by its twin's SYN-ACK as a
 * missing route back.
 */
class FlowMatcherTest {
  private static final Matrix MATRIX = load();

  private static Matrix load() {
    try {
      return MatrixLoader.load(
          """
          name: flows
          defaults: { timeout: 1s }
          nodes:
            a: { kind: netns, netns: np-a, addresses: { lan: 10.250.0.10 } }
            b: { kind: netns, netns: np-b, addresses: { lan: 10.250.0.9 } }
            t: { kind: netns, netns: np-t, addresses: { lan: 10.250.0.8 } }
          checks:
            - { from: a, to: t, probe: "tcp:8002", expect: fail }
            - { from: a, to: t, probe: icmp, expect: fail }
          """,
          "flows.yaml");
    } catch (MatrixException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static ProbeResult probe(Check c, String source) {
    return new ProbeResult(
        c.probe().label(),
        c.to().ip(),
        c.to().ip(),
        ProbeStatus.TIMEOUT,
        source,
        42961,
        "np0",
        null,
        new Echoes(1, 0, List.of(), null, 4242, "ping"),
        null,
        List.of(),
        List.of(),
        1000,
        null);
  }

  private static PacketSummary tcp(String dir, String src, int sp, String dst, int dp, String f) {
    return PacketSummary.tcp(
        new PacketSummary.Ip(5, "eth0", PacketSummary.Direction.of(dir), src, dst, 60), sp, dp, f);
  }

  private static PacketSummary echo(String dir, int type, String src, String dst) {
    return PacketSummary.icmp(
        new PacketSummary.Ip(5, "eth0", PacketSummary.Direction.of(dir), src, dst, 60),
        type,
        0,
        4242,
        1);
  }

  @Test
  void aTwinFlowFromAnotherSourceWithTheSamePortIsNotThisChecks() {
    Check c = MATRIX.checks().get(0);
    List<PacketSummary> captured =
        List.of(
            tcp("in", "10.250.0.10", 42961, "10.250.0.8", 8002, "S"),
            tcp("in", "10.250.0.9", 42961, "10.250.0.8", 8002, "S"),
            tcp("out", "10.250.0.8", 8002, "10.250.0.9", 42961, "SA"));
    List<PacketSummary> requests = FlowMatcher.requests(c, probe(c, "10.250.0.10"), captured);
    assertThat(requests).extracting(PacketSummary::src).containsExactly("10.250.0.10");
    assertThat(FlowMatcher.replies(c, requests, captured)).as("b's SYN-ACK").isEmpty();
  }

  @Test
  void aNattedFlowIsStillFoundByItsPort() {
    Check c = MATRIX.checks().get(0);
    List<PacketSummary> captured =
        List.of(
            tcp("in", "10.0.2.2", 42961, "10.250.0.8", 8002, "S"),
            tcp("out", "10.250.0.8", 8002, "10.0.2.2", 42961, "SA"));
    List<PacketSummary> requests = FlowMatcher.requests(c, probe(c, "10.250.0.10"), captured);
    assertThat(requests).hasSize(1);
    assertThat(FlowMatcher.replies(c, requests, captured)).hasSize(1);
  }

  @Test
  void anEchoWithTheSameIdFromAnotherSourceIsNotThisChecks() {
    Check c = MATRIX.checks().get(1);
    List<PacketSummary> captured =
        List.of(
            echo("in", 8, "10.250.0.10", "10.250.0.8"),
            echo("in", 8, "10.250.0.9", "10.250.0.8"),
            echo("out", 0, "10.250.0.8", "10.250.0.9"));
    List<PacketSummary> requests = FlowMatcher.requests(c, probe(c, "10.250.0.10"), captured);
    assertThat(requests).extracting(PacketSummary::src).containsExactly("10.250.0.10");
    assertThat(FlowMatcher.replies(c, requests, captured)).isEmpty();
  }

  @Test
  void atTheSourceAnotherRunsFlowWithTheSamePortToAnotherTargetIsNotThisChecks() {
    Check c = MATRIX.checks().get(0);
    // another student's run, from the same namespace at once, got the same source port to .7
    List<PacketSummary> captured =
        List.of(
            tcp("out", "10.250.0.10", 42961, "10.250.0.8", 8002, "S"),
            tcp("out", "10.250.0.10", 42961, "10.250.0.7", 8002, "S"),
            tcp("in", "10.250.0.7", 8002, "10.250.0.10", 42961, "SA"));
    ProbeResult r = probe(c, "10.250.0.10");

    assertThat(FlowMatcher.sent(c, r, captured))
        .extracting(PacketSummary::dst)
        .containsExactly("10.250.0.8");
    assertThat(FlowMatcher.answers(c, r, captured)).as("the other target's SYN-ACK").isEmpty();
  }

  @Test
  void atTheSourceAFlowTranslatedOnTheSourceItselfIsStillFound() {
    Check c = MATRIX.checks().get(0);
    List<PacketSummary> captured =
        List.of(
            tcp("out", "10.250.0.10", 42961, "192.168.1.2", 8002, "S"),
            tcp("in", "192.168.1.2", 8002, "10.250.0.10", 42961, "SA"));
    ProbeResult r = probe(c, "10.250.0.10");

    assertThat(FlowMatcher.sent(c, r, captured)).hasSize(1);
    assertThat(FlowMatcher.answers(c, r, captured)).hasSize(1);
  }
}
