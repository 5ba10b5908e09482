package io.netprobe.agent.capture;

import io.netprobe.agent.capture.PacketSummary.Direction;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Reads the headers of a captured frame (Ethernet, Linux cooked, or raw IP; IPv4 and IPv6; an
 * 802.1Q tag kept, as on a trunk or a mirror port) into a {@link PacketSummary}. Not a dissector:
 * just what explains a probe. ICMPv6 echoes and errors are summarized as the ICMP ones that mean
 * the same (an echo request is type 8, an address unreachable a host unreachable), so that a flow
 * is matched and explained alike in both families; neighbour discovery keeps its ICMPv6 type (135,
 * 136) with {@code ipProtocol} 58.
 */
public final class PacketParser {
  static final int DLT_EN10MB = 1;
  static final int DLT_RAW = 12;
  static final int DLT_LINUX_SLL = 113;
  static final int DLT_RAW_LINUX = 101;

  private PacketParser() {}

  /** Null when the frame is not IP or too short. */
  public static PacketSummary parse(
      byte[] frame, int dlt, double atMs, String iface, Set<String> localAddresses) {
    int ip;
    Direction direction = null;
    Integer vlan = null;
    if (dlt == DLT_EN10MB || dlt == DLT_LINUX_SLL) {
      int typeAt = dlt == DLT_EN10MB ? 12 : 14;
      if (frame.length < typeAt + 2) {
        return null;
      }
      if (u16(frame, typeAt) == TPID_8021Q && frame.length >= typeAt + 6) {
        vlan = u16(frame, typeAt + 2) & 0x0fff;
        typeAt += 4;
      }
      int etherType = frame.length >= typeAt + 2 ? u16(frame, typeAt) : 0;
      if (frame.length < typeAt + 22 || etherType != 0x0800 && etherType != 0x86dd) {
        return null;
      }
      if (dlt == DLT_LINUX_SLL) {
        int type = u16(frame, 0);
        direction = type == 4 ? Direction.OUT : type <= 2 ? Direction.IN : null;
      }
      ip = typeAt + 2;
    } else if (dlt == DLT_RAW || dlt == DLT_RAW_LINUX) {
      ip = 0;
    } else {
      return null;
    }
    PacketSummary p = parseIp(frame, ip, atMs, iface, direction, localAddresses);
    return p == null || vlan == null ? p : p.withVlan(vlan);
  }

  /** The EtherType of an 802.1Q VLAN tag. */
  static final int TPID_8021Q = 0x8100;

  private static PacketSummary parseIp(
      byte[] f, int ip, double atMs, String iface, Direction direction, Set<String> local) {
    if (f.length >= ip + 40 && (f[ip] >> 4 & 0xf) == 6) {
      return parseIp6(f, ip, atMs, iface, direction, local);
    }
    if (f.length < ip + 20 || (f[ip] >> 4 & 0xf) != 4) {
      return null;
    }
    int ihl = (f[ip] & 0x0f) * 4;
    int proto = f[ip + 9] & 0xff;
    String src = address(f, ip + 12);
    String dst = address(f, ip + 16);
    if (direction == null && local != null) {
      direction = local.contains(src) ? Direction.OUT : local.contains(dst) ? Direction.IN : null;
    }
    int l4 = ip + ihl;
    PacketSummary.Ip header =
        new PacketSummary.Ip(atMs, iface, direction, src, dst, u16(f, ip + 2));
    if (proto == 6 && f.length >= l4 + 14) {
      return PacketSummary.tcp(header, u16(f, l4), u16(f, l4 + 2), tcpFlags(f[l4 + 13]));
    }
    if (proto == 17 && f.length >= l4 + 4) {
      return PacketSummary.udp(header, u16(f, l4), u16(f, l4 + 2));
    }
    if (proto == 1 && f.length >= l4 + 8) {
      int type = f[l4] & 0xff;
      boolean echo = type == 0 || type == 8;
      if (!echo && (type == 3 || type == 11 || type == 12)) {
        Integer[] flow = quoted4(f, l4 + 8);
        return PacketSummary.icmp(header, type, f[l4 + 1] & 0xff, flow[0], flow[1]);
      }
      return PacketSummary.icmp(
          header,
          type,
          f[l4 + 1] & 0xff,
          echo ? u16(f, l4 + 4) : null,
          echo ? u16(f, l4 + 6) : null);
    }
    return PacketSummary.other(header, proto);
  }

