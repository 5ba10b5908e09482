package io.netprobe.agent.trace;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The one flow a trace follows, and its packet for each TTL. Everything an ECMP hash may read stays
 * the same from TTL to TTL (Paris traceroute): addresses, protocol, ports, the echo identifier and
 * checksum, IPv6's flow label. What tells the TTLs apart is in fields no router hashes: the IP ID
 * ({@code ipIdBase + ttl}) in every IPv4 packet, and the TCP sequence number or echo sequence
 * number ({@code seqBase + ttl}), which the destination's own answer echoes back. IPv6 has no IP
 * ID: a UDP datagram's length tells its TTL ({@code ttl} bytes of padding after the mark).
 *
 * @param icmpId the echo identifier (icmp)
 * @param seqBase the TCP sequence number (32 bits) or echo sequence number (16 bits) of TTL 0
 */
record TraceFlow(
    TraceType type,
    InetAddress source,
    InetAddress destination,
    int sourcePort,
    int port,
    int icmpId,
    int ipIdBase,
    int seqBase,
    String mark) {

  int ipId(int ttl) {
    return (ipIdBase + ttl) & 0xffff;
  }

  int sequence(int ttl) {
    return type == TraceType.ICMP ? (seqBase + ttl) & 0xffff : seqBase + ttl;
  }

  boolean ipv6() {
    return destination instanceof Inet6Address;
  }

  /** The IP protocol (next header) of the flow's packets: ICMPv6 is 58. */
  int protocol() {
    return type == TraceType.ICMP && ipv6() ? TracePackets.ICMPV6 : type.protocol();
  }

  String markText() {
    return mark == null ? "-" : mark;
  }

  /** The whole IPv4 or IPv6 packet for one TTL (hop limit). */
  byte[] packet(int ttl) {
    String m = markText();
    boolean v6 = ipv6();
    byte[] l4 =
        switch (type) {
          case ICMP ->
              v6
                  ? TracePackets.echoRequest6(source, destination, icmpId, sequence(ttl), m)
                  : TracePackets.echoRequest(icmpId, sequence(ttl), m);
          case TCP -> TracePackets.tcpSyn(source, destination, sourcePort, port, sequence(ttl));
          case UDP -> TracePackets.udp(source, destination, sourcePort, port, m, v6 ? ttl : 0);
        };
    return v6
        ? TracePackets.ipv6(source, destination, protocol(), ttl, l4)
        : TracePackets.ipv4(
            (java.net.Inet4Address) source,
            (java.net.Inet4Address) destination,
            type.protocol(),
            ttl,
            ipId(ttl),
            l4);
  }

  /** How the packets look, for the first evidence line. */
  String describe(int maxHops) {
    String src = io.netprobe.agent.address.Addresses.text(source);
    String dst = io.netprobe.agent.address.Addresses.text(destination);
    String what =
        switch (type) {
          case ICMP ->
              maxHops
                  + " echo requests from "
                  + src
                  + " to "
                  + dst
                  + " (id "
                  + icmpId
                  + ", seq "
                  + seqBase
                  + "+TTL)";
          case TCP ->
              maxHops
                  + " SYNs from "
                  + io.netprobe.agent.address.Addresses.withPort(src, sourcePort)
                  + " to "
                  + io.netprobe.agent.address.Addresses.withPort(dst, port)
                  + " (seq "
                  + Integer.toUnsignedString(seqBase)
                  + "+TTL)";
          case UDP ->
              maxHops
                  + " datagrams from "
                  + io.netprobe.agent.address.Addresses.withPort(src, sourcePort)
                  + " to "
                  + io.netprobe.agent.address.Addresses.withPort(dst, port);
        };
    if (ipv6()) {
      return what
          + ", hop limit 1.."
          + maxHops
          + (type == TraceType.UDP ? ", TTL bytes of padding each" : "")
          + ", sent at once";
    }
    return what + ", TTL 1.." + maxHops + ", IP ID " + ipIdBase + "+TTL, sent at once";
  }
}
