package io.netprobe.cli.run;

import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.SocketFailures;
import io.netprobe.agent.rules.Flow;
import io.netprobe.agent.rules.FlowMatch;
import io.netprobe.agent.rules.Match;
import io.netprobe.agent.rules.RuleDiff;
import io.netprobe.agent.rules.RuleText;
import io.netprobe.agent.trace.TraceResult;
import io.netprobe.cli.explain.Observation;
import io.netprobe.cli.explain.Observation.SourceView;
import io.netprobe.cli.explain.Observation.TargetView;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import io.netprobe.matrix.NodeKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Step 4 of the check lifecycle: each check's packets found in the captures of both its ends, with
 * the facts read before the probes (routes, sockets, addresses) and after them (neighbour tables,
 * routes back), as the explainer's evidence model. The facts after the probes are asked only of the
 * nodes that have a cell not reached, all at once.
 */
final class Observations {
  private final Matrix matrix;
  private final Map<String, RunNode> nodes;
  private final Map<String, CaptureSummary> captured;

  /** The captured nodes by name, sorted once (every cell not reached walks them). */
  private final List<String> capturedInOrder;

  private final Captures captures;
  private final NodeFacts facts;
  private final RuleCounters rules;

  Observations(
      Matrix matrix,
      Map<String, RunNode> nodes,
      Map<String, CaptureSummary> captured,
      Captures captures,
      NodeFacts facts,
      RuleCounters rules,
      boolean overflowed) {
    this.overflowed = overflowed;
    this.matrix = matrix;
    this.nodes = nodes;
    this.captured = captured;
    this.capturedInOrder = List.copyOf(new java.util.TreeSet<>(captured.keySet()));
    this.captures = captures;
    this.facts = facts;
    this.rules = rules;
  }

  /**
   * The sources whose kernel refused a send of this run for want of room (ENOBUFS): the neighbour
   * table is one for every namespace of a machine, so every node of this machine (local, netns,
   * Docker) when one of them did, or when this machine's kernel counted an overflow of its table
   * while the probes ran; another machine's node only by its own refusals.
   */
  private Set<String> tableFull = Set.of();

  private final boolean overflowed;

  private static Set<String> tableFull(
      Matrix matrix, Map<Check, Attempts> attempts, boolean overflowed) {
    Set<String> refused = new HashSet<>();
    attempts.forEach(
        (check, a) -> {
          if (a.last().evidence().stream().anyMatch(SocketFailures::saysNoBufferSpace)) {
            refused.add(check.from());
          }
        });
    if (refused.isEmpty() && !overflowed) {
      return Set.of();
    }
    Set<String> here = new HashSet<>();
    matrix.nodes().values().stream()
        .filter(
            n ->
                n.kind() == NodeKind.LOCAL
                    || n.kind() == NodeKind.NETNS
                    || n.kind() == NodeKind.DOCKER)
        .forEach(n -> here.add(n.name()));
    if (overflowed || refused.stream().anyMatch(here::contains)) {
      refused.addAll(here);
    }
    return refused;
  }

