package io.netprobe.agent.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A chain and its rules in order.
 *
 * @param policy ACCEPT or DROP for a built-in chain (INPUT, FORWARD, ...); null for a user chain
 * @param policyPackets packets that reached the end of a built-in chain and got its policy; null
 *     for a user chain
 * @param policyBytes their bytes; null for a user chain
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Chain(
    String name, String policy, Long policyPackets, Long policyBytes, List<Rule> rules) {
  public Chain {
    Objects.requireNonNull(name, "name");
    if ((policy == null) != (policyPackets == null) || (policy == null) != (policyBytes == null)) {
      throw new IllegalArgumentException(
          "chain "
              + name
              + ": policy "
              + policy
              + " with counters ["
              + policyPackets
              + ":"
              + policyBytes
              + "] (a built-in chain has both, a user chain neither)");
    }
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** Whether the chain is a built-in one, with a policy. */
  public boolean builtIn() {
    return policy != null;
  }
}
