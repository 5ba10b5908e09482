package io.netprobe.agent.probe;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an {@code rr} probe measured: how many request/response transactions completed in how long,
 * how many were lost (UDP: no answer within the timeout), and the round-trip times of the completed
 * ones as percentiles (nearest rank), in milliseconds. {@code histogram} counts the round trips in
 * {@link #BUCKET_EDGES_MS} buckets (the last one open), for a chart of their distribution.
 *
 * @param transport {@code tcp} or {@code udp}
 * @param size the bytes of each request and of each response
 * @param elapsedMs the time the transactions took, from the first send to the last answer
 */
public record Transactions(
    String transport,
    int size,
    double elapsedMs,
    int count,
    int lost,
    double tps,
    double minMs,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double maxMs,
    List<Integer> histogram) {

  /**
   * The upper edges of the histogram's buckets, in ms: roughly three per decade from 10 us to 1 s;
   * a last bucket holds everything slower.
   */
  public static final List<Double> BUCKET_EDGES_MS =
      List.of(
          0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
          1000.0);

  public Transactions {
    Objects.requireNonNull(transport, "transport");
    if (count < 0 || lost < 0) {
      throw new IllegalArgumentException("negative count or lost: " + count + ", " + lost);
    }
    histogram = histogram == null ? List.of() : List.copyOf(histogram);
  }

  /**
   * The figures of {@code count} round trips {@code rttNanos[0..count)} (sorted here, in place)
   * that took {@code elapsedNanos} in all, with {@code lost} transactions unanswered.
   */
  public static Transactions of(
      String transport, int size, long[] rttNanos, int count, int lost, long elapsedNanos) {
    long[] rtts = Arrays.copyOf(rttNanos, count);
    Arrays.sort(rtts);
    Integer[] buckets = new Integer[BUCKET_EDGES_MS.size() + 1];
    Arrays.fill(buckets, 0);
    int b = 0;
    for (long rtt : rtts) {
      double ms = rtt / 1e6;
      while (b < BUCKET_EDGES_MS.size() && ms > BUCKET_EDGES_MS.get(b)) {
        b++;
      }
      buckets[b]++;
    }
    double elapsedMs = elapsedNanos / 1e6;
    return new Transactions(
        transport,
        size,
        round(elapsedMs),
        count,
        lost,
        elapsedNanos <= 0 ? 0 : Math.round(count / (elapsedNanos / 1e9) * 10) / 10.0,
        count == 0 ? 0 : ms(rtts[0]),
        percentile(rtts, 50),
        percentile(rtts, 90),
        percentile(rtts, 99),
        count == 0 ? 0 : ms(rtts[count - 1]),
        count == 0 ? List.of() : Arrays.asList(buckets));
  }

  /** The {@code p}-th percentile of sorted {@code values} (nearest rank), in ms; 0 when empty. */
  static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return ms(sorted[Math.max(rank, 1) - 1]);
  }

  /** The share of transactions lost, 0..1. */
  public double lossRatio() {
    int sent = count + lost;
    return sent == 0 ? 0 : (double) lost / sent;
  }

  /** To a tenth of a microsecond: on a veth a round trip is 15-30 us, and 1 us would be 5 %. */
  private static double ms(long nanos) {
    return Math.round(nanos / 1e2) / 1e4;
  }

  private static double round(double ms) {
    return Math.round(ms * 1e3) / 1e3;
  }
}
