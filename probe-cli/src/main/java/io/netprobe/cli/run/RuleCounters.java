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

  /** The counters read after the probes, by node; {@link #NOT_ASKED} for a node left out. */
  private final Map<String, CompletableFuture<RulesSnapshot>> after =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final CompletableFuture<RulesSnapshot> NOT_ASKED =
      CompletableFuture.completedFuture(null);

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

  /**
   * Asks {@code nodes} for their counters now, as the probes have ended, for {@link #grown} to use:
   * the answers come while the run reads its captures, instead of after. A node not asked here is
   * asked by {@link #grown} itself.
   */
  void readAfter(Set<String> nodes) {
    for (String node : nodes) {
      after.computeIfAbsent(node, this::afterOf);
    }
  }

  /** The rules whose counters grew on each node since {@link #start}, asked of all at once. */
  Map<String, RuleDiff> grown(Set<String> nodes) {
    readAfter(nodes); // those asked already are not asked again
    Map<String, RuleDiff> out = new HashMap<>();
    for (String node : nodes) {
      RulesSnapshot now = after.get(node).join(); // null: not asked, or no answer
      if (now != null) {
        RuleDiff diff = RuleDiff.between(before.get(node).join(), now);
        if (!diff.grown().isEmpty()) {
          out.put(node, diff);
        }
      }
    }
    return out;
  }

  /** A node's counters now, or {@link #NOT_ASKED} where its rules drop nothing or are unknown. */
  private CompletableFuture<RulesSnapshot> afterOf(String node) {
    RulesSnapshot was = before.getOrDefault(node, CompletableFuture.completedFuture(null)).join();
    return was != null && was.canDrop() && agents.containsKey(node)
        ? snapshot(agents.get(node))
        : NOT_ASKED;
  }

  private static CompletableFuture<RulesSnapshot> snapshot(AgentCalls agent) {
    return agent
        .call("rules", Map.of())
        .orTimeout(WAIT_MS, TimeUnit.MILLISECONDS)
        .thenApply(json -> RunEngine.read(json, RulesSnapshot.class))
        .exceptionally(e -> null);
  }
}
