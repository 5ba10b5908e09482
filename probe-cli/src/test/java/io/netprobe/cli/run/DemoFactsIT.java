package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's checks of configuration that need more than /proc: the port forward, read from the NAT
 * engine's nat table, and a name resolved by the NAT VM's own resolver. Each is broken the way a
 * student breaks it (the forward deleted, the resolver pointed at nothing) and the fact, and the
 * cell that needs it, change.
 */
class DemoFactsIT {
  private static final String MATRIX =
      """
      name: demo facts
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        pc: { kind: netns, netns: np-pc, addresses: { lan: 10.1.5.90 } }
        vbox: { kind: netns, netns: np-vbox }
        vm-nat:
          kind: netns
          netns: np-vm-nat
          addresses:
            nat: { ip: 10.0.2.15, path: nat }
            forward: { ip: 127.0.0.1, port-map: { 22: 1234 }, path: port-forward, from: [pc] }
        web: { kind: address, addresses: { name: { host: www.example.net } } }
      checks:
        - { from: pc, to: vm-nat.forward, probe: "tcp:22", expect: pass }
        - { from: vm-nat, to: web, probe: icmp, expect: pass }
      facts:
        - { node: vbox, nat: tcp/1234 -> 10.0.2.15:22, title: the port forward }
        - { node: vm-nat, dns: www.example.net -> 203.0.113.10, title: the public name }
      """;
  private static final String FORWARD =
      "-i eth0 -p tcp --dport 1234 -j DNAT --to-destination 10.0.2.15:22";
  private static final Path RESOLV = Path.of("/etc/netns/np-vm-nat/resolv.conf");

  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  @Test
  void asBuiltBothHold() throws Exception {
    RunResult run = LabRun.run(MATRIX);
    assertThat(run.checks()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.OK));
    assertThat(cell(run, "vbox nat tcp/1234 -> 10.0.2.15:22").verdict().reason())
        .isEqualTo(
            "vbox has nat tcp/1234 -> 10.0.2.15:22: PREROUTING `-i eth0 -p tcp -m tcp --dport 1234"
                + " -j DNAT --to-destination 10.0.2.15:22`");
    assertThat(cell(run, "vm-nat dns www.example.net -> 203.0.113.10").verdict().reason())
        .isEqualTo("www.example.net resolves to 203.0.113.10 on vm-nat");
  }

  @Test
  void thePortForwardDeletedFailsTheNatFactAndTheForwardedCellPointsAtIt() throws Exception {
    try {
      LabFixture.sh("bash", "-c", "ip netns exec np-vbox iptables -t nat -D PREROUTING " + FORWARD);
      RunResult run = LabRun.run(MATRIX);
      CheckResult nat = cell(run, "vbox nat tcp/1234 -> 10.0.2.15:22");
      assertThat(nat.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
      assertThat(nat.verdict().reason())
          .isEqualTo("vbox's nat table has no DNAT tcp/1234 -> 10.0.2.15:22");
      assertThat(nat.verdict().hint())
          .contains("iptables -t nat -A PREROUTING -p tcp --dport 1234 -j DNAT");
      assertThat(said(nat)).contains("MASQUERADE");
      CheckResult forwarded = cell(run, "pc->vm-nat.forward tcp:22");
      assertThat(forwarded.outcome()).isEqualTo(Outcome.UNEXPECTED);
      assertThat(forwarded.cause()).isEqualTo(nat.id());
      assertThat(forwarded.verdict().reason())
          .startsWith("vbox lacks nat tcp/1234 -> 10.0.2.15:22 (check 'the port forward'); ");
      assertThat(cell(run, "vm-nat->web icmp").cause()).isNull();
    } finally {
      LabFixture.sh(
          "bash",
          "-c",
          "ip netns exec np-vbox iptables -t nat -C PREROUTING "
              + FORWARD
              + " 2>/dev/null || ip netns exec np-vbox iptables -t nat -A PREROUTING "
              + FORWARD);
    }
  }

  @Test
  void aResolverPointedAtNothingFailsTheDnsFactAndTheNamedCellPointsAtIt() throws Exception {
    String was = Files.readString(RESOLV);
    try {
      Files.writeString(RESOLV, "nameserver 10.0.2.99\n");
      RunResult run = LabRun.run(MATRIX);
      CheckResult dns = cell(run, "vm-nat dns www.example.net -> 203.0.113.10");
      assertThat(dns.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
      assertThat(dns.verdict().reason()).startsWith("www.example.net does not resolve on vm-nat");
      CheckResult named = cell(run, "vm-nat->web icmp");
      assertThat(named.verdict().disposition()).isEqualTo(Disposition.NAME_UNRESOLVED);
      assertThat(named.cause()).isEqualTo(dns.id());
      assertThat(cell(run, "pc->vm-nat.forward tcp:22").outcome()).isEqualTo(Outcome.OK);
    } finally {
      Files.writeString(RESOLV, was);
    }
  }
}
