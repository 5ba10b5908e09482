package io.netprobe.report;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Measure;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * A fixed run that measured its paths, with figures of the kind RrIT measures between two
 * namespaces: rr over TCP and UDP on a veth, rr over TCP on a veth slowed by a token bucket that
 * missed its threshold, an icmp cell's echoes, and bulk (throughput) on both paths, the slowed one
 * missing its threshold. The golden files under {@code golden/measures/} are rendered from it.
 */
final class MeasureFixtures {
  private MeasureFixtures() {}

  static RunResult measuredRun() {
    return new RunResult(
        "Paths measured",
        "rr.yaml",
        Instant.parse("2026-12-03T20:00:00Z"),
        6_210,
        List.of(
            new NodeReport(
                "cl", "netns", "np-rr-cl", true, null, List.of(), List.of("lan=10.242.0.1")),
            new NodeReport(
                "srv", "netns", "np-rr-srv", true, null, List.of(), List.of("lan=10.242.0.2"))),
        List.of(
            cell(
                "srv.lan",
                "rr:tcp:5001",
                "direct",
                "pass",
                Outcome.OK,
                "srv.lan (10.242.0.2) answered 21,834 transactions of 64 bytes in 1.0 s over TCP:"
                    + " 21,833.4/s; RTT p50 0.031 ms, p90 0.044 ms, p99 0.126 ms, max 8.245 ms",
                new Measure(
                    "rr:tcp",
                    21_834,
                    0,
                    64,
                    1000,
                    21_833.4,
                    0.031,
                    0.044,
                    0.126,
                    8.245,
                    List.of(0, 0, 19_210, 2_350, 230, 30, 8, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0))),
            cell(
                "srv.lan",
                "rr:udp:5001",
                "direct",
                "pass",
                Outcome.OK,
                "srv.lan (10.242.0.2) answered 32,400 transactions of 64 bytes in 1.0 s over UDP:"
                    + " 32,399.9/s; RTT p50 0.025 ms, p90 0.034 ms, p99 0.090 ms, max 8.155 ms; 0"
                    + " lost (0.0%)",
                new Measure(
                    "rr:udp",
                    32_400,
                    0,
                    64,
                    1000,
                    32_399.9,
                    0.025,
                    0.034,
                    0.090,
                    8.155,
                    List.of(0, 0, 30_900, 1_300, 150, 40, 6, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0))),
            cell(
                "srv.slow",
                "rr:tcp:5004",
                "bridged",
                "pass, tps > 200/s, rtt-p99 < 5 ms",
                Outcome.UNEXPECTED,
                "srv.slow (10.242.1.2) answered 86 transactions of 1400 bytes in 1.0 s over TCP:"
                    + " 86.0/s; RTT p50 11.7 ms, p90 12.4 ms, p99 14.5 ms, max 14.5 ms; but tps"
                    + " 86/s, below the 200/s asked, by 114/s; p99 14.5 ms, above the 5 ms asked,"
                    + " by 9.533 ms",
                new Measure(
                    "rr:tcp",
                    86,
                    0,
                    1400,
                    1000,
                    86.0,
                    11.7,
                    12.4,
                    14.5,
                    14.5,
                    List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 86, 0, 0, 0, 0, 0, 0))),
            cell(
                "srv.lan",
                "icmp",
                "direct",
                "pass",
                Outcome.OK,
                "srv.lan (10.242.0.2) answered 3/3 echoes, RTT min/avg/max 0.041/0.052/0.067 ms",
                new Measure("icmp", 3, 0, 0, 2.1, null, 0.048, 0.067, 0.067, 0.067, List.of())),
            cell(
                "srv.lan",
                "bulk:tcp:5002",
                "direct",
                "pass, throughput > 1 Gbit/s",
                Outcome.OK,
                "srv.lan (10.242.0.2) received 1.18 GB in 1.0 s over one TCP stream: 9.41 Gbit/s"
                    + " (the source wrote 1.18 GB in 1.0 s)",
                Measure.throughput("bulk:tcp", 1_176_000_000L, 999.6, 9.41e9)),
            cell(
                "srv.slow",
                "bulk:tcp:5005",
                "bridged",
                "pass, throughput > 10 Mbit/s",
                Outcome.UNEXPECTED,
                "srv.slow (10.242.1.2) received 122 kB in 1.0 s over one TCP stream: 977 kbit/s"
                    + " (the source wrote 190 kB in 1.0 s); but throughput 977 kbit/s, below the"
                    + " 10 Mbit/s asked, by 9.02 Mbit/s",
                Measure.throughput("bulk:tcp", 122_000L, 999.4, 976_586.0))),
        List.of());
  }

  private static CheckResult cell(
      String to,
      String probe,
      String pathKind,
      String expected,
      Outcome outcome,
      String reason,
      Measure measure) {
    String address = to.equals("srv.slow") ? "10.242.1.2" : "10.242.0.2";
    return CheckResult.builder("cl->" + to + " " + probe, "cl", to, probe)
        .target("srv", address, probe.equals("icmp") ? 0 : 5001, pathKind)
        .expected(expected)
        .outcome(outcome)
        .verdict(
            new Verdict(
                Disposition.REACHED,
                reason,
                List.of(new Evidence("cl", "probe", reason)),
                outcome == Outcome.OK ? "" : "the path works but is slower than the matrix asks"))
        .attempts(1, false, Math.round(measure.durationMs()))
        .measure(measure)
        .build();
  }
}
