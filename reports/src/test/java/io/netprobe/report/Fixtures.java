package io.netprobe.report;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * A fixed, realistic run of the demo lab: nodes pc, vm-nat, vm-br, os-vm, calc, ct1 and the
 * internet; cells that reached, that failed as expected, that are UNEXPECTED and ERROR, two
 * findings and one flaky cell. The golden files are rendered from it.
 */
final class Fixtures {
  private Fixtures() {}

  static RunResult demoRun() {
    return new RunResult(
        "Demo lab: NAT, bridged, OpenStack, Docker",
        "matrices/labs/demo.yaml",
        Instant.parse("2026-11-22T03:00:00Z"),
        9_412,
        nodes(),
        checks(),
        List.of(
            new Finding(
                "ct1: the agent did not start, 2 cells could not be checked",
                "start dockerd and check that the image np-agent exists (./netprobe lab up)",
                List.of("ct1->internet icmp", "ct1->vm-br tcp:80")),
            new Finding(
                "vm-br: nothing listens on tcp/50000",
                "start the service on the bridged VM, bound to 0.0.0.0",
                List.of("pc->vm-br tcp:50000"))));
  }

  private static List<NodeReport> nodes() {
    return List.of(
        new NodeReport(
            "pc",
            "netns",
            "ip netns exec np-pc",
            true,
            null,
            List.of("icmp", "capture"),
            List.of("lan=10.1.5.90", "host-only=192.168.56.1")),
        new NodeReport(
            "vm-nat",
            "ssh",
            "ssh lab@10.1.5.90:1234",
            true,
            null,
            List.of("icmp", "capture"),
            List.of("nat=10.0.2.15", "forward=10.1.5.90:1234")),
        new NodeReport(
            "vm-br",
            "netns",
            "ip netns exec np-vm-br",
            true,
            null,
            List.of("icmp", "capture"),
            List.of("bridged=10.1.5.91")),
        new NodeReport(
            "os-vm",
            "ssh",
            "ssh lab@192.168.37.163:22",
            true,
            null,
            List.of("icmp", "no capture: not root and sudo -n refused"),
            List.of("floating=192.168.37.163", "fixed=10.0.0.109")),
        new NodeReport(
            "calc",
            "ssh",
            "ssh lab@192.168.37.96:22",
            true,
            null,
            List.of("icmp", "capture"),
            List.of("floating=192.168.37.96", "net1=192.168.1.10")),
        new NodeReport(
            "ct1",
            "docker",
            "sidecar in container np-ct1",
            false,
            "the sidecar agent did not start: image np-agent:0.1.0 not found",
            List.of(),
            List.of("docker0=172.17.0.2")),
        new NodeReport(
            "internet", "address", "", false, null, List.of(), List.of("public=203.0.113.10")));
  }

  /**
   * The demo run with two checks of configuration in front (a route that holds, a service that does
   * not listen) and the refused cell pointing at the second as its cause.
   */
  static RunResult factsRun() {
    var run = demoRun();
    var checks = new java.util.ArrayList<CheckResult>(facts());
    for (CheckResult c : run.checks()) {
      checks.add(c.id().equals("pc->vm-br tcp:50000") ? c.toBuilder().cause(LISTENS).build() : c);
    }
    return new RunResult(
        run.matrixName(),
        run.matrixFile(),
        run.startedAt(),
        run.elapsedMs(),
        run.nodes(),
        checks,
        run.findings());
  }

  private static final String LISTENS = "vm-br listening tcp/50000";

  private static List<CheckResult> facts() {
    return List.of(
        CheckResult.builder(
                "calc route 192.168.2.0/24 via 192.168.1.253",
                "calc",
                "192.168.2.0/24 via 192.168.1.253",
                "route")
            .title("The calculator routes Net2 via RT2")
            .layer(CheckResult.CONFIG)
            .outcome(Outcome.OK)
            .verdict(
                new Verdict(
                    Disposition.HOLDS,
                    "calc's route to 192.168.2.0/24 is 192.168.2.0/24 via 192.168.1.253 dev eth0",
                    List.of(ev("calc", "facts", "route 192.168.2.0/24 via 192.168.1.253 dev eth0")),
                    ""))
            .attempts(1, false, 0)
            .build(),
        CheckResult.builder(LISTENS, "vm-br", "tcp/50000", "listening")
            .title("The bridged VM's service listens")
            .layer(CheckResult.CONFIG)
            .outcome(Outcome.UNEXPECTED)
            .verdict(
                new Verdict(
                    Disposition.DIFFERS,
                    "nothing listens on tcp/50000 on vm-br (it listens on tcp 22)",
                    List.of(ev("vm-br", "facts", "listening: tcp 0.0.0.0:22")),
                    "start the service on tcp/50000"))
            .attempts(1, false, 0)
            .build());
  }