  /** The observation of every check that was probed. */
  Map<Check, Observation> read(Map<String, AgentCalls> agents, Map<Check, Attempts> attempts) {
    tableFull = tableFull(matrix, attempts, overflowed);
    // every cell's view of its target's capture, on both cores (the captures and facts are read)
    Map<Check, TargetView> seen = new java.util.concurrent.ConcurrentHashMap<>();
    attempts.entrySet().parallelStream()
        .forEach(e -> seen.put(e.getKey(), targetView(e.getKey(), e.getValue().last())));
    Map<String, Set<String>> late = new HashMap<>();
    attempts.forEach(
        (check, a) -> {
          TargetView view = seen.get(check);
          if (!a.last().status().isReached()) {
            if (agents.containsKey(check.from())) {
              late.computeIfAbsent(check.from(), k -> new LinkedHashSet<>());
            }
            if (view.arrived() && agents.containsKey(view.node())) {
              late.computeIfAbsent(view.node(), k -> new LinkedHashSet<>()).add(view.arrivedFrom());
            }
          }
        });
    if (!late.isEmpty()) {
      // a switch learns the MAC addresses the probes' frames carried, and a forwarding node's
      // connection table holds the translations it made of them: read both again
      facts.switches().keySet().stream()
          .filter(agents::containsKey)
          .forEach(node -> late.computeIfAbsent(node, k -> new LinkedHashSet<>()));
      facts.forwarders().stream()
          .filter(agents::containsKey)
          .forEach(node -> late.computeIfAbsent(node, k -> new LinkedHashSet<>()));
    }
    // the late facts go out at once; meanwhile the rules' counters, read before any trace (its own
    // packets must not count), are matched to the cells, on both cores
    CompletableFuture<NodeFacts> afterFacts =
        late.isEmpty()
            ? CompletableFuture.completedFuture(facts)
            : CompletableFuture.supplyAsync(() -> NodeFacts.late(agents, late));
    Map<String, RuleDiff> grown = late.isEmpty() ? Map.of() : rules.grown(agents.keySet());
    Map<Check, List<Observation.RuleHit>> hits = new java.util.concurrent.ConcurrentHashMap<>();
    attempts.entrySet().parallelStream()
        .filter(e -> !e.getValue().last().status().isReached())
        .forEach(
            e -> {
              Check check = e.getKey();
              ProbeResult r = e.getValue().last();
              TargetView view = seen.get(check);
              hits.put(check, dropRules(check, r, onPath(check, r, view, grown), view));
            });
    Map<Check, ProbeResult> lost = new LinkedHashMap<>();
    attempts.forEach(
        (check, a) -> {
          ProbeResult r = a.last();
          if (hits.containsKey(check) && wantsTrace(check, r, seen.get(check), hits.get(check))) {
            lost.put(check, r);
          }
        });
    Map<Check, CompletableFuture<TraceResult>> traces = Traces.start(agents, lost);
    NodeFacts after = afterFacts.join();
    Map<String, String> owners = owners(after);
    Map<Check, Observation> out = new java.util.concurrent.ConcurrentHashMap<>();
    attempts.entrySet().parallelStream()
        .forEach(
            e -> {
              Check check = e.getKey();
              ProbeResult r = e.getValue().last();
              Optional<RouteChoice> route =
                  facts.route(check.from(), Observation.targetIp(check, r));
              SourceView source = sourceView(check, r, route, after);
              CompletableFuture<TraceResult> trace = traces.get(check);
              out.put(
                  check,
                  new Observation(
                      check,
                      r,
                      route,
                      source,
                      withWayBack(seen.get(check), after)
                          .withNeighbourTableFull(
                              tableFull.contains(
                                  seen.get(check).node() == null ? "" : seen.get(check).node())),
                      hits.getOrDefault(check, List.of()),
                      trace == null ? List.of() : Traces.hops(trace.join(), owners),
                      r.status().isReached() ? List.of() : switchViews(check, r, route, after),
                      r.status().isReached()
                          ? List.of()
                          : natViews(check, r, after, owners, grown, seen.get(check)),
                      r.status().isReached() ? List.of() : onTheWay(check, r, seen.get(check))));
            });
    return new HashMap<>(out);
  }

  /**
   * What each switch of the run says of the check: the port behind which it knows the source's MAC,
   * and the port of the source's next hop's MAC (from the interfaces of the nodes' facts).
   */
  private List<Observation.SwitchView> switchViews(
      Check check, ProbeResult r, Optional<RouteChoice> route, NodeFacts after) {
    Map<String, List<Facts.SwitchPort>> switches = new java.util.TreeMap<>(facts.switches());
    switches.putAll(after.switches());
    if (switches.isEmpty()) {
      return List.of();
    }
    Optional<String> sourceMac =
        route
            .map(rc -> rc.route() == null ? null : rc.route().device())
            .flatMap(device -> facts.mac(check.from(), device));
    String hopIp = Observation.nextHop(route, Observation.targetIp(check, r)).orElse(null);
    Optional<String> hopMac = facts.macOf(hopIp);
    List<Observation.SwitchView> out = new ArrayList<>();
    switches.forEach(
        (node, ports) -> {
          Facts.SwitchPort from = behind(ports, sourceMac);
          Facts.SwitchPort to = behind(ports, hopMac);
          if (from != null || to != null) {
            out.add(new Observation.SwitchView(node, from, to, hopIp));
          }
        });
    return out;
  }

