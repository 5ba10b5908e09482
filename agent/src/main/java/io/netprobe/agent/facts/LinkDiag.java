package io.netprobe.agent.facts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
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

  private static final int IFLA_ADDRESS = 1;
  private static final int IFLA_MTU = 4;
  private static final int IFF_UP = 0x1;
  private static final int IFF_LOOPBACK = 0x8;
  private static final int RTM_NEWADDR = 20;
  private static final int RTM_GETADDR = 22;
  private static final int AF_INET = 2;
  private static final int IFA_ADDRESS = 1;
  private static final int IFA_LOCAL = 2;

  /**
   * One link: its kind (null for a plain device: lo, a physical NIC), its master's index, its MTU,
   * whether it is up (IFF_UP) and its MAC address as the JDK's NetworkInterface gives it (null for
   * the loopback and for none or all zeros).
   */
  record Link(String name, String kind, int master, int mtu, boolean up, String mac) {}

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
              out.put(b.getInt(msg + 4), link(b, b.getInt(msg + 8), msg + 16, end));
            }
          });
      return out;
    }
  }

  /**
   * The IPv4 addresses of every link by index, {@code a.b.c.d/prefix}, in the kernel's order
   * (primary first), secondary ones too (the JDK's SIOCGIFCONF listing shows one address a label);
   * empty when netlink is refused.
   */
  static Optional<Map<Integer, List<String>>> ipv4Addresses() {
    Optional<Netlink> opened = Netlink.open(Netlink.NETLINK_ROUTE);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    Map<Integer, List<String>> out = new HashMap<>();
    try (Netlink netlink = opened.get()) {
      ByteBuffer req = Netlink.request(24, RTM_GETADDR, 1);
      req.put((byte) AF_INET); // ifaddrmsg: family, then prefix length, flags, scope, index 0
      boolean done =
          netlink.dump(
              req,
              (type, b, msg, end) -> {
                if (type != RTM_NEWADDR || end - msg < 8 || b.get(msg) != AF_INET) {
                  return;
                }
                int prefix = b.get(msg + 1) & 0xff;
                int index = b.getInt(msg + 4);
                int local = -1;
                int address = -1;
                for (int at = msg + 8; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
                  int len = Netlink.attrLength(b, at);
                  if (len < 4 || at + len > end) {
                    break;
                  }
                  int attr = Netlink.attrType(b, at);
                  if (len >= 8 && attr == IFA_LOCAL) {
                    local = at + 4;
                  } else if (len >= 8 && attr == IFA_ADDRESS) {
                    address = at + 4;
                  }
                }
                int a = local >= 0 ? local : address; // IFA_ADDRESS is the peer of a p-t-p link
                if (a >= 0) {
                  String text =
                      (b.get(a) & 0xff)
                          + "."
                          + (b.get(a + 1) & 0xff)
                          + "."
                          + (b.get(a + 2) & 0xff)
                          + "."
                          + (b.get(a + 3) & 0xff);
                  out.computeIfAbsent(index, k -> new ArrayList<>()).add(text + "/" + prefix);
                }
              });
      return done ? Optional.of(out) : Optional.empty();
    }
  }

  private static Link link(ByteBuffer b, int flags, int from, int end) {
    String name = null;
    String kind = null;
    int master = 0;
    int mtu = 0;
    String mac = null;
    int at = from;
    while (at + 4 <= end) {
      int len = b.getShort(at) & 0xffff;
      int type = b.getShort(at + 2) & 0x3fff;
      if (len < 4 || at + len > end) {
        break;
      }
      if (type == IFLA_IFNAME) {
        name = Netlink.string(b, at + 4, len - 4);
      } else if (type == IFLA_MTU && len >= 8) {
        mtu = b.getInt(at + 4);
      } else if (type == IFLA_ADDRESS && (flags & IFF_LOOPBACK) == 0) {
        mac = mac(b, at + 4, len - 4);
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
            kind = Netlink.string(b, in + 4, l - 4);
          }
          in += (l + 3) & ~3;
        }
      }
      at += (len + 3) & ~3;
    }
    return new Link(name, kind, master, mtu, (flags & IFF_UP) != 0, mac);
  }

  /**
   * A hardware address as the JDK's SIOCGIFHWADDR reading shows it: six bytes (a shorter one padded
   * with zeros), null when they are all zero.
   */
  private static String mac(ByteBuffer b, int at, int len) {
    byte[] six = new byte[6];
    boolean any = false;
    for (int i = 0; i < Math.min(6, len); i++) {
      six[i] = b.get(at + i);
      any |= six[i] != 0;
    }
    return any ? HexFormat.ofDelimiter(":").formatHex(six) : null;
  }
}
