package io.netprobe.agent.rules;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules in plain words, for explanations: {@code FORWARD rule 4 `-p tcp --dport 50000 -j DROP` (+1
 * packet)}. A table other than filter is named first ({@code nat PREROUTING rule 2 ...}), and an
 * IPv6 rule says so ({@code ip6tables INPUT rule 1 ...}): it is ip6tables that lists it.
 */
public final class RuleText {
  /** {@code -m tcp} after {@code -p tcp}: iptables-save's echo of the protocol, no information. */
  private static final Pattern PROTOCOL_MODULE =
      Pattern.compile("(?<=^|\\s)-m (tcp|udp|icmp|udplite|sctp|dccp)(?:\\s+|$)");

  private RuleText() {}

  /**
   * {@code FORWARD rule 4 `-p tcp --dport 50000 -j DROP` (+1 packet)}, or {@code FORWARD policy
   * DROP (+3 packets)}.
   */
  public static String describe(RuleDiff.Delta delta) {
    String where =
        (RuleSet.isIpv6(delta.backend()) ? "ip6tables " : "")
            + (delta.table().equals("filter") ? "" : delta.table() + " ")
            + delta.chain();
    String what =
        delta.policy()
            ? " policy " + delta.target()
            : " rule " + delta.index() + " `" + spec(delta.spec()) + "`";
    return where
        + what
        + " (+"
        + delta.packets()
        + (delta.packets() == 1 ? " packet)" : " packets)");
  }

  /** {@code INPUT rule 1 `-p tcp --dport 9 -j DROP`}: a rule as it stands in a snapshot. */
  public static String describe(String table, String chain, Rule rule) {
    return (table.equals("filter") ? "" : table + " ")
        + chain
        + " rule "
        + rule.index()
        + " `"
        + spec(rule.spec())
        + "`";
  }

  /** Specs said before: a run describes the same few rules for thousands of cells. */
  private static final Map<String, String> SAID = new ConcurrentHashMap<>();

  /** The spec without {@code -m tcp} where {@code -p tcp} already says it. */
  public static String spec(String spec) {
    String said = SAID.get(spec);
    if (said != null) {
      return said;
    }
    if (SAID.size() > 10_000) {
      SAID.clear(); // a bound, never reached by a lab's rules
    }
    said = rewrite(spec);
    SAID.put(spec, said);
    return said;
  }

  private static String rewrite(String spec) {
    Matcher m = PROTOCOL_MODULE.matcher(spec);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean echo = spec.contains("-p " + m.group(1) + " ") && !quoted(spec, m.start());
      m.appendReplacement(out, echo ? "" : Matcher.quoteReplacement(m.group()));
    }
    m.appendTail(out);
    return out.toString().strip();
  }

  /** Whether {@code at} is inside a double-quoted word (a comment). */
  private static boolean quoted(String spec, int at) {
    boolean quoted = false;
    for (int i = 0; i < at; i++) {
      char c = spec.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      }
    }
    return quoted;
  }
}