  /**
   * The nodes that translated this check's connection: the DNAT rules whose counters grew on its
   * way ({@link FlowMatch#redirects}), and the connection tables (an entry whose original
   * destination is the target's address and port and whose source port is the probe's; a refused
   * connection leaves none).
   */
  private List<Observation.NatView> natViews(
      Check check,
      ProbeResult r,
      NodeFacts after,
      Map<String, String> owners,
      Map<String, RuleDiff> grown,
      TargetView view) {
    if (r.sourcePort() == null
        || r.sourceAddress() == null
        || check.wireProbe().transport() == ProbeSpec.Transport.ICMP) {
      return List.of();
    }
    String protocol = check.wireProbe().transport().wireName();
    String target = Observation.targetIp(check, r);
    int port = check.wireProbe().port();
    List<Observation.NatView> out = new ArrayList<>();
    Flow flow =
        new Flow(protocol, r.sourceAddress(), target, r.sourcePort(), port, null, null, null);
    // only on nodes the flow went through (as for a drop rule): a rule that grew for another
    // check's flow to the same Service says nothing of this one
    onPath(check, r, view, grown)
        .forEach(
            (node, diff) -> {
              List<FlowMatch.Redirect> redirects = FlowMatch.redirects(flow, diff);
              redirects.stream()
                  .filter(d -> d.match() == Match.YES || redirects.size() == 1)
                  .findFirst()
                  .ifPresent(
                      d -> {
                        String to = owners.get(d.toAddress());
                        out.add(
                            new Observation.NatView(
                                node,
                                new Facts.Translation(
                                    protocol,
                                    r.sourceAddress(),
                                    r.sourcePort(),
                                    target,
                                    port,
                                    d.toAddress(),
                                    d.toPort() == null ? port : d.toPort(),
                                    r.sourceAddress(),
                                    false),
                                "its rule " + RuleText.describe(d.rule()),
                                to,
                                to == null ? List.of() : listening(to, after)));
                      });
            });
    after
        .translations()
        .forEach(
            (node, entries) ->
                entries.stream()
                    .filter(
                        t ->
                            t.protocol().equals(protocol)
                                && t.dst().equals(target)
                                && java.util.Objects.equals(t.dstPort(), port)
                                && java.util.Objects.equals(t.srcPort(), r.sourcePort()))
                    .findFirst()
                    .ifPresent(
                        t -> {
                          String to = owners.get(t.toAddress());
                          if (out.stream().noneMatch(n -> n.node().equals(node))) {
                            out.add(
                                new Observation.NatView(
                                    node,
                                    t,
                                    "its connection table",
                                    to,
                                    to == null ? List.of() : listening(to, after)));
                          }
                        }));
    return out;
  }

  /**
   * What the other nodes' captures saw of the request (a router, a switch's mirror port with the
   * frame's VLAN tag): packets of the flow, to the address probed, on nodes that are neither end.
   */
  private List<Observation.Seen> onTheWay(Check check, ProbeResult r, TargetView target) {
    String key = flowKey(check, r);
    String probed = check.to().ip();
    List<Observation.Seen> out = new ArrayList<>();
    for (String node : marked(key)) {
      if (node.equals(check.from())
          || target != null && node.equals(target.node())
          || usable(node) == null) {
        continue;
      }
      List<PacketSummary> seen =
          FlowMatcher.requests(check, r, candidates(node, check, r)).stream()
              .filter(p -> probed.equals(p.dst()))
              .limit(3)
              .toList();
      if (!seen.isEmpty()) {
        out.add(new Observation.Seen(node, seen));
      }
    }
    return out;
  }

  private List<Integer> listening(String node, NodeFacts after) {
    return after.tcpPorts(node).isEmpty() ? facts.tcpPorts(node) : after.tcpPorts(node);
  }

  private static Facts.SwitchPort behind(List<Facts.SwitchPort> ports, Optional<String> mac) {
    return mac.map(m -> m.toLowerCase(java.util.Locale.ROOT))
        .flatMap(m -> ports.stream().filter(p -> p.macs().contains(m)).findFirst())
        .orElse(null);
  }