  /** IPv6: the fixed header, extension headers skipped, then TCP, UDP or ICMPv6. */
  private static PacketSummary parseIp6(
      byte[] f, int ip, double atMs, String iface, Direction direction, Set<String> local) {
    int next = f[ip + 6] & 0xff;
    String src = address6(f, ip + 8);
    String dst = address6(f, ip + 24);
    if (direction == null && local != null) {
      direction = local.contains(src) ? Direction.OUT : local.contains(dst) ? Direction.IN : null;
    }
    int l4 = ip + 40;
    // hop-by-hop, routing, destination options: (next, length in 8-byte units beyond the first 8)
    while ((next == 0 || next == 43 || next == 60) && f.length >= l4 + 8) {
      next = f[l4] & 0xff;
      l4 += 8 + (f[l4 + 1] & 0xff) * 8;
    }
    if (next == 44 && f.length >= l4 + 8) { // a fragment header: 8 bytes
      next = f[l4] & 0xff;
      l4 += 8;
    }
    PacketSummary.Ip header =
        new PacketSummary.Ip(atMs, iface, direction, src, dst, 40 + u16(f, ip + 4));
    if (next == 6 && f.length >= l4 + 14) {
      return PacketSummary.tcp(header, u16(f, l4), u16(f, l4 + 2), tcpFlags(f[l4 + 13]));
    }
    if (next == 17 && f.length >= l4 + 4) {
      return PacketSummary.udp(header, u16(f, l4), u16(f, l4 + 2));
    }
    if (next == 58 && f.length >= l4 + 8) {
      int type = f[l4] & 0xff;
      int code = f[l4 + 1] & 0xff;
      if (type == 128 || type == 129) {
        return PacketSummary.icmp(header, type == 128 ? 8 : 0, 0, u16(f, l4 + 4), u16(f, l4 + 6));
      }
      if (type >= 1 && type <= 4) {
        int[] v4 = io.netprobe.agent.icmp.IcmpError.asIcmp4(type, code);
        Integer[] flow = quoted6(f, l4 + 8);
        return PacketSummary.icmp(header, v4[0], v4[1], flow[0], flow[1]);
      }
      return PacketSummary.other(header, 58).withIcmp6(type, code);
    }
    return PacketSummary.other(header, next);
  }

  /**
   * What an ICMP error quotes (its IPv4 header and the first 8 bytes after it): the source and
   * destination port of a TCP or UDP packet, or an echo request's identifier and sequence number;
   * nulls when the quote is too short or of another protocol.
   */
  private static Integer[] quoted4(byte[] f, int inner) {
    if (f.length < inner + 20 || (f[inner] >> 4 & 0xf) != 4) {
      return new Integer[2];
    }
    int l4 = inner + (f[inner] & 0x0f) * 4;
    return quotedFlow(f, f[inner + 9] & 0xff, l4, 1, 8);
  }

  /** The same for an ICMPv6 error quoting an IPv6 packet (no extension headers). */
  private static Integer[] quoted6(byte[] f, int inner) {
    if (f.length < inner + 40 || (f[inner] >> 4 & 0xf) != 6) {
      return new Integer[2];
    }
    return quotedFlow(f, f[inner + 6] & 0xff, inner + 40, 58, 128);
  }

  private static Integer[] quotedFlow(byte[] f, int proto, int l4, int icmp, int echoRequest) {
    if (f.length < l4 + 8) {
      return new Integer[2];
    }
    if (proto == 6 || proto == 17 || (proto == icmp && (f[l4] & 0xff) == echoRequest)) {
      int a = proto == icmp ? 4 : 0;
      return new Integer[] {u16(f, l4 + a), u16(f, l4 + a + 2)};
    }
    return new Integer[2];
  }

  /** The flag letters of each value of the TCP flags byte's low six bits, made once. */
  private static final String[] TCP_FLAGS = new String[64];

  static {
    String names = "FSRPAU";
    char[] order = {'S', 'F', 'R', 'P', 'A', 'U'};
    for (int flags = 0; flags < 64; flags++) {
      StringBuilder s = new StringBuilder();
      for (char c : order) {
        if ((flags >> names.indexOf(c) & 1) == 1) {
          s.append(c);
        }
      }
      TCP_FLAGS[flags] = s.toString();
    }
  }

  static String tcpFlags(byte flags) {
    return TCP_FLAGS[flags & 0x3f];
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
  }

  private static String address6(byte[] b, int off) {
    byte[] a = new byte[16];
    System.arraycopy(b, off, a, 0, 16);
    try {
      return io.netty.util.NetUtil.toAddressString(InetAddress.getByAddress(a));
    } catch (UnknownHostException e) {
      return "?";
    }
  }

  /** An IPv4 address and its text: one slot of {@link #ADDRESSES}. */
  private record AddressText(int address, String text) {}

  /**
   * The texts of the IPv4 addresses seen lately, by a hash of the address: a capture sees the same
   * few addresses again and again, and a run of 30,000 cells keeps some 100,000 packets, each with
   * two addresses. Slots are written without a lock: a reader sees a whole entry or an older one.
   */
  private static final AddressText[] ADDRESSES = new AddressText[1024];

  private static String address(byte[] b, int off) {
    int a =
        (b[off] & 0xff) << 24
            | (b[off + 1] & 0xff) << 16
            | (b[off + 2] & 0xff) << 8
            | b[off + 3] & 0xff;
    int slot = (a ^ a >>> 10 ^ a >>> 20) & (ADDRESSES.length - 1);
    AddressText known = ADDRESSES[slot];
    if (known != null && known.address == a) {
      return known.text;
    }
    String text = (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    ADDRESSES[slot] = new AddressText(a, text);
    return text;
  }
}
