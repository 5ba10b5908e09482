package io.netprobe.agent.rules;

import java.util.Locale;
import java.util.Set;

/**
 * A flow as a rule would see one of its packets; any field may be null (unknown), and a rule that
 * tests an unknown field gives {@link Match#MAYBE}.
 *
 * @param protocol tcp, udp or icmp
 * @param src the source address (IPv4 literal)
 * @param dst the destination address
 * @param in the interface the packet came in on ({@code -i})
 * @param out the interface it leaves by ({@code -o})
 * @param icmpType for icmp, the type (8 for an echo request)
 */
public record Flow(
    String protocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    String in,
    String out,
    Integer icmpType) {
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");

  public Flow {
    if (protocol != null) {
      protocol = protocol.toLowerCase(Locale.ROOT);
      if (!PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException(
            "flow protocol must be tcp, udp or icmp (or null, unknown): " + protocol);
      }
    }
    checkPort("srcPort", srcPort);
    checkPort("dstPort", dstPort);
    if (icmpType != null && (icmpType < 0 || icmpType > 255)) {
      throw new IllegalArgumentException("flow icmpType out of range 0..255: " + icmpType);
    }
  }

  private static void checkPort(String field, Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("flow " + field + " out of range 0..65535: " + port);
    }
  }

  /** A TCP flow to {@code dstPort}; the source port and interfaces unknown. */
  public static Flow tcp(String src, String dst, int dstPort) {
    return new Flow("tcp", src, dst, null, dstPort, null, null, null);
  }

  /** A UDP flow to {@code dstPort}. */
  public static Flow udp(String src, String dst, int dstPort) {
    return new Flow("udp", src, dst, null, dstPort, null, null, null);
  }

  /** An ICMP echo request. */
  public static Flow echo(String src, String dst) {
    return new Flow("icmp", src, dst, null, null, null, null, 8);
  }

  public Flow withSrcPort(Integer port) {
    return new Flow(protocol, src, dst, port, dstPort, in, out, icmpType);
  }

  /** The same flow as seen on a node where it comes in on {@code inIface} and leaves by out. */
  public Flow through(String inIface, String outIface) {
    return new Flow(protocol, src, dst, srcPort, dstPort, inIface, outIface, icmpType);
  }
}
