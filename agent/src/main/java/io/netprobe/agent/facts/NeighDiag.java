package io.netprobe.agent.facts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The calling thread's namespace's IPv6 neighbour table, from rtnetlink (what {@code ip -6 neigh}
 * reads; there is no /proc file for it): each neighbour's address, interface, link-layer address,
 * and whether it answered neighbour discovery (not INCOMPLETE, not FAILED).
 */
final class NeighDiag {
  private static final int RTM_NEWNEIGH = 28;
  private static final int RTM_GETNEIGH = 30;
  private static final int AF_INET6 = 10;
  private static final int NDA_DST = 1;
  private static final int NDA_LLADDR = 2;
  private static final int NUD_INCOMPLETE = 0x01;
  private static final int NUD_FAILED = 0x20;

  private NeighDiag() {}

  /** The IPv6 neighbours; empty when netlink is refused. */
  static List<Facts.Neighbour> ipv6(Map<Integer, LinkDiag.Link> links) {
    List<Facts.Neighbour> out = new ArrayList<>();
    Optional<Netlink> opened = Netlink.open(Netlink.NETLINK_ROUTE);
    if (opened.isEmpty()) {
      return out;
    }
    try (Netlink netlink = opened.get()) {
      ByteBuffer req = Netlink.request(28, RTM_GETNEIGH, 1);
      req.put((byte) AF_INET6); // ndmsg: family, then zeros
      netlink.dump(
          req,
          (type, b, msg, end) -> {
            if (type != RTM_NEWNEIGH || end - msg < 12 || (b.get(msg) & 0xff) != AF_INET6) {
              return;
            }
            int index = b.getInt(msg + 4);
            int state = b.getShort(msg + 8) & 0xffff;
            String ip = null;
            String mac = null;
            int at = msg + 12;
            while (at + 4 <= end) {
              int len = b.getShort(at) & 0xffff;
              int attr = b.getShort(at + 2) & 0x3fff;
              if (len < 4 || at + len > end) {
                break;
              }
              byte[] value = new byte[len - 4];
              for (int i = 0; i < value.length; i++) {
                value[i] = b.get(at + 4 + i);
              }
              if (attr == NDA_DST && value.length == 16) {
                ip = address(value);
              } else if (attr == NDA_LLADDR && value.length > 0) {
                mac = HexFormat.ofDelimiter(":").formatHex(value);
              }
              at += (len + 3) & ~3;
            }
            if (ip != null && !ip.startsWith("ff")) {
              LinkDiag.Link link = links.get(index);
              boolean answered = (state & (NUD_INCOMPLETE | NUD_FAILED)) == 0;
              out.add(
                  new Facts.Neighbour(
                      ip, link == null ? null : link.name(), answered ? mac : null, answered));
            }
          });
      return out;
    }
  }

  private static String address(byte[] raw) {
    try {
      return io.netprobe.agent.address.Addresses.text(InetAddress.getByAddress(raw));
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
