package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo lab's VLANs (LABS.md 6) on its Open vSwitch: each test moves a port of the real switch
 * into another VLAN ({@code ovs-vsctl set port}), sees the check go from reached to unreachable
 * with the switch's VLAN table as the reason, and puts the port back (even when it fails).
 */
class VlanIT {
  private static final DemoLab LAB = new DemoLab(new PrintWriter(System.err, true));
  private static final String MATRIX =
      """
      name: vlans
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        vsw: { kind: netns, netns: np-vsw }
        vmon: { kind: netns, netns: np-vmon }
        vrt:
          kind: netns
          netns: np-vrt
          addresses:
            vlan7: { ip: 10.7.0.254, path: vlan }
            vlan8: { ip: 10.8.0.254, path: vlan }
        v7a: { kind: netns, netns: np-v7a, addresses: { vlan7: { ip: 10.7.0.1, path: vlan } } }
        v7b: { kind: netns, netns: np-v7b, addresses: { vlan7: { ip: 10.7.0.2, path: vlan } } }
        v7c: { kind: netns, netns: np-v7c, addresses: { vlan7: { ip: 10.7.0.3, path: vlan } } }
        v8a: { kind: netns, netns: np-v8a, addresses: { vlan8: { ip: 10.8.0.1, path: vlan } } }
      watch: [vsw, vmon]
      checks:
      """;

  @BeforeAll
  static void labUp() {
    LAB.up();
  }

  private static RunResult run(String... checks) throws Exception {
    return LabRun.run(MATRIX, checks);
  }

  private static void tag(String port, int vlan) throws Exception {
    LabFixture.sh(
        "ovs-vsctl",
        "--db=unix:/run/np-lab/ovs/db.sock",
        "--timeout=10",
        "set",
        "port",
        port,
        "tag=" + vlan);
  }

  @Test
  void aHostMovedIntoAnotherVlanIsCutOffAndTheSwitchSaysWhy() throws Exception {
    String check = "{ from: v7a, to: v7b, probe: icmp, expect: pass }";
    CheckResult before = cell(run(check), "v7a->v7b icmp");
    assertThat(before.verdict().disposition()).as(said(before)).isEqualTo(Disposition.REACHED);
    tag("v7b", 8);
    try {
      // v7a still knows v7b's MAC address: the request leaves, the switch keeps it in VLAN 7
      CheckResult cached = cell(run(check), "v7a->v7b icmp");
      assertThat(cached.verdict().disposition())
          .as(said(cached))
          .isEqualTo(Disposition.DROPPED_ON_PATH);
      assertThat(cached.verdict().reason())
          .contains(
              "v7a's request left for the MAC address of 10.7.0.2 (from its neighbour table)",
              "switch vsw has v7a on port v7a (access port of VLAN 7)",
              "on port v7b (access port of VLAN 8)",
              "never forwards a frame from one VLAN into another");
      assertThat(cached.verdict().hint()).contains("ovs-vsctl set port v7b tag=7");
      assertThat(said(cached))
          .contains("vsw switch: port np-vlans/v7a (access port of VLAN 7)")
          // the switch's mirror port: the echo entered the switch tagged with v7a's VLAN
          .contains("vmon capture: ", "vlan 7 10.7.0.1 > 10.7.0.2 ICMP type 8");
      // forgotten, the address is asked for again: nobody in VLAN 7 answers
      LabFixture.sh("ip", "-n", "np-v7a", "neigh", "flush", "all");
      CheckResult asked = cell(run(check), "v7a->v7b icmp");
      assertThat(asked.verdict().disposition()).as(said(asked)).isEqualTo(Disposition.UNREACHABLE);
      assertThat(asked.verdict().reason())
          .contains("v7a's ARP request for 10.7.0.2 went unanswered", "(access port of VLAN 8)");
    } finally {
      tag("v7b", 7);
    }
  }

  @Test
  void theLabsMisplacedPortIsExplainedFromTheSwitchNotAsADownHost() throws Exception {
    CheckResult c =
        cell(run("{ from: v7a, to: v7c, probe: icmp, expect: unreachable }"), "v7a->v7c icmp");
    assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(Disposition.UNREACHABLE);
    assertThat(c.verdict().reason())
        .contains("on port v7c (access port of VLAN 8)")
        .doesNotContain("it is down or the address is unused");
  }

  @Test
  void aRouterPortInTheWrongVlanCutsItsVlanOffItsGateway() throws Exception {
    String[] checks = {
      "{ from: v8a, to: vrt.vlan8, probe: icmp, expect: pass }",
      "{ from: v8a, to: v7a, probe: icmp, expect: pass }"
    };
    RunResult before = run(checks);
    assertThat(cell(before, "v8a->vrt.vlan8 icmp").verdict().disposition())
        .isEqualTo(Disposition.REACHED);
    assertThat(cell(before, "v8a->v7a icmp").verdict().disposition())
        .isEqualTo(Disposition.REACHED);
    tag("vrt8", 7);
    try {
      RunResult after = run(checks);
      CheckResult router = cell(after, "v8a->vrt.vlan8 icmp");
      assertThat(router.verdict().disposition())
          .as(said(router))
          .isEqualTo(Disposition.DROPPED_ON_PATH);
      assertThat(router.verdict().reason()).contains("on port vrt8 (access port of VLAN 7)");
      CheckResult routed = cell(after, "v8a->v7a icmp");
      assertThat(routed.verdict().disposition())
          .as(said(routed))
          .isEqualTo(Disposition.DROPPED_ON_PATH);
      assertThat(routed.verdict().reason())
          .contains("its gateway 10.8.0.254 on port vrt8 (access port of VLAN 7)");
    } finally {
      tag("vrt8", 8);
    }
  }
}
