package io.netprobe.cli.run;

import io.netprobe.agent.rules.RuleDiff;
import io.netprobe.agent.rules.RulesSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packet counters of every node's filter rules, read before the probes and, when a cell was not
 * reached, after them: what grew in between is what the run's packets met, so a dropped flow can be
 * pinned on the rule that counted it. A node whose agent cannot read its rules (no iptables, no
 * CAP_NET_ADMIN, an older agent) is left out without a word: the rules are extra evidence.
 */
final class RuleCounters {
  private static final long WAIT_MS = 10_000;

  private final Map<String, AgentCalls> agents;
  private final Map<String, CompletableFuture<RulesSnapshot>> before = new HashMap<>();

  private RuleCounters(Map<String, AgentCalls> agents) {
    this.agents = agents;
    agents.forEach((node, agent) -> before.put(node, snapshot(agent)));
  }

  /** Asks every agent for its rules now; {@link #awaitBefore} waits for the answers. */
  static RuleCounters start(Map<String, AgentCalls> agents) {
    return new RuleCounters(agents);
  }

  /** Every node's rules as read before the probes (a node whose rules could not be read: none). */
  Map<String, RulesSnapshot> before() {
    Map<String, RulesSnapshot> out = new HashMap<>();
    before.forEach(
        (node, f) -> {
          RulesSnapshot s = f.join();
          if (s != null) {
            out.put(node, s);
          }
        });
    return out;
  }

  void awaitBefore() {
    before.values().forEach(CompletableFuture::join);
  }

  /** The rules whose counters grew on each node since {@link #start}, asked of all at once. */
  Map<String, RuleDiff> grown(Set<String> nodes) {
    Map<String, CompletableFuture<RulesSnapshot>> after = new HashMap<>();
    for (String node : nodes) {
      RulesSnapshot was = before.getOrDefault(node, CompletableFuture.completedFuture(null)).join();
      if (was != null && was.canDrop() && agents.containsKey(node)) {
        after.put(node, snapshot(agents.get(node)));
      }
    }
    Map<String, RuleDiff> out = new HashMap<>();
    after.forEach(
        (node, f) -> {
          RulesSnapshot now = f.join();
          if (now != null) {
            RuleDiff diff = RuleDiff.between(before.get(node).join(), now);
            if (!diff.grown().isEmpty()) {
              out.put(node, diff);
            }
          }
        });
    return out;
  }

  private static CompletableFuture<RulesSnapshot> snapshot(AgentCalls agent) {
    return agent
        .call("rules", Map.of())
        .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApply(json -> RunEngine.read(json, RulesSnapshot.class))
        .exceptionally(e -> null);
  }
}