  /**
   * A cell lost on the way that nothing else explains: no answer at all, nothing arrived at the
   * target (or no capture there to say), the request did leave the source, no rule took it.
   */
  private boolean wantsTrace(
      Check check, ProbeResult r, TargetView target, List<Observation.RuleHit> hits) {
    if (r.status() != io.netprobe.agent.probe.ProbeStatus.TIMEOUT
        || target == null
        || target.arrived()
        || target.relayArrived()
        || hits.stream().anyMatch(Observation.RuleHit::certain)) {
      return false;
    }
    CaptureSummary source = usable(check.from());
    return source == null
        || !FlowMatcher.sent(check, r, candidates(check.from(), check, r)).isEmpty();
  }

  /**
   * Which node owns each address: every node's interfaces, then the matrix's own addresses of nodes
   * without facts (a port forward's or a floating IP's address belongs to the router in front).
   */
  private Map<String, String> owners(NodeFacts after) {
    Map<String, String> out = new HashMap<>(facts.owners());
    after.owners().forEach(out::putIfAbsent);
    matrix
        .nodes()
        .forEach(
            (name, node) ->
                node.addresses().values().stream()
                    .filter(addr -> !addr.path().isTranslated() && !addr.ip().startsWith("127."))
                    .forEach(addr -> out.putIfAbsent(addr.ip(), name)));
    return out;
  }

  private SourceView sourceView(
      Check check, ProbeResult r, Optional<RouteChoice> route, NodeFacts after) {
    NodeKind kind =
        Optional.ofNullable(matrix.nodes().get(check.from())).map(Node::kind).orElse(null);
    Set<String> own = facts.ownAddresses(check.from());
    Optional<Neighbour> hop =
        Observation.nextHop(route, Observation.targetIp(check, r))
            .flatMap(ip -> after.neighbour(check.from(), ip));
    CaptureSummary summary = usable(check.from());
    if (summary == null) {
      return new SourceView(
          kind, false, List.of(), List.of(), own, hop, facts.networks(check.from()));
    }
    if (r.status().isReached()) {
      // no packet says more of a reached cell, but a TCP one's SYN and SYN-ACK time its handshake
      // by the kernel's clock ({@link Observation#handshakeOnWireMs}), not the probe thread's
      boolean tcp = check.probe().transport() == ProbeSpec.Transport.TCP;
      List<PacketSummary> flow = tcp ? candidates(check.from(), check, r) : List.of();
      return new SourceView(
          kind,
          true,
          tcp ? FlowMatcher.sent(check, r, flow) : List.of(),
          tcp ? FlowMatcher.answers(check, r, flow) : List.of(),
          own,
          hop,
          facts.networks(check.from()));
    }
    List<PacketSummary> flow = candidates(check.from(), check, r);
    List<PacketSummary> sent = FlowMatcher.sent(check, r, flow);
    Optional<Double> leftAfter =
        sent.isEmpty() || r.startedAt() == null || summary.startedAt() == null
            ? Optional.empty()
            : Optional.of(summary.startedAt() + sent.get(0).atMs() - r.startedAt());
    return new SourceView(
            kind,
            true,
            sent,
            FlowMatcher.answers(check, r, flow),
            own,
            hop,
            facts.networks(check.from()),
            tableFull.contains(check.from()))
        .withRequestLeftAfterMs(leftAfter);
  }

  private TargetView targetView(Check check, ProbeResult r) {
    Optional<String> node = check.to().node();
    if (node.isEmpty()) {
      return TargetView.none(null, null);
    }
    String name = node.get();
    if (!nodes.containsKey(name)) {
      return TargetView.none(name, "an address node has no agent");
    }
    String whyNot = captures.whyNot(name);
    CaptureSummary summary = captured.get(name);
    if (whyNot != null || summary == null) {
      return TargetView.none(name, whyNot == null ? "no capture" : whyNot);
    }
    if (summary.truncated()) {
      return TargetView.none(
          name, "its capture stopped keeping packets after " + summary.packets().size());
    }
    List<PacketSummary> flow = candidates(name, check, r);
    List<PacketSummary> requests = FlowMatcher.requests(check, r, flow);
    List<PacketSummary> relayed = FlowMatcher.relayed(check, r, summary, requests);
    return TargetView.seen(
            name,
            Math.round(summary.durationMs()),
            requests,
            FlowMatcher.replies(check, requests, flow),
            relayed,
            FlowMatcher.relayReplies(check, relayed, summary.packets()),
            facts.listening(name, check))
        .withAddresses(facts.ownAddresses(name));
  }

