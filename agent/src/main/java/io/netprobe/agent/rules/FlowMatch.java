package io.netprobe.agent.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a rule may match a flow, from the rule's spec alone: the common matches are checked
 * ({@code -p}, {@code -s}, {@code -d}, {@code -i}, {@code -o}, {@code --sport}/{@code --dport},
 * {@code -m multiport}, {@code --icmp-type}, each with {@code !}); any other match (sets, conntrack
 * state, marks, TCP flags, ...) cannot rule a flow out and makes the answer MAYBE. Nothing after
 * the target ({@code -j DNAT --to-destination ...}) restricts the match.
 */
public final class FlowMatch {
  /** Modules that only name their options (-m tcp --dport): the module itself matches anything. */
  private static final Set<String> NEUTRAL_MODULES = Set.of("tcp", "udp", "icmp", "multiport");

  /** The options checked here (the others of a module are reported with the module's name). */
  private static final Set<String> KNOWN =
      Set.of(
          ("-p --protocol -s --source --src -d --destination --dst -i --in-interface -o"
                  + " --out-interface --sport --source-port --sports --source-ports --dport"
                  + " --destination-port --dports --destination-ports --ports --icmp-type")
              .split(" "));

  private static final Map<String, String> PROTOCOL_NUMBERS =
      Map.of("6", "tcp", "17", "udp", "1", "icmp");

  private static final Map<String, Integer> ICMP_TYPES =
      Map.of(
          "echo-reply", 0,
          "pong", 0,
          "destination-unreachable", 3,
          "source-quench", 4,
          "redirect", 5,
          "echo-request", 8,
          "ping", 8,
          "time-exceeded", 11,
          "ttl-exceeded", 11,
          "parameter-problem", 12);

  private FlowMatch() {}

  /**
   * How a rule matches, with the matches that could not be checked (each as the rule wrote it:
   * {@code -m set --match-set blocked src}).
   */
  public record Verdict(Match match, List<String> unchecked) {
    public Verdict {
      unchecked = List.copyOf(unchecked);
    }
  }

  /**
   * A drop that grew during a run and may be what dropped the flow.
   *
   * @param unchecked why the match is only MAYBE
   */
  public record Suspect(RuleDiff.Delta delta, Match match, List<String> unchecked) {
    public Suspect {
      unchecked = List.copyOf(unchecked);
    }
  }

  public static Match match(Rule rule, Flow flow) {
    return check(rule.spec(), flow).match();
  }

  public static Match match(String spec, Flow flow) {
    return check(spec, flow).match();
  }

  /**
   * The DROP and REJECT rules, and DROP policies, that counted packets in {@code diff} and may
   * match {@code flow}: YES before MAYBE, rules before policies (a policy took whatever reached the
   * end of its chain, this flow or another), then in the order of the chains.
   */
  public static List<Suspect> drops(Flow flow, RuleDiff diff) {
    List<Suspect> out = new ArrayList<>();
    for (RuleDiff.Delta d : diff.grown()) {
      if (!d.drops()) {
        continue;
      }
      if (d.policy()) {
        out.add(
            new Suspect(
                d, Match.MAYBE, List.of("the " + d.chain() + " policy takes any packet left")));
        continue;
      }
      Verdict v = check(d.spec(), flow);
      if (v.match().possible()) {
        out.add(new Suspect(d, v.match(), v.unchecked()));
      }
    }
    out.sort(Comparator.comparing(Suspect::match).thenComparing(s -> s.delta().policy() ? 1 : 0));
    return out;
  }

  /** How the rule {@code spec} (what follows {@code -A CHAIN}) matches {@code flow}. */
  public static Verdict check(String spec, Flow flow) {
    List<String> w = words(spec);
    List<String> unchecked = new ArrayList<>();
    Match result = Match.YES;
    String module = null;
    boolean negate = false;
    int i = 0;
    while (i < w.size() && !isTarget(w.get(i))) { // the target's options do not decide the match
      String opt = w.get(i);
      if (opt.equals("!")) {
        negate = true;
        i++;
        continue;
      }
      String value = i + 1 < w.size() ? w.get(i + 1) : "";
      int used = 2;
      Match m =
          switch (opt) {
            case "-p", "--protocol" -> protocol(value, flow.protocol());
            case "-s", "--source", "--src" -> address(value, flow.src());
            case "-d", "--destination", "--dst" -> address(value, flow.dst());
            case "-i", "--in-interface" -> iface(value, flow.in());
            case "-o", "--out-interface" -> iface(value, flow.out());
            case "--sport", "--source-port", "--sports", "--source-ports" ->
                ports(value, flow.srcPort());
            case "--dport", "--destination-port", "--dports", "--destination-ports" ->
                ports(value, flow.dstPort());
            case "--ports" -> ports(value, flow.srcPort()).or(ports(value, flow.dstPort()));
            case "--icmp-type" -> icmpType(value, flow.icmpType());
            case "--comment" -> Match.YES;
            case "-m", "--match" -> {
              module = value; // a module restricts only through its options, checked one by one
              yield Match.YES;
            }
            default -> {
              used = 1; // an option not understood here: skip its arguments
              while (i + used < w.size()
                  && !w.get(i + used).startsWith("-")
                  && !w.get(i + used).equals("!")) {
                used++;
              }
              yield Match.MAYBE;
            }
          };
      if (m == Match.MAYBE) {
        String words = String.join(" ", w.subList(i, Math.min(i + used, w.size())));
        boolean ofModule =
            !KNOWN.contains(opt) && module != null && !NEUTRAL_MODULES.contains(module);
        unchecked.add((ofModule ? "-m " + module + " " : "") + (negate ? "! " : "") + words);
      }
      result = result.and(negate ? m.not() : m);
      negate = false;
      i += used;
    }
    return new Verdict(result, unchecked);
  }