  private static List<CheckResult> checks() {
    return List.of(
        ok(
            "pc",
            "vm-nat.forward",
            "vm-nat",
            "10.1.5.90",
            1234,
            "ssh",
            "port-forward",
            "SSH to the NAT VM through the port forward",
            2,
            Disposition.REACHED,
            "SSH login as lab through 10.1.5.90:1234 (forwarded to 10.0.2.15:22)",
            List.of(
                ev("pc", "probe", "SSH-2.0-OpenSSH_9.2p1 banner in 4 ms, host key known"),
                ev("vm-nat", "capture eth0", "SYN from 10.0.2.2:40112 (NAT engine) to :22"))),
        ok(
            "pc",
            "vm-nat.nat",
            "vm-nat",
            "10.0.2.15",
            0,
            "icmp",
            "nat",
            "NAT hides the VM",
            1,
            Disposition.DROPPED_ON_PATH,
            "10.0.2.15 is the VM's NAT-private address; no echo reply and nothing arrived",
            List.of(
                ev("pc", "probe", "3 echo requests to 10.0.2.15, no reply in 1000 ms"),
                ev("vm-nat", "capture eth0", "no packet from 10.1.5.90 in 1000 ms"))),
        ok(
            "vm-nat",
            "internet",
            "internet",
            "203.0.113.10",
            0,
            "icmp",
            "routed",
            "The NAT VM reaches the internet",
            1,
            Disposition.REACHED,
            "echo reply from 203.0.113.10 in 2 ms",
            List.of(ev("vm-nat", "probe", "echo reply from 203.0.113.10, ttl 61, 2 ms"))),
        ok(
            "pc",
            "vm-br",
            "vm-br",
            "10.1.5.91",
            0,
            "icmp",
            "bridged",
            "The bridged VM answers on the campus LAN",
            1,
            Disposition.REACHED,
            "echo reply from 10.1.5.91 in 1 ms",
            List.of(ev("pc", "probe", "echo reply from 10.1.5.91, ttl 64, 1 ms"))),
        CheckResult.builder("pc->vm-br tcp:50000", "pc", "vm-br", "tcp:50000")
            .title("The service on the bridged VM")
            .target("vm-br", "10.1.5.91", 50000, "bridged")
            .outcome(Outcome.UNEXPECTED)
            .verdict(
                new Verdict(
                    Disposition.REFUSED,
                    "RST from 10.1.5.91: nothing listens on tcp/50000",
                    List.of(
                        ev("pc", "probe", "SYN sent from 10.1.5.90:40201 to 10.1.5.91:50000"),
                        ev("pc", "probe", "RST+ACK from 10.1.5.91:50000 after 0.3 ms"),
                        ev("vm-br", "facts", "listening TCP: 22 on 0.0.0.0; nothing on 50000")),
                    "start the service and bind it to 0.0.0.0 (not 127.0.0.1)"))
            .attempts(1, false, 1)
            .pcapFiles(
                List.of(
                    "evidence/pc-vm-br-tcp-50000.pc.pcap",
                    "evidence/pc-vm-br-tcp-50000.vm-br.pcap"))
            .build(),
        ok(
            "pc",
            "os-vm.floating",
            "os-vm",
            "192.168.37.163",
            22,
            "ssh",
            "floating-ip",
            "SSH to the OpenStack VM on its floating IP",
            2,
            Disposition.REACHED,
            "SSH login as lab through 192.168.37.163:22",
            List.of(ev("pc", "probe", "SSH-2.0-OpenSSH_9.2p1, login as lab, `true` exited 0"))),
        ok(
            "pc",
            "os-vm.floating",
            "os-vm",
            "192.168.37.163",
            50000,
            "tcp:50000",
            "floating-ip",
            "The security group blocks tcp/50000",
            1,
            Disposition.DROPPED_ON_PATH,
            "no SYN-ACK, and the VM's capture saw no SYN: dropped at or in front of the router",
            List.of(
                ev("pc", "probe", "SYN to 192.168.37.163:50000, no answer in 1000 ms"),
                ev("os-vm", "facts", "listening TCP: 22, 50000 on 0.0.0.0"))),
        CheckResult.builder("os-vm->internet icmp", "os-vm", "internet", "icmp")
            .title("The OpenStack VM reaches the internet")
            .target("internet", "203.0.113.10", 0, "routed")
            .outcome(Outcome.UNEXPECTED)
            .verdict(
                new Verdict(
                    Disposition.UNREACHABLE,
                    "ICMP net unreachable from 10.0.0.254, at or in front of the OpenStack router",
                    List.of(
                        ev("os-vm", "probe", "echo request to 203.0.113.10"),
                        ev(
                            "os-vm",
                            "probe",
                            "ICMP net unreachable (type 3 code 0) from 10.0.0.254"),
                        ev("os-vm", "facts", "default via 10.0.0.254 dev eth0")),
                    "give the router an external gateway (openstack router set --external-gateway)"))
            .attempts(1, false, 3)
            .pcapFiles(List.of("evidence/os-vm-internet-icmp.os-vm.pcap"))
            .build(),
        CheckResult.builder("pc->calc.floating icmp", "pc", "calc.floating", "icmp")
            .title("The calculator VM answers on its floating IP")
            .target("calc", "192.168.37.96", 0, "floating-ip")
            .outcome(Outcome.OK)
            .verdict(
                new Verdict(
                    Disposition.REACHED,
                    "echo reply from 192.168.37.96 on the second try",
                    List.of(
                        ev("pc", "probe", "attempt 1: no reply in 1000 ms"),
                        ev("pc", "probe", "attempt 2: echo reply from 192.168.37.96, 1 ms")),
                    ""))
            .attempts(2, true, 1)
            .build(),
        ok(
            "calc",
            "vm-br",
            "vm-br",
            "10.1.5.91",
            0,
            "icmp",
            "bridged",
            "Net1 reaches the campus LAN",
            1,
            Disposition.REACHED,
            "echo reply from 10.1.5.91 in 2 ms",
            List.of(ev("calc", "probe", "echo reply from 10.1.5.91, ttl 62, 2 ms"))),
        error(
            "ct1->internet icmp",
            "The container reaches the internet",
            "internet",
            "internet",
            "203.0.113.10",
            0,
            "icmp"),
        error(
            "ct1->vm-br tcp:80",
            "The container reaches the bridged VM",
            "vm-br",
            "vm-br",
            "10.1.5.91",
            80,
            "tcp:80"));
  }

