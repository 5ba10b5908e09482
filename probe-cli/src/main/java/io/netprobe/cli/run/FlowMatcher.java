package io.netprobe.cli.run;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.matrix.Check;
import java.util.List;
import java.util.Set;

/**
 * Finds one check's packets in a node's capture by its flow marks: the ICMP echo identifier the
 * agent derived from the check's mark, or the TCP/UDP source port the probe used, with the service
 * port (after a port forward) or the port probed as destination. A flow that a proxy or a NAT
 * re-sourced on the way is not matched: the capture then says nothing about it.
 */
final class FlowMatcher {
  private FlowMatcher() {}

  /** The packets of the check's request that arrived at the node. */
  static List<PacketSummary> requests(Check check, ProbeResult r, List<PacketSummary> packets) {
    if (check.probe() instanceof ProbeSpec.Icmp) {
      Integer id = r.echoes() == null ? null : r.echoes().identifier();
      return oneSource(
          r,
          packets.stream()
              .filter(p -> !"out".equals(p.direction()))
              .filter(p -> isIcmp(p, 8) && id != null && id.equals(p.icmpId()))
              .toList());
    }
    Set<Integer> ports = ports(check);
    String protocol = protocol(check);
    return oneSource(
        r,
        packets.stream()
            .filter(p -> !"out".equals(p.direction()))
            .filter(p -> protocol.equalsIgnoreCase(p.protocol()))
            .filter(p -> r.sourcePort() != null && r.sourcePort().equals(p.srcPort()))
            .filter(p -> p.dstPort() != null && ports.contains(p.dstPort()))
            .toList());
  }

  /**
   * The requests of one sender. Two sources may pick the same source port (or echo id) towards the
   * same target, each in its own namespace: the probe's own source address tells its packets apart.
   * When none carries it (a NAT re-sourced the flow on the way), the first sender's.
   */
  private static List<PacketSummary> oneSource(ProbeResult r, List<PacketSummary> candidates) {
    if (candidates.size() < 2) {
      return candidates;
    }
    String own = r.sourceAddress();
    String sender =
        candidates.stream().anyMatch(p -> p.src().equals(own)) ? own : candidates.get(0).src();
    return candidates.stream().filter(p -> p.src().equals(sender)).toList();
  }

  /** What the node sent back for those requests: replies, RSTs, ICMP errors about them. */
  static List<PacketSummary> replies(
      Check check, List<PacketSummary> requests, List<PacketSummary> packets) {
    if (requests.isEmpty()) {
      return List.of();
    }
    PacketSummary first = requests.get(0);
    if (check.probe() instanceof ProbeSpec.Icmp) {
      return packets.stream()
          .filter(p -> !"in".equals(p.direction()))
          .filter(p -> isIcmp(p, 0) && first.icmpId() != null && first.icmpId().equals(p.icmpId()))
          .filter(p -> first.src().equals(p.dst()))
          .toList();
    }
    return packets.stream()
        .filter(p -> !"in".equals(p.direction()))
        .filter(
            p ->
                (protocol(check).equalsIgnoreCase(p.protocol())
                        && first.srcPort().equals(p.dstPort())
                        && first.dstPort().equals(p.srcPort())
                        && first.src().equals(p.dst()))
                    || (p.icmpType() != null && p.icmpType() == 3 && first.src().equals(p.dst())))
        .toList();
  }

  private static boolean isIcmp(PacketSummary p, int type) {
    return p.icmpType() != null && p.icmpType() == type;
  }

  private static String protocol(Check check) {
    return check.probe() instanceof ProbeSpec.Udp ? "udp" : "tcp";
  }

  /** The ports a request may carry at the target: the service port and the port probed. */
  static Set<Integer> ports(Check check) {
    int service = Explainer.servicePort(check);
    int wire = check.to().wirePort(service);
    return Set.copyOf(List.of(service, wire));
  }
}
