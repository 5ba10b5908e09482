package io.netprobe.cli.explain;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.NodeKind;
import io.netprobe.matrix.PathKind;
import io.netprobe.report.model.PathHop;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The evidence model: everything the agents saw of one check. The source's probe result, its route
 * and what its own capture saw leave and come back; what the target saw arrive and leave, directly
 * or relayed by a proxy; the neighbour (ARP) state of the next hops that matter. The {@link
 * Explainer} turns it into a verdict and may only say what some part of it shows.
 *
 * @param check the check
 * @param probe the source agent's result
 * @param sourceRoute the route the source kernel picks for the target address
 * @param source what the source node saw of its own flow, or {@link SourceView#none}
 * @param target what the target node saw, or {@link TargetView#none} without an agent there
 * @param dropRules the DROP and REJECT rules, on any node with an agent, whose packet counters grew
 *     during the run and that match this check's flow, surest first
 * @param trace a path trace of the same flow, hop by hop, for a cell lost on the way; empty when
 *     none was made
 * @param switches what the switches of the run (Open vSwitch on a node) say of the ports of the
 *     source and of its next hop, where one of them is known behind a port; empty without switches
 * @param translations the nodes whose connection table shows this check's connection translated (a
 *     DNAT, a port forward, a Service's rule), read after the probes; empty when none did
 * @param onTheWay what the captures of other nodes of the run (routers, a switch's mirror port) saw
 *     of the request, for a check that did not reach
 */
public record Observation(
    Check check,
    ProbeResult probe,
    Optional<RouteChoice> sourceRoute,
    SourceView source,
    TargetView target,
    List<RuleHit> dropRules,
    List<PathHop> trace,
    List<SwitchView> switches,
    List<NatView> translations,
    List<Seen> onTheWay) {
  public Observation {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(probe, "probe (check " + check.id() + ")");
    Objects.requireNonNull(sourceRoute, "sourceRoute");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    dropRules = List.copyOf(dropRules);
    trace = List.copyOf(trace);
    switches = switches == null ? List.of() : List.copyOf(switches);
    translations = translations == null ? List.of() : List.copyOf(translations);
    onTheWay = onTheWay == null ? List.of() : List.copyOf(onTheWay);
  }

  /** The request's packets a node's capture saw, on a node that is neither end of the check. */
  public record Seen(String node, List<PacketSummary> packets) {
    public Seen {
      packets = List.copyOf(packets);
    }
  }

  /**
   * A node that translated the check's connection: the translation, how it is known ({@code its
   * connection table}, or the DNAT rule whose counter grew), the node that owns the address it went
   * to (null when none of the run does) and the TCP ports that node listens on.
   */
  public record NatView(
      String node,
      Facts.Translation translation,
      String how,
      String toNode,
      List<Integer> toListening) {
    public NatView {
      toListening = toListening == null ? List.of() : List.copyOf(toListening);
    }
  }

  /** The first translation that sent the connection elsewhere (a DNAT), if a node made one. */
  public Optional<NatView> redirect() {
    return translations.stream().filter(n -> n.translation().redirected()).findFirst();
  }

  /** An observation without switches, translations or captures on the way. */
  public Observation(
      Check check,
      ProbeResult probe,
      Optional<RouteChoice> sourceRoute,
      SourceView source,
      TargetView target,
      List<RuleHit> dropRules,
      List<PathHop> trace) {
    this(
        check,
        probe,
        sourceRoute,
        source,
        target,
        dropRules,
        trace,
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * A switch's word on a check: the port behind which it knows the source's MAC address, and the
   * port of the source's next hop (the target on its LAN, or its gateway), either null when the
   * switch knows no port for it.
   */
  public record SwitchView(
      String node, Facts.SwitchPort source, Facts.SwitchPort nextHop, String nextHopIp) {
    /** True when both ports are known and no VLAN joins them. */
    public boolean splits() {
      return source != null && nextHop != null && !source.sharesVlanWith(nextHop);
    }
  }

  /** The first switch that holds the source and its next hop apart on different VLANs. */
  public Optional<SwitchView> vlanSplit() {
    return switches.stream().filter(SwitchView::splits).findFirst();
  }

  /** An observation without a path trace. */
  public Observation(
      Check check,
      ProbeResult probe,
      Optional<RouteChoice> sourceRoute,
      SourceView source,
      TargetView target,
      List<RuleHit> dropRules) {
    this(check, probe, sourceRoute, source, target, dropRules, List.of());
  }

  /** An observation without rule counters. */
  public Observation(
      Check check,
      ProbeResult probe,
      Optional<RouteChoice> sourceRoute,
      SourceView source,
      TargetView target) {
    this(check, probe, sourceRoute, source, target, List.of());
  }

  /** An observation without the source's own capture (a source that cannot capture). */
  public Observation(
      Check check, ProbeResult probe, Optional<RouteChoice> sourceRoute, TargetView target) {
    this(check, probe, sourceRoute, SourceView.none(), target);
  }

  /**
   * A filter rule that counted packets during the run and matches the check's flow.
   *
   * @param node the node whose rule it is
   * @param rule the rule in plain words: {@code FORWARD rule 4 `-p tcp --dport 50000 -j DROP` (+1
   *     packet)}
   * @param certain true when every match of the rule fits the flow; false when some could not be
   *     checked (a set, a connection state)
   * @param nextHop true when the node is the source's next hop (its route's gateway is the node's)
   */
  public record RuleHit(String node, String rule, boolean certain, boolean nextHop) {
    /** A rule hit on a node that is not known to be the source's next hop. */
    public RuleHit(String node, String rule, boolean certain) {
      this(node, rule, certain, false);
    }
  }

  /** The last hop of the path trace that answered, if any did. */
  public Optional<PathHop> lastAnswered() {
    return trace.stream().filter(PathHop::answered).reduce((a, b) -> b);
  }

  /** True when the path trace reached the target (its last hop is the target's reply). */
  public boolean traceReached() {
    return !trace.isEmpty() && "reply".equals(trace.get(trace.size() - 1).kind());
  }

  /** The surest rule that dropped or rejected the flow: certain, or the only candidate. */
  public Optional<RuleHit> dropRule() {
    return dropRules.stream()
        .filter(RuleHit::certain)
        .findFirst()
        .or(() -> dropRules.size() == 1 ? Optional.of(dropRules.get(0)) : Optional.empty());
  }

  public PathKind path() {
    return check.to().path();
  }

  /**
   * The IP the packets went to: the target's address, or for a host name what the source's agent
   * resolved it to (the name itself when it did not resolve).
   */
  public String targetIp() {
    return targetIp(check, probe);
  }

  /**
   * A reached TCP cell's handshake as the source's capture timed it, its SYN leaving to the SYN-ACK
   * arriving (the kernel's clock). The probe's own clock also counts its thread's wait for a core:
   * on a busy run (the demo's first probes) 265 ms for a handshake the wire shows in 0.1 ms. Empty
   * where the source captured neither.
   */
  public Optional<Double> handshakeOnWireMs() {
    Optional<PacketSummary> syn =
        source.sent().stream().filter(p -> "S".equals(p.tcpFlags())).findFirst();
    return syn.flatMap(
        s ->
            source.answers().stream()
                .filter(p -> "SA".equals(p.tcpFlags()) && p.atMs() >= s.atMs())
                .findFirst()
                .map(a -> Math.round((a.atMs() - s.atMs()) * 1000.0) / 1000.0));
  }

  /**
   * A TCP cell's handshake time, the one a report gives: {@link #handshakeOnWireMs} where the
   * source captured it, else the probe's own; null where the probe completed no handshake.
   */
  public Double handshakeMs() {
    Double probed = io.netprobe.agent.probe.TcpProbe.handshakeMs(probe);
    return probed == null ? null : handshakeOnWireMs().orElse(probed);
  }

  /** {@link #targetIp()} before there is an observation. */
  public static String targetIp(Check check, ProbeResult probe) {
    return check.to().isHostName() && probe.address() != null && !probe.address().isBlank()
        ? probe.address()
        : check.to().ip();
  }

  /** The next hop the source's route sends the packets to: its gateway, or the target on-link. */
  public Optional<String> nextHop() {
    return nextHop(sourceRoute, targetIp());
  }

  /** The next hop of a route to {@code destination}: its gateway, or the destination on-link. */
  public static Optional<String> nextHop(Optional<RouteChoice> route, String destination) {
    return route
        .filter(rc -> rc.route() != null && rc.error() == null)
        .filter(rc -> !"local".equals(rc.route().type()))
        .map(rc -> rc.route().gateway() != null ? rc.route().gateway() : destination);
  }

  /**
   * What the source node's own capture saw of the check's flow.
   *
   * @param kind the source node's kind (a container's packets meet Docker's isolation), or null
   * @param captured true when a capture ran on the source
   * @param sent the request's packets leaving the source (after the source's own firewall)
   * @param answers packets of the flow arriving at the source: echo replies, SYN-ACK, RST
   * @param ownAddresses every address of the source's interfaces
   * @param nextHop the source's neighbour entry for its route's next hop, when it has one
   * @param networks the networks of the source's interfaces in CIDR form ({@code 172.17.0.2/16}),
   *     empty when its facts are missing
   * @param neighbourTableFull the source's kernel refused sends of this run for want of room
   *     (ENOBUFS: its neighbour table, one for every namespace of its machine, was full)
   * @param requestLeftAfterMs how long after the probe began its first request left the source's
   *     interface, from the source's capture and the probe's clock (one machine's); empty when
   *     either is missing
   */
  public record SourceView(
      NodeKind kind,
      boolean captured,
      List<PacketSummary> sent,
      List<PacketSummary> answers,
      Set<String> ownAddresses,
      Optional<Neighbour> nextHop,
      List<String> networks,
      boolean neighbourTableFull,
      Optional<Double> requestLeftAfterMs) {
    public SourceView {
      sent = List.copyOf(sent);
      answers = List.copyOf(answers);
      ownAddresses = Set.copyOf(ownAddresses);
      Objects.requireNonNull(nextHop, "nextHop");
      networks = networks == null ? List.of() : List.copyOf(networks);
      requestLeftAfterMs = requestLeftAfterMs == null ? Optional.empty() : requestLeftAfterMs;
    }

    /** A source view without the time its request left. */
    public SourceView(
        NodeKind kind,
        boolean captured,
        List<PacketSummary> sent,
        List<PacketSummary> answers,
        Set<String> ownAddresses,
        Optional<Neighbour> nextHop,
        List<String> networks,
        boolean neighbourTableFull) {
      this(
          kind,
          captured,
          sent,
          answers,
          ownAddresses,
          nextHop,
          networks,
          neighbourTableFull,
          Optional.empty());
    }

    /** The same view, knowing when the first request left after the probe began. */
    public SourceView withRequestLeftAfterMs(Optional<Double> ms) {
      return new SourceView(
          kind, captured, sent, answers, ownAddresses, nextHop, networks, neighbourTableFull, ms);
    }

    /** A source view whose kernel had room for every send. */
    public SourceView(
        NodeKind kind,
        boolean captured,
        List<PacketSummary> sent,
        List<PacketSummary> answers,
        Set<String> ownAddresses,
        Optional<Neighbour> nextHop,
        List<String> networks) {
      this(kind, captured, sent, answers, ownAddresses, nextHop, networks, false);
    }

    /** A source view whose interfaces' networks are not known. */
    public SourceView(
        NodeKind kind,
        boolean captured,
        List<PacketSummary> sent,
        List<PacketSummary> answers,
        Set<String> ownAddresses,
        Optional<Neighbour> nextHop) {
      this(kind, captured, sent, answers, ownAddresses, nextHop, List.of());
    }

    /** Whether {@code ip} is on one of the source's own networks: empty when they are not known. */
    public Optional<Boolean> onOwnNetwork(String ip) {
      if (networks.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(networks.stream().anyMatch(cidr -> inCidr(ip, cidr)));
    }

    private static boolean inCidr(String ip, String cidr) {
      String[] parts = cidr.split("/");
      long a = ipv4(ip);
      long net = ipv4(parts[0]);
      if (a < 0 || net < 0) {
        return false;
      }
      int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
      long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
      return (a & mask) == (net & mask);
    }

    private static long ipv4(String ip) {
      String[] o = ip.split("\\.");
      if (o.length != 4) {
        return -1;
      }
      long v = 0;
      for (String part : o) {
        try {
          v = v << 8 | Integer.parseInt(part);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
      return v;
    }

    /** No capture on the source, no facts of its own. */
    public static SourceView none() {
      return none(null);
    }

    /** No capture on a source of that kind. */
    public static SourceView none(NodeKind kind) {
      return new SourceView(kind, false, List.of(), List.of(), Set.of(), Optional.empty());
    }

    /** True when the source captured and none of the request's packets left it. */
    public boolean neverLeft() {
      return captured && sent.isEmpty();
    }

    /**
     * The time from the first request leaving to the first answer arriving, from the source's own
     * capture; empty when it saw no answer.
     */
    public Optional<Double> answerDelayMs() {
      if (sent.isEmpty() || answers.isEmpty()) {
        return Optional.empty();
      }
      double first = sent.get(0).atMs();
      return answers.stream().map(a -> a.atMs() - first).filter(d -> d >= 0).min(Double::compare);
    }
  }

  /**
   * What the target node's agent saw during the run, for this check's flow.
   *
   * @param node the target node's name, or null for a literal address
   * @param captured true when a capture ran there (false: nothing can be said of arrival)
   * @param whyNot why there was no capture, when {@code captured} is false
   * @param windowMs how long the capture watched
   * @param requests packets of the flow that arrived at the target
   * @param replies packets the target sent back for the flow (replies, RST, ICMP errors)
   * @param relayed a connection to the probed service that arrived from another source port while
   *     the probe ran, when the flow itself did not: a proxy or user-space forward re-sourced it
   * @param relayReplies what the target sent back to that relayed connection
   * @param listening the target's listening sockets on the probed port
   * @param routeBack the target's route to the source address the request arrived from
   * @param routeBackHop the target's neighbour entry for that route's next hop
   * @param neighbourTableFull the target's kernel refused sends of this run for want of room
   *     (ENOBUFS: its machine's one neighbour table was full), so it may not have been able to
   *     address an answer
   */
  public record TargetView(
      String node,
      boolean captured,
      String whyNot,
      long windowMs,
      List<PacketSummary> requests,
      List<PacketSummary> replies,
      List<PacketSummary> relayed,
      List<PacketSummary> relayReplies,
      List<Listener> listening,
      Optional<RouteChoice> routeBack,
      Optional<Neighbour> routeBackHop,
      boolean neighbourTableFull,
      java.util.Set<String> addresses) {
    public TargetView {
      addresses = addresses == null ? java.util.Set.of() : java.util.Set.copyOf(addresses);
      requests = List.copyOf(requests);
      replies = List.copyOf(replies);
      relayed = List.copyOf(relayed);
      relayReplies = List.copyOf(relayReplies);
      listening = List.copyOf(listening);
      Objects.requireNonNull(routeBack, "routeBack");
      Objects.requireNonNull(routeBackHop, "routeBackHop");
    }

    /** A capture that saw the flow (or not), before any facts about the way back. */
    public static TargetView seen(
        String node,
        long windowMs,
        List<PacketSummary> requests,
        List<PacketSummary> replies,
        List<PacketSummary> relayed,
        List<PacketSummary> relayReplies,
        List<Listener> listening) {
      return new TargetView(
          node,
          true,
          null,
          windowMs,
          requests,
          replies,
          relayed,
          relayReplies,
          listening,
          Optional.empty(),
          Optional.empty(),
          false,
          null);
    }

    /** No agent at the target (an outside server, or the node could not be reached). */
    public static TargetView none(String node, String whyNot) {
      return new TargetView(
          node,
          false,
          whyNot,
          0,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          false,
          null);
    }

    public boolean arrived() {
      return !requests.isEmpty();
    }

    /** True when the flow did not arrive itself, but a relay's connection to the service did. */
    public boolean relayArrived() {
      return requests.isEmpty() && !relayed.isEmpty();
    }

    /** The address the request arrived from (after any NAT), or null. */
    public String arrivedFrom() {
      return requests.isEmpty() ? null : requests.get(0).src();
    }

    /** The same view, knowing whether the target's kernel refused sends of this run (ENOBUFS). */
    public TargetView withNeighbourTableFull(boolean full) {
      return withLateFacts(routeBack, routeBackHop, full);
    }

    /** The same, with the target's route back to the source its capture saw, and its next hop. */
    public TargetView withRouteBack(Optional<RouteChoice> route, Optional<Neighbour> hop) {
      return withLateFacts(route, hop, neighbourTableFull);
    }

    /** The same view with what is read after the probes: the way back, the table's state. */
    private TargetView withLateFacts(
        Optional<RouteChoice> route, Optional<Neighbour> hop, boolean full) {
      return new TargetView(
          node,
          captured,
          whyNot,
          windowMs,
          requests,
          replies,
          relayed,
          relayReplies,
          listening,
          route,
          hop,
          full,
          addresses);
    }

    /**
     * The same, knowing the target's own addresses: a node answers no packet addressed to an
     * address it does not have (it drops it, or forwards it on where nobody has it either).
     */
    public TargetView withAddresses(java.util.Set<String> own) {
      return new TargetView(
          node,
          captured,
          whyNot,
          windowMs,
          requests,
          replies,
          relayed,
          relayReplies,
          listening,
          routeBack,
          routeBackHop,
          neighbourTableFull,
          own);
    }

    /**
     * The address the request arrived addressed to, when the target's agent read its addresses and
     * that is not one of them (a host that lost it, still sent it by a stale neighbour entry).
     */
    public Optional<String> notItsAddress() {
      if (requests.isEmpty() || addresses.isEmpty()) {
        return Optional.empty();
      }
      String dst = requests.get(0).dst();
      return addresses.contains(dst) ? Optional.empty() : Optional.of(dst);
    }
  }
}