  private static CheckResult ok(
      String from,
      String to,
      String toNode,
      String address,
      int port,
      String probe,
      String pathKind,
      String title,
      int points,
      Disposition disposition,
      String reason,
      List<Evidence> evidence) {
    boolean pass = disposition.isReachable();
    var hint = pass ? "" : "this path is closed on purpose: " + pathHint(pathKind);
    return CheckResult.builder(from + "->" + to + " " + probe, from, to, probe)
        .title(title)
        .target(toNode, address, port, pathKind)
        .expected(pass ? "pass" : "fail")
        .outcome(Outcome.OK)
        .verdict(new Verdict(disposition, reason, evidence, hint))
        .points(points)
        .attempts(1, false, pass ? 3 : 1000)
        .build();
  }

  private static String pathHint(String pathKind) {
    return pathKind.equals("nat")
        ? "from the host use the port forward or a bridged adapter"
        : "the security group admits icmp and tcp/22 only";
  }

  private static CheckResult error(
      String id, String title, String to, String toNode, String address, int port, String probe) {
    return CheckResult.builder(id, "ct1", to, probe)
        .title(title)
        .target(toNode, address, port, "docker0")
        .outcome(Outcome.ERROR)
        .verdict(
            Verdict.notChecked(
                "no agent on ct1: the sidecar agent did not start",
                List.of(
                    ev("ct1", "connector", "image np-agent:0.1.0 not found in the Docker engine")),
                "run ./netprobe lab up (it builds the agent image), then run the check again"))
        .attempts(0, false, 0)
        .build();
  }

  private static Evidence ev(String node, String source, String text) {
    return new Evidence(node, source, text);
  }
}
