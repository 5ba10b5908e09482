package io.netprobe.agent.trace;

import static io.netprobe.agent.trace.TracePackets.u16;
import static io.netprobe.agent.trace.TracePackets.u32;

import io.netprobe.agent.icmp.IcmpError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One packet that answers one TTL of a trace, read from what a raw socket gives (whole IPv4 or IPv6
 * packets). An ICMP error is matched on the packet it quotes: protocol, both addresses, the ports
 * or echo identifier, and what gives the TTL: the IP ID (IPv4), the echo or TCP sequence number or
 * the datagram's length (IPv6). The destination's own answer gives it back in the sequence number:
 * the echo reply's, or the SYN-ACK's or RST's acknowledgement - 1. ICMPv6 errors are named by their
 * ICMP twins (time exceeded, destination unreachable with the code that means the same).
 */
record Answer(int ttl, String from, HopKind kind, Integer code, String detail) {

  /** What a raw ICMP socket read, when it answers {@code flow}; null otherwise. */
  static Answer fromIcmp(TraceFlow flow, int maxHops, byte[] ip) {
    if (isIpv6(ip)) {
      return fromIcmp6(flow, maxHops, ip);
    }
    int ihl = ihl(ip);
    if (ihl < 20 || ip.length < ihl + 8 || (ip[9] & 0xff) != TraceType.ICMP.protocol()) {
      return null;
    }
    int type = ip[ihl] & 0xff;
    int code = ip[ihl + 1] & 0xff;
    String from = address(ip, 12);
    if (type == 0) {
      return echoReply(flow, maxHops, ip, ihl, from);
    }
    if (type != 3 && type != 11) {
      return null;
    }
    int inner = ihl + 8;
    int ttl = quotedTtl(flow, maxHops, ip, inner);
    if (ttl < 0) {
      return null;
    }
    if (type == 11) {
      return new Answer(ttl, from, HopKind.TIME_EXCEEDED, code, "time exceeded");
    }
    boolean fromDestination =
        from.equals(io.netprobe.agent.address.Addresses.text(flow.destination()));
    if (fromDestination && flow.type() == TraceType.UDP && code == 3) {
      return new Answer(ttl, from, HopKind.REPLY, code, "port unreachable");
    }
    return new Answer(ttl, from, HopKind.UNREACHABLE, code, unreachable(code));
  }

  private static Answer echoReply(TraceFlow flow, int maxHops, byte[] ip, int ihl, String from) {
    if (flow.type() != TraceType.ICMP
        || !Arrays.equals(ip, 12, 16, flow.destination().getAddress(), 0, 4)
        || u16(ip, ihl + 4) != flow.icmpId()) {
      return null;
    }
    int ttl = u16(ip, ihl + 6) - flow.seqBase();
    return ttl >= 1 && ttl <= maxHops
        ? new Answer(ttl, from, HopKind.REPLY, null, "echo reply")
        : null;
  }

  /** The TTL of the quoted packet, when it is one of the flow's; -1 otherwise. */
  private static int quotedTtl(TraceFlow flow, int maxHops, byte[] ip, int inner) {
    if (ip.length < inner + 20) {
      return -1;
    }
    int innerIhl = ihl(ip, inner);
    int l4 = inner + innerIhl;
    if (innerIhl < 20
        || ip.length < l4 + 8
        || (ip[inner + 9] & 0xff) != flow.type().protocol()
        || !Arrays.equals(ip, inner + 12, inner + 16, flow.source().getAddress(), 0, 4)
        || !Arrays.equals(ip, inner + 16, inner + 20, flow.destination().getAddress(), 0, 4)) {
      return -1;
    }
    int ttl = (u16(ip, inner + 4) - flow.ipIdBase()) & 0xffff;
    if (ttl < 1 || ttl > maxHops) {
      return -1;
    }
    boolean same =
        flow.type() == TraceType.ICMP
            ? (ip[l4] & 0xff) == 8 && u16(ip, l4 + 4) == flow.icmpId()
            : u16(ip, l4) == flow.sourcePort() && u16(ip, l4 + 2) == flow.port();
    return same ? ttl : -1;
  }

  private static final int V6 = 40;

  private static boolean isIpv6(byte[] ip) {
    return ip.length >= V6 && (ip[0] & 0xf0) == 0x60;
  }

