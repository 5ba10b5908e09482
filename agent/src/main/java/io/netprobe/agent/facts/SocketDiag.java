package io.netprobe.agent.facts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The calling thread's namespace's listening sockets, from the kernel's sock_diag netlink interface
 * (what {@code ss -ltun} uses). A dump asked for LISTEN (TCP) or unconnected (UDP) sockets walks
 * only those tables; reading /proc/net/tcp walks every connection of every namespace, about 5 ms a
 * read on this machine, twice a run for every node.
 */
final class SocketDiag {
  private static final int SOCK_DIAG_BY_FAMILY = 20;
  private static final int TCP_LISTEN = 10;
  private static final int TCP_CLOSE = 7; // an unconnected UDP socket: /proc's "07"
  private static final byte[] FAMILIES = {2, 10}; // AF_INET, AF_INET6

  private SocketDiag() {}

  /** Every listening TCP and bound UDP socket; empty when netlink is refused (then use /proc). */
  static Optional<Collection<Facts.Listener>> listening(Collection<Facts.Listener> out) {
    Optional<Netlink> opened = Netlink.open(Netlink.NETLINK_SOCK_DIAG);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (Netlink netlink = opened.get()) {
      int seq = 1;
      for (byte family : FAMILIES) {
        if (!dump(netlink, seq++, family, 6, 1 << TCP_LISTEN, "tcp", out)
            || !dump(netlink, seq++, family, 17, 1 << TCP_CLOSE, "udp", out)) {
          return Optional.empty();
        }
      }
      return Optional.of(out);
    }
  }

  private static boolean dump(
      Netlink netlink,
      int seq,
      byte family,
      int protocol,
      int states,
      String name,
      Collection<Facts.Listener> out) {
    ByteBuffer req = Netlink.request(72, SOCK_DIAG_BY_FAMILY, seq);
    req.put(family).put((byte) protocol).put((byte) 0).put((byte) 0).putInt(states);
    // inet_diag_sockid: ports, addresses, interface, cookie: all zero (any)
    return netlink.dump(
        req,
        (type, b, msg, end) -> {
          if (type == SOCK_DIAG_BY_FAMILY && end - msg >= 72) {
            out.add(listener(b, msg, name));
          }
        });
  }

  /** inet_diag_msg: family, state, timer, retrans, then the socket id (ports big-endian). */
  private static Facts.Listener listener(ByteBuffer b, int msg, String protocol) {
    int family = b.get(msg) & 0xff;
    int port = (b.get(msg + 4) & 0xff) << 8 | (b.get(msg + 5) & 0xff);
    byte[] raw = new byte[family == 2 ? 4 : 16];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = b.get(msg + 8 + i);
    }
    String address;
    try {
      address = io.netprobe.agent.address.Addresses.text(InetAddress.getByAddress(raw));
    } catch (UnknownHostException e) {
      address = Arrays.toString(raw);
    }
    return new Facts.Listener(protocol, address, port);
  }
}