  /** The target's route back to where the request came from, and that route's next hop. */
  private TargetView withWayBack(TargetView view, NodeFacts after) {
    if (view == null || !view.arrived()) {
      return view;
    }
    String src = view.arrivedFrom();
    Optional<RouteChoice> back =
        after.route(view.node(), src).or(() -> facts.route(view.node(), src));
    Optional<Neighbour> hop =
        Observation.nextHop(back, src).flatMap(ip -> after.neighbour(view.node(), ip));
    return view.withRouteBack(back, hop);
  }

  /**
   * The DROP and REJECT rules, on every node whose counters grew, that may have taken this check's
   * flow as it left the source (addresses and ports before any NAT on the way).
   */
  /**
   * The rule counters of the nodes the flow went through: its source, and every node whose capture
   * saw its packets (a capture sees a packet before the node's own filter takes it). A rule on a
   * node the flow never reached counted other flows, however well it matches this one.
   */
  private Map<String, RuleDiff> onPath(
      Check check, ProbeResult r, TargetView target, Map<String, RuleDiff> grown) {
    Map<String, RuleDiff> out = new HashMap<>();
    RuleDiff atSource = grown.get(check.from());
    if (atSource != null) {
      out.put(check.from(), atSource);
    }
    // the target, where its capture ran, by what the capture saw arrive
    String end = target != null && target.captured() ? target.node() : null;
    if (end != null
        && !end.equals(check.from())
        && grown.containsKey(end)
        && (target.arrived() || target.relayArrived())) {
      out.put(end, grown.get(end));
    }
    // a node on the way sees the request as sent, to the address probed (a NAT there translates
    // it after the capture's tap): an echo id or a source port alone may be another check's, from
    // the same source to another target. Only the nodes whose capture holds the flow's mark are
    // asked (at a hundred nodes, most never saw it)
    String key = flowKey(check, r);
    String probed = check.to().ip();
    for (String node : marked(key)) {
      if (node.equals(check.from()) || node.equals(end) || !grown.containsKey(node)) {
        continue;
      }
      if (usable(node) != null
          && FlowMatcher.requests(check, r, candidates(node, check, r)).stream()
              .anyMatch(p -> probed.equals(p.dst()))) {
        out.put(node, grown.get(node));
      }
    }
    return out;
  }

  private volatile Map<String, List<String>> nodesByMark;

