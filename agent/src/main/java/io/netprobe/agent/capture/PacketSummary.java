package io.netprobe.agent.capture;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One captured packet in plain fields: when (ms from capture start), where (interface, direction:
 * in, out or null when unknown), the addresses as they were on the wire (after NAT), TCP flags
 * ("S", "SA", "R", "RA", "F", ...) or ICMP type/code/id/seq. For an ICMP error, id and seq name the
 * flow it is about: the source and destination port of the TCP or UDP packet it quotes, or the
 * identifier and sequence number of the echo request. Built by one factory per protocol ({@link
 * #tcp}, {@link #udp}, {@link #icmp}, {@link #other}) from the IP header's {@link Ip}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PacketSummary(
    double atMs,
    String iface,
    Direction direction,
    Protocol protocol,
    Integer ipProtocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    String tcpFlags,
    Integer icmpType,
    Integer icmpCode,
    Integer icmpId,
    Integer icmpSeq,
    int length,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Integer vlan) {

  /** A packet seen without an 802.1Q tag. */
  public PacketSummary(
      double atMs,
      String iface,
      Direction direction,
      Protocol protocol,
      Integer ipProtocol,
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
    this(
        atMs,
        iface,
        direction,
        protocol,
        ipProtocol,
        src,
        dst,
        srcPort,
        dstPort,
        tcpFlags,
        icmpType,
        icmpCode,
        icmpId,
        icmpSeq,
        length,
        null);
  }

  /** The same packet, as it was seen tagged with VLAN {@code id} (a trunk, a mirror port). */
  public PacketSummary withVlan(Integer id) {
    return new PacketSummary(
        atMs,
        iface,
        direction,
        protocol,
        ipProtocol,
        src,
        dst,
        srcPort,
        dstPort,
        tcpFlags,
        icmpType,
        icmpCode,
        icmpId,
        icmpSeq,
        length,
        id);
  }

  /** Which way a packet crossed the captured interface. */
  public enum Direction {
    IN,
    OUT;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Direction of(String name) {
      return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** The IP protocol a packet carries; any other than these three is OTHER, with its number. */
  public enum Protocol {
    TCP,
    UDP,
    ICMP,
    OTHER;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Protocol of(String name) {
      return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** What every packet has: when and where it was seen, its addresses and its IP length. */
  public record Ip(
      double atMs, String iface, Direction direction, String src, String dst, int length) {}

  public static PacketSummary tcp(Ip ip, int srcPort, int dstPort, String flags) {
    return new PacketSummary(
        ip.atMs,
        ip.iface,
        ip.direction,
        Protocol.TCP,
        null,
        ip.src,
        ip.dst,
        srcPort,
        dstPort,
        flags,
        null,
        null,
        null,
        null,
        ip.length);
  }

  public static PacketSummary udp(Ip ip, int srcPort, int dstPort) {
    return new PacketSummary(
        ip.atMs,
        ip.iface,
        ip.direction,
        Protocol.UDP,
        null,
        ip.src,
        ip.dst,
        srcPort,
        dstPort,
        null,
        null,
        null,
        null,
        null,
        ip.length);
  }

  /** An ICMP message; {@code id} and {@code seq} only for echoes (null otherwise). */
  public static PacketSummary icmp(Ip ip, int type, int code, Integer id, Integer seq) {
    return new PacketSummary(
        ip.atMs,
        ip.iface,
        ip.direction,
        Protocol.ICMP,
        null,
        ip.src,
        ip.dst,
        null,
        null,
        null,
        type,
        code,
        id,
        seq,
        ip.length);
  }

  public static PacketSummary other(Ip ip, int ipProtocol) {
    return new PacketSummary(
        ip.atMs,
        ip.iface,
        ip.direction,
        Protocol.OTHER,
        ipProtocol,
        ip.src,
        ip.dst,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ip.length);
  }

  /** An ICMPv6 message other than an echo or an error (neighbour discovery): its type and code. */
  public PacketSummary withIcmp6(int type, int code) {
    return new PacketSummary(
        atMs,
        iface,
        direction,
        protocol,
        ipProtocol,
        src,
        dst,
        srcPort,
        dstPort,
        tcpFlags,
        type,
        code,
        icmpId,
        icmpSeq,
        length,
        vlan);
  }

  /** Whether this is an ICMP error (not an echo): its id and seq then name the flow it quotes. */
  public boolean isIcmpError() {
    return protocol == Protocol.ICMP && icmpType != null && icmpType != 0 && icmpType != 8;
  }

  /**
   * Whether this ICMP error is about a TCP or UDP packet from {@code srcPort} to {@code dstPort}:
   * true also when the quote was not read (an older agent, a short quote).
   */
  public boolean quotes(Integer srcPort, Integer dstPort) {
    return icmpId == null || (icmpId.equals(srcPort) && icmpSeq.equals(dstPort));
  }

  /** True when it went that way, or when its way is unknown (it may have). */
  public boolean mayGo(Direction way) {
    return direction == null || direction == way;
  }

  private static String withPort(String address, int port) {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }

  /** A one-line description, tcpdump-like. */
  public String describe() {
    String from = srcPort == null ? src : withPort(src, srcPort);
    String to = dstPort == null ? dst : withPort(dst, dstPort);
    String what =
        tcpFlags != null
            ? "TCP [" + tcpFlags + "]"
            : icmpType != null
                ? (protocol == Protocol.OTHER ? "ICMPv6 type " : "ICMP type ")
                    + icmpType
                    + " code "
                    + icmpCode
                : protocol == Protocol.OTHER ? "ip/" + ipProtocol : protocol.wireName();
    return (direction == null ? "" : direction.wireName() + " ")
        + (vlan == null ? "" : "vlan " + vlan + " ")
        + from
        + " > "
        + to
        + " "
        + what;
  }
}
