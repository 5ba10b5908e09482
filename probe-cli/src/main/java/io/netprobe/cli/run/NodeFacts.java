package io.netprobe.cli.run;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The facts the explanation needs, one {@code facts} request per node however many checks it has:
 * every node's listening sockets, the route it picks for each of its targets and, ahead of need,
 * its routes back to the addresses the matrix gives the nodes that probe it; after the captures,
 * the routes back to any other source they saw (a NAT's address) in a second request.
 */
final class NodeFacts {
  private static final long WAIT_MS = 10_000;

  private final Map<String, Facts> byNode;

  /** Each node's own addresses, made once: every cell's explanation asks for its ends'. */
  private final Map<String, Set<String>> own = new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, RouteChoice> routes;

  private NodeFacts(Map<String, Facts> byNode, Map<String, RouteChoice> routes) {
    this.byNode = byNode;
    this.routes = routes;
  }

  /**
   * Reads every node's facts, with the routes to the targets of the checks it starts and back to
   * the matrix's addresses of the nodes that probe it.
   */
  static NodeFacts read(Map<String, AgentCalls> agents, Matrix matrix, List<Check> checks) {
    Map<String, Set<String>> targets = new HashMap<>();
    agents.keySet().forEach(node -> targets.put(node, new LinkedHashSet<>()));
    for (Check c : checks) {
      if (targets.containsKey(c.from())) {
        targets.get(c.from()).add(c.to().ip());
      }
    }
    for (Check c : checks) {
      Set<String> back = c.to().node().map(targets::get).orElse(null);
      Node source = matrix.nodes().get(c.from());
      if (back != null && source != null) {
        source.addresses().values().forEach(a -> back.add(a.ip()));
      }
    }
    // no connection table yet: only the late facts' are read (a NAT's entries for the lost cells)
    Map<String, Facts> byNode = ask(agents, targets, false);
    Map<String, RouteChoice> routes = new HashMap<>();
    byNode.forEach((node, f) -> f.routeChoices().forEach(rc -> routes.put(key(node, rc), rc)));
    return new NodeFacts(byNode, routes);
  }

  /**
   * The facts read once the probes are done, of the nodes that have a cell not reached: their
   * neighbour tables (an ARP request that nobody answered shows by now) and their routes to the
   * given addresses (the routes back to the sources their captures saw), all at once.
   */
  static NodeFacts late(Map<String, AgentCalls> agents, Map<String, Set<String>> routeTo) {
    Map<String, Facts> byNode = ask(agents, routeTo, true);
    Map<String, RouteChoice> routes = new HashMap<>();
    byNode.forEach((node, f) -> f.routeChoices().forEach(rc -> routes.put(key(node, rc), rc)));
    return new NodeFacts(byNode, routes);
  }

  /** Every node's facts, as read. */
  Map<String, Facts> all() {
    return byNode;
  }

  Optional<RouteChoice> route(String node, String ip) {
    return Optional.ofNullable(routes.get(key(node, ip)));
  }

  /** The nodes that forward packets: routers, NAT engines, Kubernetes nodes, the Docker host. */
  Set<String> forwarders() {
    Set<String> out = new java.util.TreeSet<>();
    byNode.forEach(
        (node, f) -> {
          if (f.ipForward()) {
            out.add(node);
          }
        });
    return out;
  }

  /** Each node's translated connections (its conntrack entries), from these facts. */
  Map<String, List<Facts.Translation>> translations() {
    Map<String, List<Facts.Translation>> out = new java.util.TreeMap<>();
    byNode.forEach(
        (node, f) -> {
          if (!f.translations().isEmpty()) {
            out.put(node, f.translations());
          }
        });
    return out;
  }

  /** The TCP ports the node listens on (empty without its facts). */
  List<Integer> tcpPorts(String node) {
    Facts f = byNode.get(node);
    return f == null
        ? List.of()
        : f.listening().stream()
            .filter(l -> l.protocol().startsWith("tcp"))
            .map(Facts.Listener::port)
            .distinct()
            .sorted()
            .toList();
  }

  /** The nodes that run a switch (Open vSwitch), with its ports. */
  Map<String, List<Facts.SwitchPort>> switches() {
    Map<String, List<Facts.SwitchPort>> out = new java.util.TreeMap<>();
    byNode.forEach(
        (node, f) -> {
          if (!f.switchPorts().isEmpty()) {
            out.put(node, f.switchPorts());
          }
        });
    return out;
  }

  /** The MAC address of the node's interface {@code device}. */
  Optional<String> mac(String node, String device) {
    Facts f = byNode.get(node);
    return f == null || device == null
        ? Optional.empty()
        : f.interfaces().stream()
            .filter(i -> device.equals(i.name()) && i.mac() != null)
            .map(Facts.Interface::mac)
            .findFirst();
  }

  /** The MAC address of the interface, on any node, that holds {@code ip}. */
  Optional<String> macOf(String ip) {
    if (ip == null) {
      return Optional.empty();
    }
    return byNode.values().stream()
        .flatMap(f -> f.interfaces().stream())
        .filter(
            i -> i.mac() != null && i.addresses().stream().anyMatch(a -> a.startsWith(ip + "/")))
        .map(Facts.Interface::mac)
        .findFirst();
  }

  /** The node's neighbour entry for {@code ip}, if its facts have one. */
  Optional<Facts.Neighbour> neighbour(String node, String ip) {
    Facts f = byNode.get(node);
    return f == null || ip == null ? Optional.empty() : f.neighbour(ip);
  }

  /** Which node owns each address of the nodes' interfaces, for naming the hops of a trace. */
  Map<String, String> owners() {
    Map<String, String> out = new HashMap<>();
    byNode.forEach(
        (node, f) ->
            f.ownAddresses().stream()
                .filter(a -> !a.startsWith("127.") && !a.equals("::1"))
                .forEach(a -> out.putIfAbsent(a, node)));
    return out;
  }

  /** The node's interface addresses in CIDR form, its networks (empty without its facts). */
  List<String> networks(String node) {
    Facts f = byNode.get(node);
    return f == null
        ? List.of()
        : f.interfaces().stream()
            .flatMap(i -> i.addresses().stream())
            .filter(a -> a.contains("/") && !a.startsWith("127.") && !a.contains(":"))
            .toList();
  }

  /** Every address of the node's interfaces (empty when its facts are missing). */
  Set<String> ownAddresses(String node) {
    Facts f = byNode.get(node);
    return f == null
        ? Set.of()
        : own.computeIfAbsent(node, n -> java.util.Collections.unmodifiableSet(f.ownAddresses()));
  }

  /** The node's listening sockets on the port the check's service uses. */
  List<Listener> listening(String node, Check check) {
    Facts f = byNode.get(node);
    int port = check.probe().port();
    if (f == null || port == 0) {
      return List.of();
    }
    String protocol = check.probe().transport().wireName();
    return f.listening().stream()
        .filter(l -> l.port() == port && l.protocol().toLowerCase().startsWith(protocol))
        .toList();
  }

  /**
   * One request per node, all at once; a node whose facts fail is left out. With {@code
   * translations} false the agents skip their connection tables: reading one walks the machine's
   * whole conntrack hash, about 2 ms in every namespace that tracks a connection (64 ms of a graded
   * student's 1.3 CPU-s), and only the late facts' entries explain a cell.
   */
  private static Map<String, Facts> ask(
      Map<String, AgentCalls> agents, Map<String, Set<String>> routeTo, boolean translations) {
    Map<String, CompletableFuture<Facts>> asked = new HashMap<>();
    routeTo.forEach(
        (node, ips) -> {
          AgentCalls agent = agents.get(node);
          if (agent != null) {
            Map<String, Object> args = new HashMap<>();
            if (!ips.isEmpty()) {
              args.put("routeTo", List.copyOf(ips));
            }
            if (!translations) {
              args.put("translations", false);
            }
            asked.put(
                node,
                agent
                    .call("facts", args)
                    .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
                    .thenApply(json -> RunEngine.read(json, Facts.class))
                    .exceptionally(e -> null));
          }
        });
    Map<String, Facts> out = new HashMap<>();
    asked.forEach((node, f) -> Optional.ofNullable(f.join()).ifPresent(v -> out.put(node, v)));
    return out;
  }

  static String key(String node, RouteChoice rc) {
    return key(node, rc.destination());
  }

  static String key(String node, String ip) {
    return node + "|" + ip;
  }
}
