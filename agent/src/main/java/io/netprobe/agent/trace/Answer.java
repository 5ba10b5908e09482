package io.netprobe.agent.trace;

import static io.netprobe.agent.trace.TracePackets.u16;
import static io.netprobe.agent.trace.TracePackets.u32;

import io.netprobe.agent.icmp.IcmpError;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One packet that answers one TTL of a trace, read from what a raw socket gives (whole IPv4
 * packets). An ICMP error is matched on the packet it quotes: protocol, both addresses, the ports
 * or echo identifier, and the IP ID, which gives the TTL. The destination's own answer gives it
 * back in the sequence number: the echo reply's, or the SYN-ACK's or RST's acknowledgement - 1.
 */
record Answer(int ttl, String from, HopKind kind, Integer code, String detail) {

  /** What a raw ICMP socket read, when it answers {@code flow}; null otherwise. */
  static Answer fromIcmp(TraceFlow flow, int maxHops, byte[] ip) {
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

  /** What a raw TCP socket read, when it is the destination's SYN-ACK or RST; null otherwise. */
  static Answer fromTcp(TraceFlow flow, int maxHops, byte[] ip) {
    int ihl = ihl(ip);
    int tcp = ihl;
    if (ihl < 20
        || ip.length < tcp + 20
        || (ip[9] & 0xff) != TraceType.TCP.protocol()
        || !Arrays.equals(ip, 12, 16, flow.destination().getAddress(), 0, 4)
        || !Arrays.equals(ip, 16, 20, flow.source().getAddress(), 0, 4)
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
    return new Answer(ttl, address(ip, 12), HopKind.REPLY, null, synAck ? "SYN-ACK" : "RST");
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
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + 4)).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
