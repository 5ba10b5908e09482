package io.netprobe.cli.run;

import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.Transactions;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.Threshold;
import io.netprobe.report.model.Measure;
import io.netprobe.report.model.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Grades the figures of a cell that got through against its thresholds: an rr cell's transactions,
 * an icmp cell's echoes. A threshold whose figure was not measured is missed too, and says so: a
 * grade never rests on a figure nobody measured.
 */
final class Thresholds {
  private Thresholds() {}

  /** Each threshold {@code r} misses, in words; empty when it keeps them all. */
  static List<String> missed(Expectation.Measured expect, ProbeResult r) {
    Map<Threshold.Metric, Double> figures = figures(r);
    List<String> out = new ArrayList<>();
    for (Threshold t : expect.thresholds()) {
      Double actual = figures.get(t.metric());
      if (actual == null) {
        out.add(t.metric().yamlName() + " was not measured (" + t.label() + " asked)");
      } else {
        t.missedBy(actual).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * The figures a result holds, by metric: ms, transactions per second, percent, bits per second (a
   * bulk cell's, once its receiver's count is in).
   */
  static Map<Threshold.Metric, Double> figures(ProbeResult r) {
    Map<Threshold.Metric, Double> f = new EnumMap<>(Threshold.Metric.class);
    Transactions t = r.transactions();
    if (t != null && t.count() > 0) {
      f.put(Threshold.Metric.TPS, t.tps());
      f.put(Threshold.Metric.RTT_P50, t.p50Ms());
      f.put(Threshold.Metric.RTT_P90, t.p90Ms());
      f.put(Threshold.Metric.RTT_P99, t.p99Ms());
      f.put(Threshold.Metric.RTT_MAX, t.maxMs());
      f.put(Threshold.Metric.LOSS, t.lossRatio() * 100);
    }
    io.netprobe.agent.probe.Throughput bulk = r.throughput();
    if (bulk != null && bulk.hasReceived()) {
      f.put(Threshold.Metric.THROUGHPUT, bulk.bitsPerSecond());
    }
    Echoes e = r.echoes();
    if (e != null && e.sent() > 0) {
      f.put(Threshold.Metric.LOSS, 100.0 * (e.sent() - e.received()) / e.sent());
      List<Double> rtts = e.rttMs().stream().sorted().toList();
      if (!rtts.isEmpty()) {
        f.put(Threshold.Metric.RTT_P50, rank(rtts, 50));
        f.put(Threshold.Metric.RTT_P90, rank(rtts, 90));
        f.put(Threshold.Metric.RTT_P99, rank(rtts, 99));
        f.put(Threshold.Metric.RTT_MAX, rtts.get(rtts.size() - 1));
      }
    }
    return f;
  }

  /**
   * What the cell measured, for the paths table: an rr cell's transactions, a bulk cell's received
   * rate, an icmp cell's answered echoes; null for a cell that measured nothing.
   */
  static Measure measure(ProbeResult r) {
    io.netprobe.agent.probe.Throughput bulk = r.throughput();
    if (bulk != null && bulk.hasReceived()) {
      return Measure.throughput(
          "bulk:tcp", bulk.receivedBytes(), bulk.receivedMs(), bulk.bitsPerSecond());
    }
    Transactions t = r.transactions();
    if (t != null && t.count() > 0) {
      return new Measure(
          "rr:" + t.transport(),
          t.count(),
          t.lost(),
          t.size(),
          t.elapsedMs(),
          t.tps(),
          t.p50Ms(),
          t.p90Ms(),
          t.p99Ms(),
          t.maxMs(),
          t.histogram());
    }
    Echoes e = r.echoes();
    if (e == null || e.rttMs().isEmpty()) {
      return null;
    }
    Map<Threshold.Metric, Double> f = figures(r);
    return new Measure(
        "icmp",
        e.received(),
        e.sent() - e.received(),
        0,
        r.elapsedMs(),
        null,
        f.get(Threshold.Metric.RTT_P50),
        f.get(Threshold.Metric.RTT_P90),
        f.get(Threshold.Metric.RTT_P99),
        f.get(Threshold.Metric.RTT_MAX),
        List.of());
  }

  /** The nearest-rank percentile of sorted values, as the agent computes the rr ones. */
  private static double rank(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** The verdict of a cell that got through and missed {@code missed}: it says by how much. */
  static Verdict graded(Verdict v, List<String> missed) {
    return new Verdict(
        v.disposition(),
        v.reason() + "; but " + String.join("; ", missed),
        v.evidence(),
        "the path works but is slower (or lossier) than the matrix asks; measure again on an idle"
            + " machine before blaming the path: the figures count every process sharing its"
            + " cores",
        v.path());
  }
}
