package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node that cannot be reached turns its cells ERROR; the rest of the run goes on. */
class UnreachableNodeIT {
  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  @Test
  void missingContainerMakesItsCellsErrorAndTheOthersAreChecked() throws Exception {
    RunResult run =
        LabRun.run(
            """
            name: one node gone
            defaults: { timeout: 1s }
            nodes:
              pc: { kind: netns, netns: np-pc }
              gone: { kind: docker, container: np-no-such-container }
              internet: { kind: address, addresses: { server: { ip: 203.0.113.10, path: routed } } }
            checks:
              - { from: pc, to: internet, probe: "tcp:80", expect: pass }
              - { from: gone, to: internet, probe: "tcp:80", expect: pass }
              - { from: gone, to: internet, probe: icmp, expect: pass }
            """);
    assertThat(cell(run, "pc->internet tcp:80").outcome()).isEqualTo(Outcome.OK);
    assertThat(cell(run, "gone->internet tcp:80").outcome()).isEqualTo(Outcome.ERROR);
    assertThat(cell(run, "gone->internet tcp:80").verdict().reason())
        .contains("gone could not be reached", "np-no-such-container");
    assertThat(run.exitCode()).as("errors, nothing unexpected").isEqualTo(3);
    assertThat(run.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.summary()).startsWith("gone unreachable").contains("2 cells");
              assertThat(f.checkIds()).hasSize(2);
            });
    assertThat(run.nodes())
        .filteredOn(n -> n.name().equals("gone"))
        .singleElement()
        .satisfies(n -> assertThat(n.error()).contains("np-no-such-container"));
  }
}
