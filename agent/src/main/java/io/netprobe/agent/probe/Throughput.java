package io.netprobe.agent.probe;

import java.util.Locale;

/**
 * What a {@code bulk} probe measured: what the source wrote and in how long, and what the target
 * received and in how long (its discard responder's count, from its first byte to its last). The
 * rate is the receiver's: bytes that the socket buffers hold when the sender stops are written but
 * not yet delivered, so the sender's own figure runs ahead of the path's.
 *
 * @param sentBytes the bytes the source's writes handed to its kernel
 * @param sentMs from the first write to the last
 * @param receivedBytes the bytes the target's responder read; null until it has said
 * @param receivedMs from the responder's first read to its last; null until it has said
 */
public record Throughput(long sentBytes, double sentMs, Long receivedBytes, Double receivedMs) {

  public Throughput {
    if (sentBytes < 0 || sentMs < 0) {
      throw new IllegalArgumentException(
          "negative sent bytes or time: " + sentBytes + ", " + sentMs);
    }
    if ((receivedBytes == null) != (receivedMs == null)) {
      throw new IllegalArgumentException("received bytes and time go together");
    }
  }

  /** What the source wrote in {@code sentNanos}; the receiver has not said yet. */
  public static Throughput sent(long bytes, long sentNanos) {
    return new Throughput(bytes, round(sentNanos / 1e6), null, null);
  }

  /** The same figures with the receiver's count: {@code bytes} read over {@code ms}. */
  public Throughput received(long bytes, double ms) {
    return new Throughput(sentBytes, sentMs, bytes, round(ms));
  }

  /** True when the receiver's count is in. */
  public boolean hasReceived() {
    return receivedBytes != null;
  }

  /** The rate the target received, bits per second; 0 before its count is in. */
  public double bitsPerSecond() {
    return rate(hasReceived() ? receivedBytes : 0, hasReceived() ? receivedMs : 0);
  }

  /** The rate the source wrote at, bits per second (socket buffers included). */
  public double sentBitsPerSecond() {
    return rate(sentBytes, sentMs);
  }

  private static double rate(long bytes, double ms) {
    return ms <= 0 ? 0 : Math.round(bytes * 8 / (ms / 1000));
  }

  /**
   * {@code 9.41 Gbit/s}, {@code 812 Mbit/s}, {@code 1.05 Mbit/s}, {@code 1 Gbit/s}, {@code 640
   * bit/s}: three significant digits, trailing zeros dropped, decimal units as iperf3's.
   */
  public static String rate(double bitsPerSecond) {
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
    double v = bitsPerSecond;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    String n =
        v >= 100 || u == 0
            ? String.format(Locale.ROOT, "%.0f", v)
            : v >= 10
                ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    if (n.contains(".")) {
      n = n.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return n + " " + units[u];
  }

  /** {@code 1.18 GB}, {@code 125 kB}, {@code 640 bytes} (decimal units, as rates are). */
  public static String bytes(long bytes) {
    return bytes < 1000 ? bytes + " bytes" : rate(bytes).replace("bit/s", "B");
  }

  private static double round(double ms) {
    return Math.round(ms * 1e3) / 1e3;
  }
}
