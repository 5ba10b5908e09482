package io.netprobe.report.model;

/**
 * One hop of a path trace of a check's flow (the same protocol, addresses and ports, TTL 1, 2,
 * ...): who answered at that distance, and how.
 *
 * @param ttl the hop's distance from the source
 * @param address who answered, or null when nothing did
 * @param node the matrix node that owns {@code address}, or null when none is known
 * @param kind {@code time-exceeded} (a router on the way forwarded it this far), {@code
 *     unreachable} (a router could not forward it), {@code reply} (the target answered), {@code
 *     none} (nothing)
 * @param detail the answer in words ({@code time exceeded}, {@code net unreachable}, {@code
 *     SYN-ACK}), or empty
 * @param rttMs the round trip, or null when nothing answered
 */
public record PathHop(
    int ttl, String address, String node, String kind, String detail, Double rttMs) {
  public PathHop {
    if (ttl < 1 || ttl > 255) {
      throw new IllegalArgumentException("path hop ttl out of range 1..255: " + ttl);
    }
    if (kind == null || kind.isBlank()) {
      throw new IllegalArgumentException("path hop kind is missing (hop " + ttl + ")");
    }
    detail = detail == null ? "" : detail;
  }

  /** True when something answered at this hop. */
  public boolean answered() {
    return address != null;
  }

  /** {@code fw (10.60.1.1)}, {@code 10.60.1.1}, or {@code *} for no answer. */
  public String who() {
    if (address == null) {
      return "*";
    }
    return node == null ? address : node + " (" + address + ")";
  }
}
