package io.netprobe.agent.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The packet-filter rules of one backend.
 *
 * @param backend {@code iptables-nft} (iptables over nf_tables, what iptables-save prints as
 *     "nf_tables") or {@code iptables-legacy} (x_tables); for the IPv6 rules {@code ip6tables-nft}
 *     or {@code ip6tables-legacy}
 */
public record RuleSet(String backend, List<Table> tables) {
  public static final String NFT = "iptables-nft";
  public static final String LEGACY = "iptables-legacy";
  public static final String NFT6 = "ip6tables-nft";
  public static final String LEGACY6 = "ip6tables-legacy";

  public RuleSet {
    Objects.requireNonNull(backend, "backend");
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  /** Whether these are the IPv6 rules (ip6tables). */
  public boolean ipv6() {
    return isIpv6(backend);
  }

  /** Whether a backend's name is that of the IPv6 rules. */
  public static boolean isIpv6(String backend) {
    return backend.startsWith("ip6");
  }

  public Optional<Table> table(String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /** Whether anything here filters: a rule in some chain, or a policy other than ACCEPT. */
  public boolean hasRules() {
    return tables.stream()
        .flatMap(t -> t.chains().stream())
        .anyMatch(c -> !c.rules().isEmpty() || (c.builtIn() && !c.policy().equals("ACCEPT")));
  }
}
