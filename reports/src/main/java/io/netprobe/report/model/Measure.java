package io.netprobe.report.model;

import java.util.List;
import java.util.Objects;

/**
 * What a measuring cell measured on its path: an rr cell's transactions, an icmp cell's echoes, a
 * bulk cell's throughput. Round-trip times are in ms (nearest-rank percentiles of the answered
 * ones; null for bulk, which times no round trip); {@code tps} is null for echoes (they are paced,
 * not a rate) and bulk; {@code histogram} counts the round trips below each of {@link
 * #BUCKET_EDGES_MS} and, last, above them all (empty for echoes and bulk).
 *
 * @param kind {@code rr:tcp}, {@code rr:udp}, {@code icmp} or {@code bulk:tcp}
 * @param count the transactions or echoes answered (0 for bulk)
 * @param lost those unanswered (UDP, ICMP)
 * @param size the bytes of each request and response (0 for echoes and bulk)
 * @param durationMs how long the measurement took (bulk: the receiver's first to last read)
 * @param bitsPerSecond bulk only: the rate the target received
 * @param bytes bulk only: the bytes the target received
 */
public record Measure(
    String kind,
    int count,
    int lost,
    int size,
    double durationMs,
    Double tps,
    Double p50Ms,
    Double p90Ms,
    Double p99Ms,
    Double maxMs,
    List<Integer> histogram,
    Double bitsPerSecond,
    Long bytes) {

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

  /** An rr cell's transactions or an icmp cell's echoes: timed round trips, no throughput. */
  public Measure(
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
    this(
        kind,
        count,
        lost,
        size,
        durationMs,
        tps,
        p50Ms,
        p90Ms,
        p99Ms,
        maxMs,
        histogram,
        null,
        null);
  }

  /**
   * A bulk cell's figure: {@code bytes} received in {@code durationMs}, at {@code bitsPerSecond}.
   */
  public static Measure throughput(
      String kind, long bytes, double durationMs, double bitsPerSecond) {
    return new Measure(
        kind, 0, 0, 0, durationMs, null, null, null, null, null, List.of(), bitsPerSecond, bytes);
  }

  /** True for a cell that timed round trips (rr, icmp); false for a throughput (bulk). */
  public boolean timed() {
    return p50Ms != null;
  }

  /** The share unanswered, in percent. */
  public double lossPercent() {
    int all = count + lost;
    return all == 0 ? 0 : 100.0 * lost / all;
  }
}
