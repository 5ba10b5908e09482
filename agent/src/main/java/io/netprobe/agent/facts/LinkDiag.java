package io.netprobe.agent.facts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calling thread's namespace's links, from rtnetlink (what {@code ip -d link} reads): each
 * interface's kind ({@code bridge}, {@code veth}, {@code vxlan}, {@code openvswitch}...) and the
 * bridge it is a port of. /sys/class/net would show the namespace sysfs was mounted in, not the
 * thread's.
 */
final class LinkDiag {
  private static final int RTM_NEWLINK = 16;
  private static final int RTM_GETLINK = 18;
  private static final int IFLA_IFNAME = 3;
  private static final int IFLA_MASTER = 10;
  private static final int IFLA_LINKINFO = 18;
  private static final int IFLA_INFO_KIND = 1;

  /** One link: its kind (null for a plain device: lo, a physical NIC) and its master's index. */
  record Link(String name, String kind, int master) {}

  private LinkDiag() {}

  /** Every link of the namespace by index; empty when netlink is refused. */
  static Map<Integer, Link> links() {
    Map<Integer, Link> out = new HashMap<>();
    Optional<Netlink> opened = Netlink.open(Netlink.NETLINK_ROUTE);
    if (opened.isEmpty()) {
      return out;
    }
    try (Netlink netlink = opened.get()) {
      ByteBuffer req = Netlink.request(32, RTM_GETLINK, 1);
      req.put((byte) 0); // ifinfomsg: AF_UNSPEC, then zeros
      netlink.dump(
          req,
          (type, b, msg, end) -> {
            if (type == RTM_NEWLINK && end - msg >= 16) {
              out.put(b.getInt(msg + 4), link(b, msg + 16, end));
            }
          });
      return out;
    }
  }

  private static Link link(ByteBuffer b, int from, int end) {
    String name = null;
    String kind = null;
    int master = 0;
    int at = from;
    while (at + 4 <= end) {
      int len = b.getShort(at) & 0xffff;
      int type = b.getShort(at + 2) & 0x3fff;
      if (len < 4 || at + len > end) {
        break;
      }
      if (type == IFLA_IFNAME) {
        name = string(b, at + 4, len - 4);
      } else if (type == IFLA_MASTER && len >= 8) {
        master = b.getInt(at + 4);
      } else if (type == IFLA_LINKINFO) {
        int in = at + 4;
        while (in + 4 <= at + len) {
          int l = b.getShort(in) & 0xffff;
          if (l < 4) {
            break;
          }
          if ((b.getShort(in + 2) & 0x3fff) == IFLA_INFO_KIND) {
            kind = string(b, in + 4, l - 4);
          }
          in += (l + 3) & ~3;
        }
      }
      at += (len + 3) & ~3;
    }
    return new Link(name, kind, master);
  }

  private static String string(ByteBuffer b, int at, int len) {
    byte[] raw = new byte[len];
    for (int i = 0; i < len; i++) {
      raw[i] = b.get(at + i);
    }
    int end = 0;
    while (end < raw.length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.UTF_8);
  }
}
