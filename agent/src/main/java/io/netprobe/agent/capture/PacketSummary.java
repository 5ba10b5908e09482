package io.netprobe.agent.capture;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One captured packet in plain fields: when (ms from capture start), where (interface, direction:
 * in, out or null when unknown), the addresses as they were on the wire (after NAT), TCP flags
 * ("S", "SA", "R", "RA", "F", ...) or ICMP type/code/id/seq.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PacketSummary(
    double atMs,
    String iface,
    String direction,
    String protocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    String tcpFlags,
    Integer icmpType,
    Integer icmpCode,
    Integer icmpId,
    Integer icmpSeq,
    int length) {

  /** A one-line description, tcpdump-like. */
  public String describe() {
    String from = srcPort == null ? src : src + ":" + srcPort;
    String to = dstPort == null ? dst : dst + ":" + dstPort;
    String what =
        tcpFlags != null
            ? "TCP [" + tcpFlags + "]"
            : icmpType != null ? "ICMP type " + icmpType + " code " + icmpCode : protocol;
    return (direction == null ? "" : direction + " ") + from + " > " + to + " " + what;
  }
}
