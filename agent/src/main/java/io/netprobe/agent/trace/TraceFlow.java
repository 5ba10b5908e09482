package io.netprobe.agent.trace;

import java.net.Inet4Address;

/**
 * The one flow a trace follows, and its packet for each TTL. Everything an ECMP hash may read stays
 * the same from TTL to TTL (Paris traceroute): addresses, protocol, ports, the echo identifier and
 * checksum. What tells the TTLs apart is in fields no router hashes: the IP ID ({@code ipIdBase +
 * ttl}) in every packet, and the TCP sequence number or echo sequence number ({@code seqBase +
 * ttl}), which the destination's own answer echoes back.
 *
 * @param icmpId the echo identifier (icmp)
 * @param seqBase the TCP sequence number (32 bits) or echo sequence number (16 bits) of TTL 0
 */
record TraceFlow(
    TraceType type,
    Inet4Address source,
    Inet4Address destination,
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

  /** The whole IPv4 packet for one TTL. */
  byte[] packet(int ttl) {
    String m = mark == null ? "-" : mark;
    byte[] l4 =
        switch (type) {
          case ICMP -> TracePackets.echoRequest(icmpId, sequence(ttl), m);
          case TCP -> TracePackets.tcpSyn(source, destination, sourcePort, port, sequence(ttl));
          case UDP -> TracePackets.udp(source, destination, sourcePort, port, m);
        };
    return TracePackets.ipv4(source, destination, type.protocol(), ttl, ipId(ttl), l4);
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
                  + src
                  + ":"
                  + sourcePort
                  + " to "
                  + dst
                  + ":"
                  + port
                  + " (seq "
                  + Integer.toUnsignedString(seqBase)
                  + "+TTL)";
          case UDP ->
              maxHops + " datagrams from " + src + ":" + sourcePort + " to " + dst + ":" + port;
        };
    return what + ", TTL 1.." + maxHops + ", IP ID " + ipIdBase + "+TTL, sent at once";
  }
}
