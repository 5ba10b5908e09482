package io.netprobe.agent.facts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connections the calling thread's namespace translated, from ctnetlink (what {@code conntrack
 * -L} reads): the same entries as {@code /proc/net/nf_conntrack}, binary, in one pass over the
 * kernel's table. The /proc file walks that table (one for the machine: 262,144 buckets on 24 GiB)
 * from its start again for every read, and formats every entry as text to be parsed back; a router
 * that forwarded a graded class holds thousands.
 */
final class ConntrackDiag {
  private static final int CT_NEW = 1 << 8; // NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW
  private static final int CT_GET = (1 << 8) | 1;
  private static final int CTA_TUPLE_ORIG = 1;
  private static final int CTA_TUPLE_REPLY = 2;
  private static final int CTA_STATUS = 3;
  private static final int CTA_TUPLE_IP = 1;
  private static final int CTA_TUPLE_PROTO = 2;
  private static final int CTA_IP_V4_SRC = 1;
  private static final int CTA_IP_V4_DST = 2;
  private static final int CTA_IP_V6_SRC = 3;
  private static final int CTA_IP_V6_DST = 4;
  private static final int CTA_PROTO_NUM = 1;
  private static final int CTA_PROTO_SRC_PORT = 2;
  private static final int CTA_PROTO_DST_PORT = 3;
  private static final int IPS_SEEN_REPLY = 1 << 1;

  private ConntrackDiag() {}

  /** One direction of a connection: addresses, protocol, ports (-1 without). */
  private record Tuple(String src, String dst, int proto, int sport, int dport) {}

  /**
   * The translated tcp, udp and icmp connections, at most {@code max}; empty when the kernel would
   * not say (no nf_conntrack, no CAP_NET_ADMIN, no libc for JNA).
   */
  static Optional<List<Facts.Translation>> translations(int max) {
    try {
      return ask(max);
    } catch (LinkageError e) {
      return Optional.empty();
    }
  }

  private static Optional<List<Facts.Translation>> ask(int max) {
    List<Facts.Translation> out = new ArrayList<>();
    try (Netlink nl = Netlink.open(Netlink.NETLINK_NETFILTER).orElse(null)) {
      if (nl == null) {
        return Optional.empty();
      }
      boolean done =
          nl.dump(
              Netlink.nfRequest(CT_GET, 0), // every family
              (type, b, msg, end) -> {
                if (type == CT_NEW && out.size() < max) {
                  Facts.Translation t = translation(b, msg + 4, end);
                  if (t != null) {
                    out.add(t);
                  }
                }
              });
      return done ? Optional.of(out) : Optional.empty();
    }
  }

  /** An entry, if it is a translated tcp, udp or icmp connection (as ProcFacts reads a line). */
  private static Facts.Translation translation(ByteBuffer b, int from, int end) {
    Tuple orig = null;
    Tuple reply = null;
    int status = 0;
    for (int at = from; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 4 || at + len > end) {
        break;
      }
      int type = Netlink.attrType(b, at);
      if (type == CTA_TUPLE_ORIG) {
        orig = tuple(b, at + 4, at + len);
      } else if (type == CTA_TUPLE_REPLY) {
        reply = tuple(b, at + 4, at + len);
      } else if (type == CTA_STATUS && len >= 8) {
        status =
            b.get(at + 4) << 24
                | (b.get(at + 5) & 0xff) << 16
                | (b.get(at + 6) & 0xff) << 8
                | (b.get(at + 7) & 0xff);
      }
    }
    if (orig == null
        || reply == null
        || orig.src == null
        || orig.dst == null
        || reply.src == null
        || reply.dst == null) {
      return null;
    }
    String proto =
        orig.proto == 6 ? "tcp" : orig.proto == 17 ? "udp" : orig.proto == 1 ? "icmp" : null;
    if (proto == null) {
      return null;
    }
    boolean ports = orig.proto != 1 && orig.sport >= 0 && reply.sport >= 0;
    // reply src != original dst, or reply sport != original dport: DNAT; reply dst != orig src:
    // SNAT
    boolean dnat = !reply.src.equals(orig.dst) || ports && reply.sport != orig.dport;
    boolean snat = !reply.dst.equals(orig.src);
    if (!dnat && !snat) {
      return null;
    }
    return new Facts.Translation(
        proto,
        orig.src,
        ports ? orig.sport : null,
        orig.dst,
        ports ? orig.dport : null,
        reply.src,
        ports ? reply.sport : null,
        reply.dst,
        (status & IPS_SEEN_REPLY) != 0);
  }

  private static Tuple tuple(ByteBuffer b, int from, int end) {
    String src = null;
    String dst = null;
    int proto = -1;
    int sport = -1;
    int dport = -1;
    for (int at = from; at + 4 <= end; at = Netlink.nextAttr(b, at)) {
      int len = Netlink.attrLength(b, at);
      if (len < 4 || at + len > end) {
        break;
      }
      int type = Netlink.attrType(b, at);
      for (int in = at + 4; in + 4 <= at + len; in = Netlink.nextAttr(b, in)) {
        int l = Netlink.attrLength(b, in);
        if (l < 4 || in + l > at + len) {
          break;
        }
        int t = Netlink.attrType(b, in);
        if (type == CTA_TUPLE_IP) {
          if ((t == CTA_IP_V4_SRC || t == CTA_IP_V6_SRC) && (l == 8 || l == 20)) {
            src = address(b, in + 4, l - 4);
          } else if ((t == CTA_IP_V4_DST || t == CTA_IP_V6_DST) && (l == 8 || l == 20)) {
            dst = address(b, in + 4, l - 4);
          }
        } else if (type == CTA_TUPLE_PROTO) {
          if (t == CTA_PROTO_NUM && l >= 5) {
            proto = b.get(in + 4) & 0xff;
          } else if (t == CTA_PROTO_SRC_PORT && l >= 6) {
            sport = (b.get(in + 4) & 0xff) << 8 | (b.get(in + 5) & 0xff);
          } else if (t == CTA_PROTO_DST_PORT && l >= 6) {
            dport = (b.get(in + 4) & 0xff) << 8 | (b.get(in + 5) & 0xff);
          }
        }
      }
    }
    return new Tuple(src, dst, proto, sport, dport);
  }

  private static String address(ByteBuffer b, int at, int len) {
    byte[] raw = new byte[len];
    for (int i = 0; i < len; i++) {
      raw[i] = b.get(at + i);
    }
    try {
      return io.netprobe.agent.address.Addresses.text(InetAddress.getByAddress(raw));
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
