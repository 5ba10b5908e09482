package io.netprobe.agent.facts;

import io.netprobe.agent.net.NetNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * Asks the kernel which source address it would use towards an address, without sending a packet,
 * in the calling thread's namespace: rtnetlink's RTM_GETROUTE (what {@code ip route get} asks) runs
 * the route lookup, policy rules and all, and fails with the route's errno when there is none, or
 * when the route is unreachable, prohibit or blackhole. Where it gives anything else (a broadcast
 * route, no source address, a link-local or multicast address, no netlink) connecting a UDP socket
 * asks the same lookup the slow way: three times the system calls and a Java channel, 70 us a
 * lookup on a busy 2-core machine, two CPU-seconds of a 29,700-check run.
 */
public final class RouteLookup {
  private RouteLookup() {}

  /** The kernel's answer: a source address, or the errno text of a failed lookup. */
  public record Answer(String source, String error) {
    public boolean routed() {
      return source != null;
    }

    /** What the failed lookup means, from the errno each route type gives. */
    public String meaning() {
      String e = String.valueOf(error).toLowerCase(java.util.Locale.ROOT);
      if (e.contains("network is unreachable")) {
        return "no route matches";
      }
      if (e.contains("no route to host")) {
        return "an unreachable route matches";
      }
      if (e.contains("permission denied") || e.contains("not permitted")) {
        return "a prohibit route or a local firewall rule matches";
      }
      if (e.contains("invalid argument")) {
        return "a blackhole route matches";
      }
      return "the route lookup failed";
    }
  }

  public static Answer sourceFor(InetAddress destination) {
    Answer kernel = askRtnetlink(destination);
    return kernel != null ? kernel : connectUdp(destination);
  }

  private static final int RTM_NEWROUTE = 24;
  private static final int RTM_GETROUTE = 26;
  private static final int RTN_UNICAST = 1;
  private static final int RTN_LOCAL = 2;
  private static final int RTA_DST = 1;
  private static final int RTA_PREFSRC = 7;

  /**
   * The errnos of a lookup that found no usable route, as {@link #connectUdp} reports them (the C
   * library's texts, which {@link Answer#meaning} reads).
   */
  private static final java.util.Map<Integer, String> REFUSED =
      java.util.Map.of(
          101, "Network is unreachable",
          113, "No route to host",
          13, "Permission denied",
          1, "Operation not permitted",
          22, "Invalid argument");

  /** The answer of RTM_GETROUTE; null where only {@link #connectUdp} can tell. */
  static Answer askRtnetlink(InetAddress destination) {
    byte[] raw = destination.getAddress();
    if (destination instanceof java.net.Inet6Address v6
        && (v6.getScopeId() != 0 || v6.isLinkLocalAddress() || v6.isMulticastAddress())) {
      return null;
    }
    if (destination.isMulticastAddress()) {
      return null;
    }
    // a socket the namespace's threads keep: two system calls a lookup instead of four
    return NetNamespace.withKept(
        RouteLookup.class,
        () -> Netlink.open(Netlink.NETLINK_ROUTE).orElse(null),
        netlink -> netlink == null ? null : ask(netlink, raw));
  }

  /**
   * Asks on {@code netlink} for the route to {@code raw}; null unless the kernel gave a unicast or
   * local route with a source address, or one of the errnos of {@link #REFUSED}.
   */
  private static Answer ask(Netlink netlink, byte[] raw) {
    int length = 16 + 12 + 4 + raw.length;
    java.nio.ByteBuffer req = Netlink.request(length, RTM_GETROUTE, 1, Netlink.NLM_F_REQUEST);
    req.put((byte) (raw.length == 4 ? 2 : 10)).put((byte) (raw.length * 8)); // rtmsg
    req.put(new byte[10]);
    req.putShort((short) (4 + raw.length)).putShort((short) RTA_DST).put(raw);
    String[] source = new String[1];
    int errno =
        netlink.ask(
            req,
            (type, b, msg, end) -> {
              int routeType = msg + 12 <= end ? b.get(msg + 7) & 0xff : -1;
              if (type != RTM_NEWROUTE || (routeType != RTN_UNICAST && routeType != RTN_LOCAL)) {
                return;
              }
              for (int at = msg + 12; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
                int len = Netlink.attrLength(b, at);
                if (len < 4 || at + len > end) {
                  return;
                }
                if (Netlink.attrType(b, at) == RTA_PREFSRC && len - 4 == raw.length) {
                  byte[] src = new byte[raw.length];
                  b.get(at + 4, src);
                  source[0] = text(src);
                }
              }
            });
    if (errno == 0) {
      return source[0] == null ? null : new Answer(source[0], null);
    }
    String refused = REFUSED.get(errno);
    return refused == null ? null : new Answer(null, refused);
  }

  private static String text(byte[] raw) {
    try {
      return io.netprobe.agent.address.Addresses.text(InetAddress.getByAddress(raw));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects a UDP socket: the kernel picks the route and the source, or fails with its errno. */
  static Answer connectUdp(InetAddress destination) {
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(new InetSocketAddress(destination, 9));
      InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
      return new Answer(io.netprobe.agent.address.Addresses.text(local.getAddress()), null);
    } catch (IOException e) {
      return new Answer(null, String.valueOf(e.getMessage()));
    }
  }
}