  /** Each node's grown drop rules, compiled for the many cells that ask (one diff per node). */
  private final Map<String, FlowMatch.Drops> dropsOf =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The captured nodes (in name order) whose capture holds packets carrying the flow mark {@code
   * key} ({@link #flowKey}): an index of every capture's marks, made once.
   */
  private List<String> marked(String key) {
    Map<String, List<String>> byMark = nodesByMark;
    if (byMark == null) {
      synchronized (this) {
        if (nodesByMark == null) {
          Map<String, List<String>> made = new HashMap<>();
          for (String node : capturedInOrder) {
            for (String mark : index(node).keySet()) {
              made.computeIfAbsent(mark, k -> new ArrayList<>(2)).add(node);
            }
          }
          nodesByMark = made;
        }
        byMark = nodesByMark;
      }
    }
    return byMark.getOrDefault(key, List.of());
  }

  private final Map<String, Map<String, List<PacketSummary>>> byFlow =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The packets of a node's capture that may belong to the check's flow: those carrying its flow
   * mark (the echo identifier; the probe's source port as source or destination) and every ICMP
   * error. Each capture is indexed once, so a thousand cells do not each read every packet; the
   * {@link FlowMatcher} then picks the flow's own from these few.
   */
  private List<PacketSummary> candidates(String node, Check check, ProbeResult r) {
    Map<String, List<PacketSummary>> index = index(node);
    List<PacketSummary> flow = index.getOrDefault(flowKey(check, r), List.of());
    List<PacketSummary> errors = index.getOrDefault("errors", List.of());
    if (errors.isEmpty()) {
      return flow;
    }
    List<PacketSummary> all = new ArrayList<>(flow);
    all.addAll(errors);
    all.sort(java.util.Comparator.comparingDouble(PacketSummary::atMs));
    return all;
  }

  /** A node's captured packets by flow mark ({@link #flowKey}), and its ICMP errors, made once. */
  private Map<String, List<PacketSummary>> index(String node) {
    return byFlow.computeIfAbsent(
        node,
        n -> {
          Map<String, List<PacketSummary>> out = new HashMap<>();
          CaptureSummary summary = captured.get(n);
          if (summary != null) {
            for (PacketSummary p : summary.packets()) {
              if (p.isIcmpError()) {
                out.computeIfAbsent("errors", k -> new ArrayList<>()).add(p);
              } else if (p.icmpId() != null) {
                out.computeIfAbsent("icmp:" + p.icmpId(), k -> new ArrayList<>()).add(p);
              } else if (p.srcPort() != null) {
                out.computeIfAbsent(
                        p.protocol().wireName() + ":" + p.srcPort(), k -> new ArrayList<>())
                    .add(p);
                if (!p.srcPort().equals(p.dstPort())) {
                  out.computeIfAbsent(
                          p.protocol().wireName() + ":" + p.dstPort(), k -> new ArrayList<>())
                      .add(p);
                }
              }
            }
          }
          return out;
        });
  }

  private static String flowKey(Check check, ProbeResult r) {
    if (check.probe().transport() == ProbeSpec.Transport.ICMP) {
      return "icmp:" + (r.echoes() == null ? null : r.echoes().identifier());
    }
    return check.probe().transport().wireName() + ":" + r.sourcePort();
  }

  private List<Observation.RuleHit> dropRules(
      Check check, ProbeResult r, Map<String, RuleDiff> grown, TargetView view) {
    boolean answered = view != null && view.arrived();
    String gateway =
        facts
            .route(check.from(), Observation.targetIp(check, r))
            .filter(rc -> rc.route() != null)
            .map(rc -> rc.route().gateway())
            .orElse(null);
    if (grown.isEmpty() || r.sourceAddress() == null) {
      return List.of();
    }
    ProbeSpec wire = check.wireProbe();
    String target = Observation.targetIp(check, r);
    Flow flow =
        wire.transport() == ProbeSpec.Transport.ICMP
            ? new Flow("icmp", r.sourceAddress(), target, null, null, null, null, 8)
            : new Flow(
                wire.transport().wireName(),
                r.sourceAddress(),
                target,
                r.sourcePort(),
                wire.port(),
                null,
                null,
                null);
    // and the answer's way back, as it arrives at the source (a rule may take the answer)
    Flow back =
        new Flow(
            flow.protocol(),
            target,
            r.sourceAddress(),
            flow.dstPort(),
            flow.srcPort(),
            null,
            null,
            flow.icmpType() == null ? null : 0);
    List<Observation.RuleHit> hits = new ArrayList<>();
    java.util.function.BooleanSupplier left =
        () ->
            usable(check.from()) == null
                || !FlowMatcher.sent(check, r, candidates(check.from(), check, r)).isEmpty();
    grown.forEach(
        (node, diff) -> {
          Set<String> seen = new java.util.HashSet<>();
          // the answer's way back exists only once the request got there, or at the source when
          // its request left (a request that never left has no answer for an INPUT rule to take)
          boolean backToo = answered || (node.equals(check.from()) && left.getAsBoolean());
          FlowMatch.Drops rules = dropsOf.computeIfAbsent(node, n -> FlowMatch.Drops.of(diff));
          for (Flow f : backToo ? List.of(flow, back) : List.of(flow)) {
            FlowMatch.drops(f, rules).stream()
                .filter(s -> !s.delta().policy())
                .filter(s -> seen.add(RuleText.describe(s.delta())))
                .forEach(
                    s ->
                        hits.add(
                            new Observation.RuleHit(
                                node,
                                RuleText.describe(s.delta()),
                                s.match() == Match.YES,
                                gateway != null && facts.ownAddresses(node).contains(gateway))));
          }
        });
    hits.sort(java.util.Comparator.comparing(h -> !h.certain()));
    return hits;
  }

  /** A capture whose packets can be trusted to be all there: started, stopped, not truncated. */
  private CaptureSummary usable(String node) {
    CaptureSummary summary = captured.get(node);
    return captures.whyNot(node) != null || summary == null || summary.truncated() ? null : summary;
  }
}
