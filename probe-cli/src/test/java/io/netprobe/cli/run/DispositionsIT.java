package io.netprobe.cli.run;

import static io.netprobe.cli.lab.LabFixture.sh;
import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.DockerLab;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.Reports;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each disposition from a lab broken that way: a rule dropped or rejecting, sshd stopped, a service
 * bound to 127.0.0.1, a route removed there or back, a wrong password, a changed host key, a
 * container's firewall, DNS queries dropped; then the lab restored and every cell REACHED. Path
 * kinds: NAT, bridged, port-forward, docker0, floating-IP.
 */
class DispositionsIT {
  private static final String CANARY = "canary-Wr0ng-pa55word";
  private static final DemoLab LAB = new DemoLab(new PrintWriter(System.err, true));
  private static long ct2;

  @TempDir static Path dir;

  @BeforeAll
  static void labUp() throws Exception {
    LAB.up();
    try (var docker = DockerClients.connect()) {
      ct2 = new DockerLab(docker, new PrintWriter(System.err, true)).pid("np-ct2");
    }
  }

  private static String matrix(String... expectations) throws IOException {
    Path wrongPassword = dir.resolve("wrong-password");
    Files.writeString(wrongPassword, CANARY + "\n");
    Path wrongKnownHosts = dir.resolve("wrong-known-hosts");
    String brKey =
        Files.readAllLines(DemoLab.STATE.resolve("known_hosts")).stream()
            .filter(l -> l.startsWith("10.1.5.91 "))
            .findFirst()
            .orElseThrow()
            .substring("10.1.5.91 ".length());
    Files.writeString(wrongKnownHosts, "[127.0.0.1]:1234 " + brKey + "\n");
    boolean broken = expectations[0].equals("broken");
    String password = broken ? wrongPassword.toString() : "/run/np-lab/password";
    String known = broken ? wrongKnownHosts.toString() : "/run/np-lab/known_hosts";
    return """
        name: dispositions
        defaults: { timeout: 1s, retries: 0 }
        nodes:
          pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, path: direct } } }
          pc2: { kind: netns, netns: np-pc2 }
          sub: { kind: netns, netns: np-sub }
          vm-br: { kind: netns, netns: np-vm-br, addresses: { lan: { ip: 10.1.5.91, path: bridged } } }
          vm-ho:
            kind: netns
            netns: np-vm-ho
            addresses: { ho: { ip: 192.168.56.101, path: host-only } }
            login: { user: lab, identity: /run/np-lab/id_ed25519, known-hosts: /run/np-lab/known_hosts }
          sum: { kind: netns, netns: np-sum, addresses: { net2: { ip: 192.168.2.1, path: direct } } }
          mul: { kind: netns, netns: np-mul, addresses: { net2: { ip: 192.168.2.3, path: direct } } }
          os-vm:
            kind: netns
            netns: np-os-vm
            addresses: { floating: { ip: 192.168.37.163, path: floating-ip } }
          calc:
            kind: netns
            netns: np-calc
            addresses: { floating: { ip: 192.168.37.96, path: floating-ip } }
            login: { user: lab, password-file: %s }
          vm-nat:
            kind: netns
            netns: np-vm-nat
            login: { user: lab, identity: /run/np-lab/id_ed25519, known-hosts: %s }
            addresses:
              nat: { ip: 10.0.2.15, path: nat }
              forward: { ip: 127.0.0.1, port-map: { 22: 1234 }, path: port-forward, from: [pc] }
          ct1: { kind: docker, container: np-ct1 }
          ct2: { kind: docker, container: np-ct2, addresses: { d0: { ip: "%s", path: docker0 } } }
          web: { kind: address, addresses: { www: { host: www.example.net, path: routed } } }
        checks:
          - { from: pc2, to: vm-br, probe: "tcp:22", expect: %s }
          - { from: sub, to: sum, probe: "tcp:50000", expect: %s }
          - { from: pc, to: vm-ho, probe: ssh, expect: %s }
          - { from: sub, to: mul, probe: "tcp:50000", expect: %s }
          - { from: pc2, to: os-vm.floating, probe: icmp, expect: %s }
          - { from: pc, to: os-vm.floating, probe: icmp, expect: %s }
          - { from: pc, to: os-vm.floating, probe: "tcp:50000", expect: %s }
          - { from: pc, to: calc.floating, probe: ssh, expect: %s }
          - { from: pc, to: vm-nat.forward, probe: ssh, expect: %s }
          - { from: ct1, to: ct2, probe: "tcp:80", expect: %s }
          - { from: pc, to: vm-nat.nat, probe: icmp, expect: fail }
          - { from: vm-nat, to: web, probe: "tcp:80", expect: %s }
        """
        .formatted(
            password,
            known,
            ct2Address(),
            expectations[1],
            expectations[2],
            expectations[3],
            expectations[4],
            expectations[5],
            expectations[6],
            expectations[7],
            expectations[8],
            expectations[9],
            expectations[10],
            expectations[11]);
  }

