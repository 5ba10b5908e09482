package io.netprobe.report.model;

import java.util.List;
import java.util.Objects;

/**
 * What a measuring cell measured on its path: an rr cell's transactions, an icmp cell's echoes.
 * Round-trip times are in ms (nearest-rank percentiles of the answered ones); {@code tps} is null
 * for echoes (they are paced, not a rate); {@code histogram} counts the round trips below each of
 * {@link #BUCKET_EDGES_MS} and, last, above them all (empty for echoes).
 *
 * @param kind {@code rr:tcp}, {@code rr:udp} or {@code icmp}
 * @param count the transactions or echoes answered
 * @param lost those unanswered (UDP, ICMP)
 * @param size the bytes of each request and response (0 for echoes)
 * @param durationMs how long the measurement took
 */
public record Measure(
    String kind,
    int count,
    int lost,
    int size,
    double durationMs,
    Double tps,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double maxMs,
    List<Integer> histogram) {

  /** The upper edges of the histogram's buckets, in ms; a last bucket holds the slower ones. */
  public static final List<Double> BUCKET_EDGES_MS =
      io.netprobe.agent.probe.Transactions.BUCKET_EDGES_MS;

  public Measure {
    Objects.requireNonNull(kind, "measure kind");
    histogram = histogram == null ? List.of() : List.copyOf(histogram);
    if (!histogram.isEmpty() && histogram.size() != BUCKET_EDGES_MS.size() + 1) {
      throw new IllegalArgumentException(
          "a histogram has " + (BUCKET_EDGES_MS.size() + 1) + " buckets: " + histogram.size());
    }
  }

  /** The share unanswered, in percent. */
  public double lossPercent() {
    int all = count + lost;
    return all == 0 ? 0 : 100.0 * lost / all;
  }
}
