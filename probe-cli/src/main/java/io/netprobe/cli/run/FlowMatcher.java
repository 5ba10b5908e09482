package io.netprobe.cli.run;

import static io.netprobe.agent.capture.PacketSummary.Direction.IN;
import static io.netprobe.agent.capture.PacketSummary.Direction.OUT;

import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec.Transport;
import io.netprobe.matrix.Check;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds one check's packets in a node's capture by its flow marks: the ICMP echo identifier the
 * agent derived from the check's mark, or the TCP/UDP source port the probe used, with the service
 * port (after a port forward) or the port probed as destination. At the target: the requests that
 * arrived and what left in answer; where a proxy or a user-space forward re-sourced the flow, the
 * connection it made to the service while the probe ran ({@link #relayed}). At the source: the
 * requests that left and the answers that came back, however late.
 */
final class FlowMatcher {
  /** How far a relayed connection may be from the probe's own time (clocks, scheduling). */
  private static final double RELAY_SLACK_MS = 50;

  private FlowMatcher() {}

  /** The packets of the check's request that arrived at the node. */
  static List<PacketSummary> requests(Check check, ProbeResult r, List<PacketSummary> packets) {
    return oneSource(
        r, packets.stream().filter(p -> p.mayGo(IN)).filter(request(check, r)).toList());
  }

  /** What the node sent back for those requests: replies, RSTs, ICMP errors about them. */
  static List<PacketSummary> replies(
      Check check, List<PacketSummary> requests, List<PacketSummary> packets) {
    if (requests.isEmpty()) {
      return List.of();
    }
    PacketSummary first = requests.get(0);
    if (transport(check) == Transport.ICMP) {
      return packets.stream()
          .filter(p -> p.mayGo(OUT))
          .filter(p -> isIcmp(p, 0) && first.icmpId() != null && first.icmpId().equals(p.icmpId()))
          .filter(p -> first.src().equals(p.dst()))
          .toList();
    }
    return packets.stream()
        .filter(p -> p.mayGo(OUT))
        .filter(
            p ->
                (isTransport(p, check)
                        && first.srcPort().equals(p.dstPort())
                        && first.dstPort().equals(p.srcPort())
                        && first.src().equals(p.dst()))
                    || (p.icmpType() != null
                        && p.icmpType() == 3
                        && first.src().equals(p.dst())
                        && p.quotes(first.srcPort(), first.dstPort())))
        .toList();
  }

  /** At the source: the request's packets that left it (after its own firewall). */
  static List<PacketSummary> sent(Check check, ProbeResult r, List<PacketSummary> packets) {
    return ofTheProbe(
        r,
        packets.stream().filter(p -> p.mayGo(OUT)).filter(request(check, r)).toList(),
        PacketSummary::dst);
  }

  /** At the source: the answers to the request that arrived (echo replies, SYN-ACK, RST, UDP). */
  static List<PacketSummary> answers(Check check, ProbeResult r, List<PacketSummary> packets) {
    Set<Integer> ports = ports(check);
    Predicate<PacketSummary> answer =
        switch (transport(check)) {
          case ICMP -> {
            Integer id = r.echoes() == null ? null : r.echoes().identifier();
            yield p -> isIcmp(p, 0) && id != null && id.equals(p.icmpId());
          }
          case TCP ->
              p ->
                  isTransport(p, check)
                      && r.sourcePort() != null
                      && r.sourcePort().equals(p.dstPort())
                      && p.srcPort() != null
                      && ports.contains(p.srcPort())
                      && p.tcpFlags() != null
                      && (p.tcpFlags().contains("R") || p.tcpFlags().contains("SA"));
          case UDP ->
              p ->
                  isTransport(p, check)
                      && r.sourcePort() != null
                      && r.sourcePort().equals(p.dstPort())
                      && p.srcPort() != null
                      && ports.contains(p.srcPort());
        };
    List<PacketSummary> answers = packets.stream().filter(p -> p.mayGo(IN)).filter(answer).toList();
    Set<String> sentTo =
        sent(check, r, packets).stream().map(PacketSummary::dst).collect(Collectors.toSet());
    if (answers.isEmpty() || sentTo.isEmpty()) {
      return ofTheProbe(r, answers, PacketSummary::src);
    }
    // an answer comes from where the request went (a translation on the way is undone by then)
    return answers.stream().filter(p -> sentTo.contains(p.src())).toList();
  }

  /**
   * At the source, the packets between it and the address the probe sent to, when the flow mark
   * also matched packets of another address: another run probing from the same node at once ({@code
   * grade --parallel}) whose kernel-chosen source port (or echo id, after it rested) is this
   * probe's, to another target. Without packets of the probe's own address (a translation on the
   * source itself), all of them.
   */
  private static List<PacketSummary> ofTheProbe(
      ProbeResult r, List<PacketSummary> candidates, Function<PacketSummary, String> far) {
    if (candidates.size() < 2 || r.address() == null) {
      return candidates;
    }
    boolean several = candidates.stream().map(far).distinct().count() > 1;
    if (!several || candidates.stream().noneMatch(p -> r.address().equals(far.apply(p)))) {
      return candidates;
    }
    return candidates.stream().filter(p -> r.address().equals(far.apply(p))).toList();
  }

  /**
   * A connection to the check's service that arrived at the target while the probe ran, from
   * another source port than the probe's: what a proxy (docker-proxy, socat, {@code ssh -L}) or a
   * user-space port forward opens for the client it accepted. Only TCP, only for a probe whose
   * handshake completed and was closed at once (a relay; a reset to the SYN is no relay), only when
   * the flow itself did not arrive, and only with both clocks known; the earliest such SYN.
   */
  static List<PacketSummary> relayed(
      Check check, ProbeResult r, CaptureSummary capture, List<PacketSummary> direct) {
    if (transport(check) != Transport.TCP
        || r.status() != io.netprobe.agent.probe.ProbeStatus.CLOSED
        || !direct.isEmpty()
        || r.startedAt() == null
        || capture.startedAt() == null) {
      return List.of();
    }
    double start = r.startedAt() - capture.startedAt() - RELAY_SLACK_MS;
    double end = r.startedAt() - capture.startedAt() + r.elapsedMs() + RELAY_SLACK_MS;
    Set<Integer> ports = ports(check);
    return capture.packets().stream()
        .filter(p -> p.mayGo(IN))
        .filter(p -> isTransport(p, check) && "S".equals(p.tcpFlags()))
        .filter(p -> p.dstPort() != null && ports.contains(p.dstPort()))
        .filter(p -> !p.srcPort().equals(r.sourcePort()) || !p.src().equals(r.sourceAddress()))
        .filter(p -> p.atMs() >= start && p.atMs() <= end)
        .min(Comparator.comparingDouble(PacketSummary::atMs))
        .map(List::of)
        .orElse(List.of());
  }

  /** What the target sent back to a relayed connection: its SYN-ACK or its RST. */
  static List<PacketSummary> relayReplies(
      Check check, List<PacketSummary> relayed, List<PacketSummary> packets) {
    return replies(check, relayed, packets).stream().filter(p -> p.tcpFlags() != null).toList();
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

  /** A packet of the check's request: its echo identifier, or its source and service port. */
  private static Predicate<PacketSummary> request(Check check, ProbeResult r) {
    if (transport(check) == Transport.ICMP) {
      Integer id = r.echoes() == null ? null : r.echoes().identifier();
      return p -> isIcmp(p, 8) && id != null && id.equals(p.icmpId());
    }
    Set<Integer> ports = ports(check);
    return p ->
        isTransport(p, check)
            && r.sourcePort() != null
            && r.sourcePort().equals(p.srcPort())
            && p.dstPort() != null
            && ports.contains(p.dstPort());
  }

  private static boolean isIcmp(PacketSummary p, int type) {
    return p.icmpType() != null && p.icmpType() == type;
  }

  private static boolean isTransport(PacketSummary p, Check check) {
    return p.protocol() != null && p.protocol().name().equals(transport(check).name());
  }

  private static Transport transport(Check check) {
    return check.probe().transport();
  }

  /** The ports a request may carry at the target: the service port and the port probed. */
  static Set<Integer> ports(Check check) {
    int service = check.probe().port();
    int wire = check.to().wirePort(service);
    return Set.copyOf(List.of(service, wire));
  }
}
