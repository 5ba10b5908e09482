package io.netprobe.agent.trace;

/**
 * What answered one TTL of a trace.
 *
 * <table>
 *   <tr><th>kind</th><th>given when</th></tr>
 *   <tr><td>TIME_EXCEEDED</td><td>a router on the way sent ICMP time exceeded (type 11): the packet
 *       got that far and the flow goes on</td></tr>
 *   <tr><td>UNREACHABLE</td><td>ICMP destination unreachable (type 3) with its code, from a router
 *       (no route, a reject rule) or from the destination itself for anything but the answer the
 *       trace expects: the path ends there</td></tr>
 *   <tr><td>REPLY</td><td>the destination answered the flow itself: echo reply (icmp), SYN-ACK or
 *       RST (tcp), ICMP port unreachable from the destination (udp)</td></tr>
 *   <tr><td>NONE</td><td>nothing within the timeout: a drop, a router that sends no ICMP, or one
 *       that rate-limits it (icmp_ratelimit)</td></tr>
 * </table>
 */
public enum HopKind {
  TIME_EXCEEDED,
  UNREACHABLE,
  REPLY,
  NONE;

  /** Whether packets with a higher TTL end at the same place: a trace looks no further. */
  public boolean endsPath() {
    return this == UNREACHABLE || this == REPLY;
  }
}
