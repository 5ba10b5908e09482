package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A failing fact explains a cell only where the cell needs it and its packets did what the fact
 * would make them do: a missing route loses them on the way, it does not get them refused.
 */
class CausesTest {
  private static final String YAML =
      """
      name: causes
      nodes:
        calc: { kind: netns, netns: np-calc, addresses: { lan: 192.168.1.10 } }
        sum: { kind: netns, netns: np-sum, addresses: { net2: 192.168.2.1 } }
        pc: { kind: netns, netns: np-pc, addresses: { lan: 10.1.5.90 } }
        vm: { kind: netns, netns: np-vm, addresses: { nat: 10.0.2.15 } }
        vbox: { kind: netns, netns: np-vbox }
      checks:
        - { from: calc, to: sum, probe: icmp, expect: pass }
        - { from: calc, to: sum, probe: "tcp:50000", expect: pass }
        - { from: pc, to: "127.0.0.1:1234", probe: "tcp:1234", expect: pass }
      facts:
        - { node: calc, route: 192.168.2.0/24 via 192.168.1.253, title: calc route to Net2 }
        - { node: vbox, nat: tcp/1234 -> 10.0.2.15:22 }
      """;

  private static CheckResult result(Check c, Disposition d) {
    return CheckResult.builder(c.id(), c.from(), c.to().ref(), c.probeLabel())
        .outcome(Outcome.UNEXPECTED)
        .verdict(new Verdict(d, "what the packets did", List.of(), ""))
        .build();
  }

  @Test
  void aMissingRouteExplainsALostCellNotARefusedOne() throws Exception {
    Matrix m = MatrixLoader.load(YAML, "causes.yaml");
    Causes causes =
        new Causes(m, m.facts(), node -> Set.of("127.0.0.1"), (from, ip) -> Optional.empty());
    CheckResult lost =
        causes.explain(m.checks().get(0), result(m.checks().get(0), Disposition.DROPPED_ON_PATH));
    assertThat(lost.cause()).isEqualTo("calc route 192.168.2.0/24 via 192.168.1.253");
    assertThat(lost.verdict().reason())
        .startsWith(
            "calc lacks route 192.168.2.0/24 via 192.168.1.253 (check 'calc route to Net2'); ");
    // a refusal came from sum itself: the route got the SYN there
    CheckResult refused =
        causes.explain(m.checks().get(1), result(m.checks().get(1), Disposition.REFUSED));
    assertThat(refused.cause()).isNull();
    assertThat(refused.verdict().reason()).isEqualTo("what the packets did");
    // a probe of the PC's own loopback is not the NAT engine's, though every node has 127.0.0.1
    CheckResult loopback =
        causes.explain(m.checks().get(2), result(m.checks().get(2), Disposition.REFUSED));
    assertThat(loopback.cause()).isNull();
  }
}
