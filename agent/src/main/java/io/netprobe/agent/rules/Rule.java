package io.netprobe.agent.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One rule of a chain, with its counters when the snapshot was taken.
 *
 * @param index 1-based within its chain, as {@code iptables -L --line-numbers} counts
 * @param spec the rule as iptables-save prints it after {@code -A CHAIN}: {@code -p tcp -m tcp
 *     --dport 50000 -j DROP}
 * @param target what {@code -j} (or {@code -g}) names: DROP, REJECT, ACCEPT, a user chain, ...;
 *     null for a rule that only counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(int index, String spec, String target, long packets, long bytes) {
  public Rule {
    if (index < 1) {
      throw new IllegalArgumentException("rule index must be 1 or more: " + index);
    }
    Objects.requireNonNull(spec, "spec");
    if (packets < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "negative counter [" + packets + ":" + bytes + "] for rule " + index + ": " + spec);
    }
  }

  /**
   * The value of the first of {@code names} in the spec ({@code -d}, {@code --dport}, {@code
   * --to-destination}), as iptables-save prints it ({@code 192.168.37.163/32}); {@code !} before it
   * when the rule negates it ({@code ! -o eth1} gives {@code !eth1}); null when the rule has none.
   */
  public String option(String... names) {
    java.util.List<String> words = Spec.words(spec);
    for (int i = 0; i + 1 < words.size(); i++) {
      for (String name : names) {
        if (words.get(i).equals(name)) {
          boolean negated = i > 0 && words.get(i - 1).equals("!");
          return (negated ? "!" : "") + words.get(i + 1);
        }
      }
    }
    return null;
  }
}
