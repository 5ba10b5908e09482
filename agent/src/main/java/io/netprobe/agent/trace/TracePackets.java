package io.netprobe.agent.trace;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Builds the packets of a trace, headers and all (the raw socket sends them as they are): internet
 * checksums, the IPv4 or IPv6 header, an echo request whose checksum no sequence number changes, a
 * TCP SYN and a UDP datagram with their pseudo-header checksums.
 */
final class TracePackets {
  static final int IP_HEADER = 20;
  static final int IPV6_HEADER = 40;
  static final int ICMPV6 = 58;
  private static final int TCP_SYN_LENGTH = 24; // 20 bytes of header, then the MSS option

  private TracePackets() {}

  /** An IPv4 header (no options, no DF) in front of {@code l4}, with its checksum. */
  static byte[] ipv4(
      Inet4Address src, Inet4Address dst, int protocol, int ttl, int ipId, byte[] l4) {
    byte[] p = new byte[IP_HEADER + l4.length];
    p[0] = 0x45;
    put16(p, 2, p.length);
    put16(p, 4, ipId);
    p[8] = (byte) ttl;
    p[9] = (byte) protocol;
    System.arraycopy(src.getAddress(), 0, p, 12, 4);
    System.arraycopy(dst.getAddress(), 0, p, 16, 4);
    put16(p, 10, checksum(p, 0, IP_HEADER, 0));
    System.arraycopy(l4, 0, p, IP_HEADER, l4.length);
    return p;
  }

  /** An IPv6 header (flow label 0, which ECMP may hash) in front of {@code l4}. */
  static byte[] ipv6(InetAddress src, InetAddress dst, int nextHeader, int hopLimit, byte[] l4) {
    byte[] p = new byte[IPV6_HEADER + l4.length];
    p[0] = 0x60;
    put16(p, 4, l4.length);
    p[6] = (byte) nextHeader;
    p[7] = (byte) hopLimit;
    System.arraycopy(src.getAddress(), 0, p, 8, 16);
    System.arraycopy(dst.getAddress(), 0, p, 24, 16);
    System.arraycopy(l4, 0, p, IPV6_HEADER, l4.length);
    return p;
  }

  /**
   * An ICMPv6 echo request (type 128), with the same constant-checksum payload as {@link
   * #echoRequest}; its checksum covers the pseudo-header, as ICMPv6's does.
   */
  static byte[] echoRequest6(
      InetAddress src, InetAddress dst, int identifier, int sequence, String mark) {
    byte[] p = echoRequest(identifier, sequence, mark);
    p[0] = (byte) 128;
    put16(p, 2, 0);
    put16(p, 2, transportChecksum(src, dst, ICMPV6, p));
    return p;
  }

  /**
   * An echo request whose checksum is the same for every sequence number: the payload starts with
   * the one's complement of the sequence number, so the two add up to 0xffff (a one's complement
   * zero) in every packet. Load balancers that hash the first bytes of ICMP then keep the path.
   */
  static byte[] echoRequest(int identifier, int sequence, String mark) {
    byte[] text = ("netprobe " + mark).getBytes(StandardCharsets.US_ASCII);
    byte[] p = new byte[8 + 2 + text.length];
    p[0] = 8;
    put16(p, 4, identifier);
    put16(p, 6, sequence);
    put16(p, 8, ~sequence);
    System.arraycopy(text, 0, p, 10, text.length);
    put16(p, 2, checksum(p, 0, p.length, 0));
    return p;
  }

  /**
   * A SYN with an MSS option, as a connect would send it; its checksum covers the pseudo-header.
   */
  static byte[] tcpSyn(InetAddress src, InetAddress dst, int srcPort, int dstPort, int sequence) {
    byte[] p = new byte[TCP_SYN_LENGTH];
    put16(p, 0, srcPort);
    put16(p, 2, dstPort);
    put32(p, 4, sequence);
    p[12] = (byte) ((TCP_SYN_LENGTH / 4) << 4);
    p[13] = 0x02; // SYN
    put16(p, 14, 64240);
    p[20] = 2; // MSS, length 4, 1460
    p[21] = 4;
    put16(p, 22, 1460);
    put16(p, 16, transportChecksum(src, dst, TraceType.TCP.protocol(), p));
    return p;
  }

  /**
   * A datagram whose payload is the mark, then {@code padding} zero bytes (an IPv6 trace tells its
   * hops apart by the length, since IPv6 has no IP ID).
   */
  static byte[] udp(
      InetAddress src, InetAddress dst, int srcPort, int dstPort, String mark, int padding) {
    byte[] text = ("netprobe " + mark).getBytes(StandardCharsets.US_ASCII);
    byte[] p = new byte[8 + text.length + padding];
    put16(p, 0, srcPort);
    put16(p, 2, dstPort);
    put16(p, 4, p.length);
    System.arraycopy(text, 0, p, 8, text.length);
    int sum = transportChecksum(src, dst, TraceType.UDP.protocol(), p);
    put16(p, 6, sum == 0 ? 0xffff : sum); // 0 would mean "no checksum"
    return p;
  }

  /** The length of {@link #udp}'s datagram without padding. */
  static int udpLength(String mark) {
    return 8 + ("netprobe " + mark).getBytes(StandardCharsets.US_ASCII).length;
  }

  /**
   * The TCP, UDP or ICMPv6 checksum: the segment summed after the pseudo-header of IPv4 (RFC 793)
   * or IPv6 (RFC 8200 8.1).
   */
  static int transportChecksum(InetAddress src, InetAddress dst, int protocol, byte[] segment) {
    byte[] pseudo;
    if (src instanceof Inet4Address) {
      pseudo = new byte[12];
      System.arraycopy(src.getAddress(), 0, pseudo, 0, 4);
      System.arraycopy(dst.getAddress(), 0, pseudo, 4, 4);
      pseudo[9] = (byte) protocol;
      put16(pseudo, 10, segment.length);
    } else {
      pseudo = new byte[40];
      System.arraycopy(src.getAddress(), 0, pseudo, 0, 16);
      System.arraycopy(dst.getAddress(), 0, pseudo, 16, 16);
      put32(pseudo, 32, segment.length);
      pseudo[39] = (byte) protocol;
    }
    return checksum(segment, 0, segment.length, sum(pseudo, 0, pseudo.length));
  }

  /** The internet checksum (RFC 1071) of {@code len} bytes, after a partial sum {@code initial}. */
  static int checksum(byte[] b, int off, int len, long initial) {
    long s = initial + sum(b, off, len);
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) (~s & 0xffff);
  }

  private static long sum(byte[] b, int off, int len) {
    long s = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      s += u16(b, off + i);
    }
    if (len % 2 == 1) {
      s += (b[off + len - 1] & 0xff) << 8;
    }
    return s;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static int u32(byte[] b, int off) {
    return (u16(b, off) << 16) | u16(b, off + 2);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, int v) {
    put16(b, off, v >>> 16);
    put16(b, off + 2, v);
  }
}
