package io.netprobe.agent.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules and chain policies whose packet counter grew between two snapshots of one node, in the
 * order of the later snapshot.
 *
 * <p>A rule is the same rule in both when its backend, table, chain and spec are (the n-th of
 * identical rules pairs with the n-th): an index moves when a rule is inserted above it, a spec
 * does not. Rules added or removed between the snapshots have nothing to compare with and are left
 * out, as are counters that went down (zeroed, or a rule replaced by an identical one).
 */
public record RuleDiff(List<Delta> grown) {
  public RuleDiff {
    grown = grown == null ? List.of() : List.copyOf(grown);
  }

  /**
   * One rule, or one chain's policy, that counted packets between the snapshots.
   *
   * @param index the rule's index in the later snapshot; null for the chain's policy
   * @param spec the rule's spec; null for the policy
   * @param target the rule's target, or the policy (DROP, ACCEPT)
   * @param packets how many more packets it counted
   * @param bytes how many more bytes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delta(
      String backend,
      String table,
      String chain,
      Integer index,
      String spec,
      String target,
      long packets,
      long bytes) {
    public Delta {
      Objects.requireNonNull(backend, "backend");
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(chain, "chain");
      if ((index == null) != (spec == null)) {
        throw new IllegalArgumentException(
            "delta in " + chain + ": index " + index + " and spec " + spec + " go together");
      }
    }

    /** Whether this is the chain's policy rather than a rule. */
    public boolean policy() {
      return index == null;
    }

    /** Whether packets counted here were thrown away: DROP or REJECT, or a DROP policy. */
    public boolean drops() {
      return "DROP".equals(target) || "REJECT".equals(target);
    }
  }

  public static RuleDiff between(RulesSnapshot before, RulesSnapshot after) {
    return between(before.ruleSets(), after.ruleSets());
  }

  public static RuleDiff between(List<RuleSet> before, List<RuleSet> after) {
    Map<String, Deque<long[]>> earlier = new HashMap<>();
    for (RuleSet set : before) {
      for (Table table : set.tables()) {
        for (Chain chain : table.chains()) {
          String at = key(set, table, chain);
          if (chain.builtIn()) {
            earlier.put(
                at + "\0policy",
                new ArrayDeque<>(List.of(new long[] {chain.policyPackets(), chain.policyBytes()})));
          }
          for (Rule rule : chain.rules()) {
            earlier
                .computeIfAbsent(at + "\0" + rule.spec(), k -> new ArrayDeque<>())
                .add(new long[] {rule.packets(), rule.bytes()});
          }
        }
      }
    }
    List<Delta> grown = new ArrayList<>();
    for (RuleSet set : after) {
      for (Table table : set.tables()) {
        for (Chain chain : table.chains()) {
          String at = key(set, table, chain);
          for (Rule rule : chain.rules()) {
            long[] was = next(earlier, at + "\0" + rule.spec());
            if (was != null && rule.packets() > was[0]) {
              grown.add(
                  new Delta(
                      set.backend(),
                      table.name(),
                      chain.name(),
                      rule.index(),
                      rule.spec(),
                      rule.target(),
                      rule.packets() - was[0],
                      Math.max(0, rule.bytes() - was[1])));
            }
          }
          long[] was = chain.builtIn() ? next(earlier, at + "\0policy") : null;
          if (was != null && chain.policyPackets() > was[0]) {
            grown.add(
                new Delta(
                    set.backend(),
                    table.name(),
                    chain.name(),
                    null,
                    null,
                    chain.policy(),
                    chain.policyPackets() - was[0],
                    Math.max(0, chain.policyBytes() - was[1])));
          }
        }
      }
    }
    return new RuleDiff(grown);
  }

  private static String key(RuleSet set, Table table, Chain chain) {
    return set.backend() + "\0" + table.name() + "\0" + chain.name();
  }

  private static long[] next(Map<String, Deque<long[]>> earlier, String key) {
    Deque<long[]> q = earlier.get(key);
    return q == null ? null : q.poll();
  }
}