  /** An ICMPv6 message (after its IPv6 header) that answers {@code flow}; null otherwise. */
  private static Answer fromIcmp6(TraceFlow flow, int maxHops, byte[] ip) {
    if (ip.length < V6 + 8 || (ip[6] & 0xff) != TracePackets.ICMPV6 || !flow.ipv6()) {
      return null;
    }
    int type = ip[V6] & 0xff;
    int code = ip[V6 + 1] & 0xff;
    String from = address(ip, 8, 16);
    if (type == 129) {
      if (flow.type() != TraceType.ICMP
          || !Arrays.equals(ip, 8, 24, flow.destination().getAddress(), 0, 16)
          || u16(ip, V6 + 4) != flow.icmpId()) {
        return null;
      }
      int ttl = u16(ip, V6 + 6) - flow.seqBase();
      return ttl >= 1 && ttl <= maxHops
          ? new Answer(ttl, from, HopKind.REPLY, null, "echo reply")
          : null;
    }
    if (type != 1 && type != 3) {
      return null;
    }
    int ttl = quotedHopLimit(flow, maxHops, ip, V6 + 8);
    if (ttl < 0) {
      return null;
    }
    int[] twin = IcmpError.asIcmp4(type, code);
    if (type == 3) {
      return new Answer(ttl, from, HopKind.TIME_EXCEEDED, twin[1], "time exceeded");
    }
    boolean fromDestination =
        from.equals(io.netprobe.agent.address.Addresses.text(flow.destination()));
    if (fromDestination && flow.type() == TraceType.UDP && code == 4) {
      return new Answer(ttl, from, HopKind.REPLY, twin[1], "port unreachable");
    }
    return new Answer(ttl, from, HopKind.UNREACHABLE, twin[1], unreachable(twin[1]));
  }

  /**
   * The hop limit the quoted IPv6 packet left with, when it is one of the flow's; -1 otherwise: its
   * echo sequence number, TCP sequence number or datagram length says which it was.
   */
  private static int quotedHopLimit(TraceFlow flow, int maxHops, byte[] ip, int inner) {
    int l4 = inner + V6;
    if (ip.length < l4 + 8
        || (ip[inner] & 0xf0) != 0x60
        || (ip[inner + 6] & 0xff) != flow.protocol()
        || !Arrays.equals(ip, inner + 8, inner + 24, flow.source().getAddress(), 0, 16)
        || !Arrays.equals(ip, inner + 24, inner + 40, flow.destination().getAddress(), 0, 16)) {
      return -1;
    }
    int ttl;
    switch (flow.type()) {
      case ICMP -> {
        if ((ip[l4] & 0xff) != 128 || u16(ip, l4 + 4) != flow.icmpId()) {
          return -1;
        }
        ttl = (u16(ip, l4 + 6) - flow.seqBase()) & 0xffff;
      }
      case TCP -> {
        if (!samePorts(flow, ip, l4)) {
          return -1;
        }
        ttl = u32(ip, l4 + 4) - flow.seqBase();
      }
      default -> {
        if (!samePorts(flow, ip, l4)) {
          return -1;
        }
        ttl = u16(ip, inner + 4) - TracePackets.udpLength(flow.markText());
      }
    }
    return ttl >= 1 && ttl <= maxHops ? ttl : -1;
  }

  private static boolean samePorts(TraceFlow flow, byte[] ip, int l4) {
    return u16(ip, l4) == flow.sourcePort() && u16(ip, l4 + 2) == flow.port();
  }

  /** What a raw TCP socket read, when it is the destination's SYN-ACK or RST; null otherwise. */
  static Answer fromTcp(TraceFlow flow, int maxHops, byte[] ip) {
    boolean v6 = isIpv6(ip);
    int ihl = v6 ? V6 : ihl(ip);
    int tcp = ihl;
    int addressLength = v6 ? 16 : 4;
    int srcAt = v6 ? 8 : 12;
    int dstAt = srcAt + addressLength;
    if (ihl < 20
        || v6 != flow.ipv6()
        || ip.length < tcp + 20
        || (ip[v6 ? 6 : 9] & 0xff) != TraceType.TCP.protocol()
        || !Arrays.equals(
            ip, srcAt, srcAt + addressLength, flow.destination().getAddress(), 0, addressLength)
        || !Arrays.equals(
            ip, dstAt, dstAt + addressLength, flow.source().getAddress(), 0, addressLength)
        || u16(ip, tcp) != flow.port()
        || u16(ip, tcp + 2) != flow.sourcePort()) {
      return null;
    }
    int flags = ip[tcp + 13] & 0xff;
    boolean synAck = (flags & 0x12) == 0x12;
    boolean rst = (flags & 0x04) != 0 && (flags & 0x10) != 0;
    if (!synAck && !rst) {
      return null; // a bare ACK (a SYN out of the request's window) says nothing of its TTL
    }
    int ttl = u32(ip, tcp + 8) - 1 - flow.seqBase();
    if (ttl < 1 || ttl > maxHops) {
      return null;
    }
    return new Answer(
        ttl, address(ip, srcAt, addressLength), HopKind.REPLY, null, synAck ? "SYN-ACK" : "RST");
  }

  /** "net unreachable", "host unreachable", ...: the words of the probe's ICMP errors. */
  static String unreachable(int code) {
    return IcmpError.describe(3, code).replace("network unreachable", "net unreachable");
  }

  private static int ihl(byte[] ip) {
    return ip.length < 20 || (ip[0] & 0xf0) != 0x40 ? -1 : ihl(ip, 0);
  }

  private static int ihl(byte[] ip, int off) {
    return (ip[off] & 0x0f) * 4;
  }

  private static String address(byte[] b, int off) {
    return address(b, off, 4);
  }

  private static String address(byte[] b, int off, int length) {
    try {
      return io.netprobe.agent.address.Addresses.text(
          InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + length)));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four or sixteen bytes are always an address
    }
  }
}
