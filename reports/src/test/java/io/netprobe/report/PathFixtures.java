package io.netprobe.report;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.PathHop;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * A fixed run of the fault lab with path traces: from the LAN client cl (10.60.1.10) through the
 * firewall fw (10.60.1.1) and the router rt (10.60.3.2). One cell reached without a trace; one
 * DROPPED_ON_PATH whose third hop is silent (rt's blackhole route to lab2); one UNREACHABLE, as
 * expected, whose trace ends in rt's net unreachable; one LATE whose trace reaches the target. The
 * golden files under {@code golden/paths/} are rendered from it.
 */
final class PathFixtures {
  private PathFixtures() {}

  static RunResult faultRun() {
    return new RunResult(
        "Fault lab: paths through fw and rt",
        "matrices/labs/faults.yaml",
        Instant.parse("2026-12-01T09:30:00Z"),
        2_140,
        List.of(
            node("cl", "lan=10.60.1.10"),
            node("web", "dmz=10.60.2.10"),
            node("lab2", "lab=10.60.4.20"),
            node("ops", "ops=10.60.5.10"),
            new NodeReport("fw", "address", "", false, null, List.of(), List.of("lan=10.60.1.1")),
            new NodeReport("rt", "address", "", false, null, List.of(), List.of("app=10.60.3.2"))),
        List.of(reached(), blackholed(), unreachable(), late()),
        List.of());
  }

  private static CheckResult reached() {
    return check(
        "web",
        "10.60.2.10",
        0,
        "icmp",
        "The LAN reaches the DMZ",
        "pass",
        Outcome.OK,
        new Verdict(
            Disposition.REACHED,
            "echo reply from 10.60.2.10 in 1 ms",
            List.of(ev("cl", "probe", "echo reply from 10.60.2.10, ttl 63, 0.9 ms")),
            ""),
        List.of());
  }

  private static CheckResult blackholed() {
    return check(
        "lab2",
        "10.60.4.20",
        0,
        "icmp",
        "The LAN reaches the lab network",
        "pass",
        Outcome.UNEXPECTED,
        new Verdict(
            Disposition.DROPPED_ON_PATH,
            "no answer within 1000 ms; lab2 saw nothing arrive",
            List.of(
                ev("cl", "probe", "echo request to 10.60.4.20, no reply in 1000 ms"),
                ev("cl", "facts", "10.60.4.20 via 10.60.1.1 dev eth0"),
                ev("lab2", "capture eth0", "no packet from 10.60.1.10 in 1000 ms")),
            "rt forwards it no further: look at rt's route to 10.60.4.20"
                + " (ip -n np-f-rt route get 10.60.4.20)",
            List.of(
                hop(1, "10.60.1.1", "fw", "time-exceeded", "time exceeded", 0.4),
                hop(2, "10.60.3.2", "rt", "time-exceeded", "time exceeded", 0.6),
                hop(3, null, null, "none", "", null))),
        List.of("evidence/cl-lab2-icmp.cl.pcap", "evidence/cl-lab2-icmp.lab2.pcap"));
  }

  private static CheckResult unreachable() {
    return check(
        "ops",
        "10.60.5.10",
        0,
        "icmp",
        "The ops network is closed to the LAN",
        "fail",
        Outcome.OK,
        new Verdict(
            Disposition.UNREACHABLE,
            "network unreachable, sent at or in front of 10.60.3.2",
            List.of(
                ev("cl", "probe", "echo request to 10.60.5.10"),
                ev("cl", "probe", "ICMP net unreachable (type 3 code 0) from 10.60.3.2")),
            "this path is closed on purpose: rt has no route to the ops network",
            List.of(
                hop(1, "10.60.1.1", "fw", "time-exceeded", "time exceeded", 0.3),
                hop(2, "10.60.3.2", "rt", "unreachable", "net unreachable", 0.7))),
        List.of());
  }

  private static CheckResult late() {
    return check(
        "web",
        "10.60.2.10",
        5354,
        "udp:5354",
        "The DMZ's echo service answers in time",
        "pass",
        Outcome.UNEXPECTED,
        new Verdict(
            Disposition.LATE,
            "web answered in 1,523 ms, after the 1,000 ms timeout",
            List.of(
                ev("cl", "probe", "datagram to 10.60.2.10:5354, no answer in 1000 ms"),
                ev("cl", "capture eth0", "answer from 10.60.2.10:5354 after 1523 ms")),
            "the service answers too slowly: make it faster or give the check a longer timeout",
            List.of(
                hop(1, "10.60.1.1", "fw", "time-exceeded", "time exceeded", 0.4),
                hop(2, "10.60.2.10", "web", "reply", "udp answer", 1523.0))),
        List.of("evidence/cl-web-udp-5354.cl.pcap"));
  }

  private static CheckResult check(
      String to,
      String address,
      int port,
      String probe,
      String title,
      String expected,
      Outcome outcome,
      Verdict verdict,
      List<String> pcapFiles) {
    boolean answered = verdict.disposition() == Disposition.REACHED;
    return CheckResult.builder("cl->" + to + " " + probe, "cl", to, probe)
        .title(title)
        .target(to, address, port, "routed")
        .expected(expected)
        .outcome(outcome)
        .verdict(verdict)
        .attempts(1, false, answered ? 1 : 1000)
        .pcapFiles(pcapFiles)
        .build();
  }

  private static NodeReport node(String name, String address) {
    return new NodeReport(
        name,
        "netns",
        "ip netns exec np-f-" + name,
        true,
        null,
        List.of("icmp", "capture"),
        List.of(address));
  }

  static PathHop hop(int ttl, String address, String node, String kind, String detail, Double ms) {
    return new PathHop(ttl, address, node, kind, detail, ms);
  }

  private static Evidence ev(String node, String source, String text) {
    return new Evidence(node, source, text);
  }
}
