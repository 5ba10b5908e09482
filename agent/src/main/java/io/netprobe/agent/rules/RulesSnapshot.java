package io.netprobe.agent.rules;

import java.util.List;

/**
 * What the {@code rules} op answers: the rule sets read, and why any source could not be read.
 * Nothing here is an error of the request: a node without iptables, or an agent without
 * CAP_NET_ADMIN, gets an empty {@code ruleSets} and the reason in {@code unavailable}.
 *
 * @param ruleSets one per backend that has rules (the default iptables-save's always, even empty)
 * @param unavailable sources that could not be read, each with its reason: {@code "iptables-save
 *     not found (looked in PATH and /usr/sbin, /sbin, /usr/local/sbin)"}, {@code "permission
 *     denied: needs CAP_NET_ADMIN (iptables-save: ...)"}
 * @param elapsedMs how long reading and parsing took
 */
public record RulesSnapshot(List<RuleSet> ruleSets, List<String> unavailable, double elapsedMs) {
  public RulesSnapshot {
    ruleSets = ruleSets == null ? List.of() : List.copyOf(ruleSets);
    unavailable = unavailable == null ? List.of() : List.copyOf(unavailable);
  }

  /**
   * True when some rule drops or rejects, or some chain's policy drops: only then can this node's
   * filter have taken a packet, and only then is a second snapshot worth its process.
   */
  public boolean canDrop() {
    return ruleSets.stream()
        .flatMap(set -> set.tables().stream())
        .flatMap(table -> table.chains().stream())
        .anyMatch(
            chain ->
                "DROP".equals(chain.policy())
                    || chain.rules().stream()
                        .anyMatch(r -> "DROP".equals(r.target()) || "REJECT".equals(r.target())));
  }
}
