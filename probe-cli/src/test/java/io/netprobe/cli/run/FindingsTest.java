package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingsTest {
  private static CheckResult notRun(String from, String to, String why) {
    return CheckResult.builder(from + "->" + to + " icmp", from, to, "icmp")
        .target(to, "10.0.0.2", 0, "direct")
        .outcome(Outcome.ERROR)
        .verdict(
            Verdict.notChecked("the probe could not run on " + from + ": " + why, List.of(), "h"))
        .build();
  }

  @Test
  void aFullNeighbourTableIsOneFindingForTheMachineNotOnePerCell() {
    String enobufs =
        "the sending kernel refused the packet (ENOBUFS, no buffer space): ...: 10.0.0.%d:0";
    List<Finding> findings =
        Findings.of(
            List.of(
                notRun("a", "b", enobufs.formatted(2)),
                notRun("a", "c", enobufs.formatted(3)),
                notRun("d", "b", enobufs.formatted(2)),
                notRun("a", "e", "something else")),
            Map.of());
    assertThat(findings).hasSize(2);
    assertThat(findings.get(0).summary())
        .startsWith("the kernel's neighbour (ARP) table was full (ENOBUFS on send")
        .endsWith(": 3 cells could not be checked");
    assertThat(findings.get(0).checkIds()).hasSize(3);
    if (java.nio.file.Files.exists(
        java.nio.file.Path.of("/proc/sys/net/ipv4/neigh/default/gc_thresh3"))) {
      assertThat(findings.get(0).summary()).matches(".*this machine allows \\d{2,} entries.*");
    }
  }
}