  private static boolean isTarget(String opt) {
    return opt.equals("-j") || opt.equals("--jump") || opt.equals("-g") || opt.equals("--goto");
  }

  static Match protocol(String rule, String flow) {
    String p =
        PROTOCOL_NUMBERS.getOrDefault(rule.toLowerCase(Locale.ROOT), rule.toLowerCase(Locale.ROOT));
    if (p.equals("all") || p.equals("0")) {
      return Match.YES;
    }
    return flow == null ? Match.MAYBE : Match.of(p.equals(flow));
  }

  /** {@code 10.0.0.0/8}, {@code 10.1.2.3}, {@code 10.0.0.0/255.0.0.0}, or a comma list of them. */
  static Match address(String rule, String flow) {
    if (flow == null) {
      return Match.MAYBE;
    }
    // a run asks the same few rules about the same few addresses for every cell: remember
    if (ADDRESSES.size() > MEMO_LIMIT) {
      ADDRESSES.clear();
    }
    return ADDRESSES.computeIfAbsent(rule + ' ' + flow, k -> addressOf(rule, flow));
  }

  private static final int MEMO_LIMIT = 50_000;
  private static final java.util.Map<String, Match> ADDRESSES =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.Map<String, List<String>> WORDS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The words of a rule's spec, parsed once per spec. */
  private static List<String> words(String spec) {
    if (WORDS.size() > MEMO_LIMIT) {
      WORDS.clear();
    }
    return WORDS.computeIfAbsent(spec, s -> List.copyOf(Spec.words(s)));
  }

  private static Match addressOf(String rule, String flow) {
    Integer ip = ipv4(flow);
    if (ip == null) {
      return Match.MAYBE;
    }
    Match any = Match.NO;
    for (String cidr : rule.split(",")) {
      any = any.or(inCidr(cidr, ip));
    }
    return any;
  }

  private static Match inCidr(String cidr, int ip) {
    int slash = cidr.indexOf('/');
    Integer net = ipv4(slash < 0 ? cidr : cidr.substring(0, slash));
    if (net == null) {
      return Match.MAYBE;
    }
    int mask;
    if (slash < 0) {
      mask = -1;
    } else {
      String m = cidr.substring(slash + 1);
      Integer dotted = ipv4(m);
      if (dotted != null) {
        mask = dotted;
      } else {
        try {
          int prefix = Integer.parseInt(m);
          if (prefix < 0 || prefix > 32) {
            return Match.MAYBE;
          }
          mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        } catch (NumberFormatException e) {
          return Match.MAYBE;
        }
      }
    }
    return Match.of((ip & mask) == (net & mask));
  }

  /** An IPv4 literal as an int; null if it is not one (a name, IPv6). */
  static Integer ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    int out = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return null;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return null;
      }
      out = out << 8 | octet;
    }
    return out;
  }

  /** {@code eth0}, or {@code veth+} for any name that starts with veth. */
  static Match iface(String rule, String flow) {
    if (flow == null) {
      return Match.MAYBE;
    }
    if (rule.endsWith("+")) {
      return Match.of(flow.startsWith(rule.substring(0, rule.length() - 1)));
    }
    return Match.of(rule.equals(flow));
  }

  /** {@code 80}, {@code 1024:2048}, {@code 1024:}, {@code :1023}, or a multiport list of them. */
  static Match ports(String rule, Integer flow) {
    if (flow == null) {
      return Match.MAYBE;
    }
    boolean known = true;
    for (String item : rule.split(",")) {
      int colon = item.indexOf(':');
      try {
        int low = colon == 0 ? 0 : Integer.parseInt(colon < 0 ? item : item.substring(0, colon));
        int high =
            colon < 0
                ? low
                : colon == item.length() - 1 ? 65535 : Integer.parseInt(item.substring(colon + 1));
        if (flow >= Math.min(low, high) && flow <= Math.max(low, high)) {
          return Match.YES;
        }
      } catch (NumberFormatException e) {
        known = false; // a service name: iptables-save prints numbers, but be safe
      }
    }
    return known ? Match.NO : Match.MAYBE;
  }

  /** {@code 8}, {@code 3/13}, {@code echo-request}, {@code any}. */
  static Match icmpType(String rule, Integer flow) {
    if (rule.equals("any")) {
      return Match.YES;
    }
    if (flow == null) {
      return Match.MAYBE;
    }
    Integer type = ICMP_TYPES.get(rule);
    if (type == null) {
      String t = rule.contains("/") ? rule.substring(0, rule.indexOf('/')) : rule;
      try {
        type = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        return Match.MAYBE; // a subtype name (host-unreachable, ...): not an echo, but unknown here
      }
    }
    return Match.of(type.equals(flow));
  }
}