  private static String ct2Address() {
    try (var docker = DockerClients.connect()) {
      return new DockerLab(docker, new PrintWriter(System.err, true)).address("np-ct2");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void eachBreakGivesItsDispositionWithItsEvidenceAndHint() throws Exception {
    List<String[]> undo = new ArrayList<>();
    try {
      breakLab(undo);
      RunResult run =
          LabRun.run(
              matrix(
                  "broken",
                  "dropped-at-target",
                  "unreachable",
                  "refused",
                  "refused",
                  "no-route",
                  "no-return-route",
                  "dropped-on-path",
                  "auth-failed",
                  "hostkey-mismatch",
                  "dropped-at-target",
                  "name-unresolved"));

      CheckResult dropped = cell(run, "pc2->vm-br tcp:22");
      assertThat(dropped.verdict().disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
      assertThat(said(dropped))
          .contains(
              "arrived at vm-br from 10.1.7.33",
              "[S]",
              "dropped by vm-br: INPUT rule 1 `-p tcp --dport 22 -j DROP`");

      CheckResult rejected = cell(run, "sub->sum tcp:50000");
      assertThat(rejected.verdict().disposition()).isEqualTo(Disposition.UNREACHABLE);
      assertThat(rejected.verdict().reason())
          .contains("administratively prohibited", "192.168.2.1");

      CheckResult noSshd = cell(run, "pc->vm-ho ssh");
      assertThat(noSshd.verdict().disposition()).isEqualTo(Disposition.REFUSED);
      assertThat(noSshd.verdict().reason()).contains("nothing listens on port 22 at vm-ho");

      CheckResult loopback = cell(run, "sub->mul tcp:50000");
      assertThat(loopback.verdict().disposition()).isEqualTo(Disposition.REFUSED);
      assertThat(said(loopback)).contains("127.0.0.1:50000 only", "0.0.0.0");

      CheckResult noRoute = cell(run, "pc2->os-vm.floating icmp");
      assertThat(noRoute.verdict().disposition()).isEqualTo(Disposition.NO_ROUTE);
      assertThat(noRoute.verdict().reason()).contains("pc2 has no route to 192.168.37.163");

      CheckResult noWayBack = cell(run, "pc->os-vm.floating icmp");
      assertThat(noWayBack.verdict().disposition()).isEqualTo(Disposition.NO_RETURN_ROUTE);
      assertThat(said(noWayBack)).contains("arrived at os-vm from 10.1.5.90", "route back");

      CheckResult securityGroup = cell(run, "pc->os-vm.floating tcp:50000");
      assertThat(securityGroup.verdict().disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
      assertThat(said(securityGroup)).contains("os-vm saw nothing arrive", "security group");

      CheckResult auth = cell(run, "pc->calc.floating ssh");
      assertThat(auth.verdict().disposition()).isEqualTo(Disposition.AUTH_FAILED);

      CheckResult hostKey = cell(run, "pc->vm-nat.forward ssh");
      assertThat(hostKey.verdict().disposition()).isEqualTo(Disposition.HOSTKEY_MISMATCH);
      assertThat(hostKey.verdict().hint()).contains("known_hosts");

      CheckResult container = cell(run, "ct1->ct2 tcp:80");
      assertThat(container.verdict().disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
      assertThat(said(container)).contains("arrived at ct2");

      CheckResult nat = cell(run, "pc->vm-nat.nat icmp");
      assertThat(nat.verdict().disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
      assertThat(nat.verdict().reason()).contains("NAT-private");

      CheckResult dns = cell(run, "vm-nat->web tcp:80");
      assertThat(dns.verdict().disposition()).isEqualTo(Disposition.NAME_UNRESOLVED);
      assertThat(dns.verdict().reason())
          .contains("www.example.net did not resolve on vm-nat", "10.0.2.3:53");
      assertThat(dns.verdict().hint()).contains("resolv.conf");

      assertThat(run.checks()).allMatch(c -> c.outcome() == Outcome.OK);
      for (ReportFormat format : ReportFormat.values()) {
        assertThat(Reports.render(run, format, Options.INSTRUCTOR))
            .as("the wrong password never shows in " + format)
            .doesNotContain(CANARY);
      }
    } finally {
      restore(undo);
    }
  }

  @Test
  void restoredLabIsReachedEverywhere() throws Exception {
    sh(
        "ip",
        "netns",
        "exec",
        "np-os-rt",
        "iptables",
        "-I",
        "np-sg",
        "1",
        "-p",
        "tcp",
        "--dport",
        "50000",
        "-j",
        "ACCEPT");
    try {
      RunResult run =
          LabRun.run(
              matrix(
                  "fixed", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass", "pass",
                  "pass", "pass"));
      assertThat(run.checks())
          .filteredOn(c -> !c.id().equals("pc->vm-nat.nat icmp"))
          .allSatisfy(
              c -> assertThat(c.verdict().disposition()).as(c.id()).isEqualTo(Disposition.REACHED));
    } finally {
      sh(
          "ip",
          "netns",
          "exec",
          "np-os-rt",
          "iptables",
          "-D",
          "np-sg",
          "-p",
          "tcp",
          "--dport",
          "50000",
          "-j",
          "ACCEPT");
    }
  }

  private static void breakLab(List<String[]> undo) throws Exception {
    change(
        undo,
        new String[] {
          "ip",
          "netns",
          "exec",
          "np-vm-br",
          "iptables",
          "-I",
          "INPUT",
          "-p",
          "tcp",
          "--dport",
          "22",
          "-j",
          "DROP"
        },
        5,
        "-D");
    change(
        undo,
        new String[] {
          "ip",
          "netns",
          "exec",
          "np-sum",
          "iptables",
          "-I",
          "INPUT",
          "-p",
          "tcp",
          "--dport",
          "50000",
          "-j",
          "REJECT",
          "--reject-with",
          "icmp-admin-prohibited"
        },
        5,
        "-D");
    change(
        undo,
        new String[] {"ip", "-n", "np-pc2", "route", "del", "default", "via", "10.1.0.254"},
        4,
        "add");
    // The NAT VM's own firewall drops its DNS queries: the name cannot resolve.
    change(
        undo,
        new String[] {
          "ip",
          "netns",
          "exec",
          "np-vm-nat",
          "iptables",
          "-I",
          "OUTPUT",
          "-p",
          "udp",
          "--dport",
          "53",
          "-j",
          "DROP"
        },
        5,
        "-D");
    change(
        undo,
        new String[] {"ip", "-n", "np-os-vm", "route", "del", "default", "via", "10.0.0.254"},
        4,
        "add");
    change(
        undo,
        new String[] {
          "nsenter",
          "-t",
          Long.toString(ct2),
          "-n",
          "iptables",
          "-I",
          "INPUT",
          "-p",
          "tcp",
          "--dport",
          "80",
          "-j",
          "DROP"
        },
        5,
        "-D");
    String sshd = Files.readString(DemoLab.STATE.resolve("np-vm-ho/sshd.pid")).strip();
    sh("kill", sshd);
    undo.add(new String[] {"start-sshd", "np-vm-ho"});
    waitGone(sshd);
    sh(
        "sh",
        "-c",
        "for p in $(ip netns pids np-mul); do grep -q httpd /proc/$p/cmdline"
            + " && kill $p; done; true");
    sh(
        "sh",
        "-c",
        "ip netns exec np-mul setsid busybox httpd -f -p 127.0.0.1:50000"
            + " </dev/null >/dev/null 2>&1 &");
    undo.add(
        new String[] {
          "sh",
          "-c",
          "for p in $(ip netns pids np-mul); do grep -q httpd"
              + " /proc/$p/cmdline && kill $p; done; sleep 0.2; ip netns exec np-mul setsid busybox"
              + " httpd -f -p 50000 -h /run/np-lab/www </dev/null >/dev/null 2>&1 &"
        });
    Thread.sleep(300);
  }

  /** Runs {@code cmd} and records its undo: the same with {@code cmd[at]} replaced. */
  private static void change(List<String[]> undo, String[] cmd, int at, String inverse)
      throws Exception {
    sh(cmd);
    String[] back = cmd.clone();
    back[at] = inverse;
    undo.add(back);
  }

  /** Undoes every change, last first; one undo failing does not stop the others. */
  private static void restore(List<String[]> undo) throws Exception {
    Exception failed = null;
    for (int i = undo.size() - 1; i >= 0; i--) {
      String[] cmd = undo.get(i);
      try {
        if (cmd[0].equals("start-sshd")) {
          LAB.startSshd(cmd[1]);
        } else {
          sh(cmd);
        }
      } catch (Exception e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static void waitGone(String pid) throws InterruptedException {
    for (int i = 0; i < 50 && Files.exists(Path.of("/proc", pid)); i++) {
      Thread.sleep(20);
    }
  }
}
