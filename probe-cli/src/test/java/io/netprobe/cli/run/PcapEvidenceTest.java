package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.capture.PacketSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapEvidenceTest {
  /** One echo request 10.1.5.90 > 10.0.2.15, id 43696, as an agent captured it on "any". */
  private static final String ONE_ECHO =
      "1MOyoQIABAAAAAAAAAAAAIAAAABxAAAAd2kCa57XBgA4AAAAOAAAAAAEAAEABsY7GbbKpwAACABFAAAoza1AAEAB"
          + "Ub4KAQVaCgACDwgABQWqsAABbmV0cHJvYmUgbnAw";

  private static PcapEvidence.Capture capture() {
    return PcapEvidence.Capture.of(
        new CaptureSummary(
            "run", "any", "icmp", 1, false, 1, List.of(), ONE_ECHO, null, "stopped", null));
  }

  @Test
  void agentsPcapIsReadRecordByRecordWithItsPacketSummary() {
    PcapEvidence.Capture c = capture();
    assertThat(c.records()).hasSize(1);
    assertThat(c.packets().get(0).icmpId()).isEqualTo(43696);
    assertThat(c.packets().get(0).direction()).isEqualTo(PacketSummary.Direction.OUT);
  }

  @Test
  void selectingKeepsTheFlowsRecordsAndAnEmptySelectionIsAValidEmptyPcap() {
    PcapEvidence.Capture c = capture();
    byte[] all = c.select(p -> true);
    byte[] none = c.select(p -> false);
    assertThat(none).hasSize(24).as("the global header alone");
    assertThat(all).hasSize(24 + 16 + 56);
  }

  @Test
  void checkIdBecomesAFileName() {
    assertThat(PcapEvidence.slug("pc->vm.nat icmp")).isEqualTo("pc_vm.nat_icmp");
    assertThat(PcapEvidence.slug("pc->127.0.0.1:1234 ssh")).isEqualTo("pc_127.0.0.1_1234_ssh");
  }
}
