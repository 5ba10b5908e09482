package io.netprobe.agent.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One table (filter, nat, mangle, raw, security) and its chains, in iptables-save's order. */
public record Table(String name, List<Chain> chains) {
  public Table {
    Objects.requireNonNull(name, "name");
    chains = chains == null ? List.of() : List.copyOf(chains);
  }

  public Optional<Chain> chain(String chainName) {
    return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
  }
}
