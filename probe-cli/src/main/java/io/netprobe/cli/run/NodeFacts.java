package io.netprobe.cli.run;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.matrix.Check;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Step 1 of a check: the facts the explanation needs, read from the agents before the probes go
 * out: every node's listening sockets, and the route each source picks for each target.
 */
final class NodeFacts {
  private static final long WAIT_MS = 10_000;

  private final Map<String, Facts> byNode;
  private final Map<String, RouteChoice> routes;

  private NodeFacts(Map<String, Facts> byNode, Map<String, RouteChoice> routes) {
    this.byNode = byNode;
    this.routes = routes;
  }

  static NodeFacts read(Map<String, AgentCalls> agents, List<Check> checks) {
    Map<String, CompletableFuture<Facts>> nodes = new HashMap<>();
    agents.forEach((name, agent) -> nodes.put(name, facts(agent, null)));
    Map<String, CompletableFuture<Facts>> routeFacts = new HashMap<>();
    for (Check c : checks) {
      AgentCalls agent = agents.get(c.from());
      if (agent != null) {
        routeFacts.computeIfAbsent(key(c.from(), c.to().ip()), k -> facts(agent, c.to().ip()));
      }
    }
    Map<String, Facts> byNode = new HashMap<>();
    nodes.forEach((name, f) -> Optional.ofNullable(f.join()).ifPresent(v -> byNode.put(name, v)));
    Map<String, RouteChoice> routes = new HashMap<>();
    routeFacts.forEach(
        (key, f) ->
            Optional.ofNullable(f.join())
                .flatMap(v -> v.routeChoices().stream().findFirst())
                .ifPresent(rc -> routes.put(key, rc)));
    return new NodeFacts(byNode, routes);
  }

  Optional<RouteChoice> route(String node, String ip) {
    return Optional.ofNullable(routes.get(key(node, ip)));
  }

  /** The node's listening sockets on the port the check's service uses. */
  List<Listener> listening(String node, Check check) {
    Facts f = byNode.get(node);
    int port = Explainer.servicePort(check);
    if (f == null || port == 0) {
      return List.of();
    }
    String protocol =
        check.probe() instanceof io.netprobe.agent.probe.ProbeSpec.Udp ? "udp" : "tcp";
    return f.listening().stream()
        .filter(l -> l.port() == port && l.protocol().toLowerCase().startsWith(protocol))
        .toList();
  }

  /** The route {@code agent}'s node picks for {@code ip}, asked now (after the probes). */
  static Optional<RouteChoice> routeNow(AgentCalls agent, String ip) {
    return Optional.ofNullable(facts(agent, ip).join())
        .flatMap(f -> f.routeChoices().stream().findFirst());
  }

  private static CompletableFuture<Facts> facts(AgentCalls agent, String routeTo) {
    Map<String, Object> args = routeTo == null ? Map.of() : Map.of("routeTo", routeTo);
    return agent
        .call("facts", args)
        .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApply(json -> RunEngine.read(json, Facts.class))
        .exceptionally(e -> null);
  }

  private static String key(String node, String ip) {
    return node + "|" + ip;
  }
}
