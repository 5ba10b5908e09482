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
                  + " --destination-port --dports --destination-ports --ports --icmp-type"
                  + " --icmpv6-type")
              .split(" "));

  /** A rule's protocol as a flow names it: ICMPv6 is the flow's icmp (an IPv6 flow's). */
  private static final Map<String, String> PROTOCOL_NUMBERS =
      Map.of(
          "6",
          "tcp",
          "17",
          "udp",
          "1",
          "icmp",
          "58",
          "icmp",
          "ipv6-icmp",
          "icmp",
          "icmpv6",
          "icmp");

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

  /**
   * ICMPv6's types by ip6tables' names, and each as the ICMP type a flow carries (a flow names an
   * echo request 8 in either family, as the captures do).
   */
  private static final Map<String, Integer> ICMPV6_TYPES =
      Map.ofEntries(
          Map.entry("destination-unreachable", 1),
          Map.entry("no-route", 1),
          Map.entry("communication-prohibited", 1),
          Map.entry("address-unreachable", 1),
          Map.entry("port-unreachable", 1),
          Map.entry("packet-too-big", 2),
          Map.entry("time-exceeded", 3),
          Map.entry("ttl-exceeded", 3),
          Map.entry("parameter-problem", 4),
          Map.entry("echo-request", 128),
          Map.entry("ping", 128),
          Map.entry("echo-reply", 129),
          Map.entry("pong", 129),
          Map.entry("router-solicitation", 133),
          Map.entry("router-advertisement", 134),
          Map.entry("neighbour-solicitation", 135),
          Map.entry("neighbor-solicitation", 135),
          Map.entry("neighbour-advertisement", 136),
          Map.entry("neighbor-advertisement", 136));

  /** A flow's ICMP type as ICMPv6 numbers it: echo request 8 is 128, and so on. */
  private static final Map<Integer, Integer> AS_ICMPV6 = Map.of(8, 128, 0, 129, 3, 1, 11, 3, 12, 4);

  private FlowMatch() {}

  /** Whether a flow is an IPv6 one: its addresses, when known, say so. */
  static boolean ipv6(Flow flow) {
    String a = flow.dst() != null ? flow.dst() : flow.src();
    return a != null && a.indexOf(':') >= 0;
  }

  /** Whether the rules of {@code backend} (iptables or ip6tables) see {@code flow}'s packets. */
  private static boolean sameFamily(RuleDiff.Delta d, Flow flow) {
    return RuleSet.isIpv6(d.backend()) == ipv6(flow);
  }

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
    return drops(flow, Drops.of(diff));
  }

  /**
   * A node's grown DROP and REJECT rules and policies, compiled once: what {@link #drops(Flow,
   * Drops)} asks of each of many flows (at a hundred nodes, thousands of cells ask one node).
   */
  public static final class Drops {
    private final List<RuleDiff.Delta> deltas = new ArrayList<>();
    private final List<Compiled> rules = new ArrayList<>();

    private Drops() {}

    public static Drops of(RuleDiff diff) {
      Drops out = new Drops();
      for (RuleDiff.Delta d : diff.grown()) {
        if (d.drops()) {
          out.deltas.add(d);
          out.rules.add(d.policy() ? null : compiled(d.spec()));
        }
      }
      return out;
    }
  }

  /** {@link #drops(Flow, RuleDiff)} with the rules compiled beforehand. */
  public static List<Suspect> drops(Flow flow, Drops prepared) {
    List<Suspect> out = new ArrayList<>();
    for (int i = 0; i < prepared.deltas.size(); i++) {
      RuleDiff.Delta d = prepared.deltas.get(i);
      if (!sameFamily(d, flow)) {
        continue;
      }
      if (d.policy()) {
        out.add(
            new Suspect(
                d, Match.MAYBE, List.of("the " + d.chain() + " policy takes any packet left")));
        continue;
      }
      Compiled rule = prepared.rules.get(i);
      if (!rule.quick(flow).possible()) {
        continue; // most rules of a node are about other flows: said without building a verdict
      }
      Verdict v = rule.check(flow);
      if (v.match().possible()) {
        out.add(new Suspect(d, v.match(), v.unchecked()));
      }
    }
    out.sort(Comparator.comparing(Suspect::match).thenComparing(s -> s.delta().policy() ? 1 : 0));
    return out;
  }

  /**
   * A destination translation (DNAT) of the nat table that counted packets during the run and that
   * {@code flow} may have taken: the rule, where it sends the flow, and how sure the walk is.
   */
  public record Redirect(RuleDiff.Delta rule, String toAddress, Integer toPort, Match match) {}

  private static final java.util.regex.Pattern TO_DESTINATION =
      java.util.regex.Pattern.compile(
          "--to-destination\\s+\\[?([0-9a-fA-F.:]+?)\\]?(?::(\\d+))?(?:\\s|$)");

  /**
   * The DNATs {@code flow} went through, from the counters: starting at the nat table's PREROUTING
   * and OUTPUT, the rules that grew and may match the flow, following their jumps into chains whose
   * rules grew too (kube-proxy's KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-*; Docker's DOCKER chain), to
   * the DNAT at the end. A rule whose counter did not grow was not on the flow's way.
   */
  public static List<Redirect> redirects(Flow flow, RuleDiff diff) {
    java.util.Map<String, List<RuleDiff.Delta>> byChain = new java.util.HashMap<>();
    for (RuleDiff.Delta d : diff.grown()) {
      if ("nat".equals(d.table()) && !d.policy() && sameFamily(d, flow)) {
        byChain.computeIfAbsent(d.chain(), k -> new ArrayList<>()).add(d);
      }
    }
    List<Redirect> out = new ArrayList<>();
    java.util.ArrayDeque<java.util.Map.Entry<String, Match>> todo = new java.util.ArrayDeque<>();
    todo.add(java.util.Map.entry("PREROUTING", Match.YES));
    todo.add(java.util.Map.entry("OUTPUT", Match.YES));
    java.util.Set<String> seen = new java.util.HashSet<>(List.of("PREROUTING", "OUTPUT"));
    while (!todo.isEmpty()) {
      var next = todo.poll();
      for (RuleDiff.Delta d : byChain.getOrDefault(next.getKey(), List.of())) {
        Match m = next.getValue().and(compiled(d.spec()).check(flow).match());
        if (!m.possible()) {
          continue;
        }
        if ("DNAT".equals(d.target())) {
          java.util.regex.Matcher to = TO_DESTINATION.matcher(d.spec());
          if (to.find()) {
            out.add(
                new Redirect(
                    d, to.group(1), to.group(2) == null ? null : Integer.valueOf(to.group(2)), m));
          }
        } else if (d.target() != null && byChain.containsKey(d.target()) && seen.add(d.target())) {
          todo.add(java.util.Map.entry(d.target(), m));
        }
      }
    }
    out.sort(Comparator.comparing(Redirect::match));
    return out;
  }

  /** How the rule {@code spec} (what follows {@code -A CHAIN}) matches {@code flow}. */
  public static Verdict check(String spec, Flow flow) {
    return compiled(spec).check(flow);
  }

  /**
   * A rule's spec parsed once into its matches, each with its values parsed (addresses as numbers):
   * a run asks the same rules about thousands of flows, and a check then parses nothing.
   */
  private static final class Compiled {
    /**
     * An array: a run asks every rule of every node about every flow, and C1 (the launcher's only
     * compiler) allocates an iterator for each for-each over a List.
     */
    private final Term[] terms;

    private Compiled(List<Term> terms) {
      this.terms = terms.toArray(new Term[0]);
    }

    /** The match alone, NO as soon as one match rules the flow out. */
    Match quick(Flow flow) {
      Match result = Match.YES;
      for (int i = 0; i < terms.length; i++) {
        Term t = terms[i];
        Match m = t.test().apply(flow);
        result = result.and(t.negate() ? m.not() : m);
        if (result == Match.NO) {
          return Match.NO;
        }
      }
      return result;
    }

    Verdict check(Flow flow) {
      List<String> unchecked = List.of();
      Match result = Match.YES;
      for (Term t : terms) {
        Match m = t.test().apply(flow);
        if (m == Match.MAYBE) {
          if (unchecked.isEmpty()) {
            unchecked = new ArrayList<>();
          }
          unchecked.add(t.text());
        }
        result = result.and(t.negate() ? m.not() : m);
      }
      return new Verdict(result, unchecked);
    }

    static Compiled of(String spec) {
      List<String> w = Spec.words(spec);
      List<Term> terms = new ArrayList<>();
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
        java.util.function.Function<Flow, Match> test =
            switch (opt) {
              case "-p", "--protocol" -> protocolOf(value);
              case "-s", "--source", "--src" -> Cidrs.of(value)::src;
              case "-d", "--destination", "--dst" -> Cidrs.of(value)::dst;
              case "-i", "--in-interface" -> f -> iface(value, f.in());
              case "-o", "--out-interface" -> f -> iface(value, f.out());
              case "--sport", "--source-port", "--sports", "--source-ports" ->
                  f -> ports(value, f.srcPort());
              case "--dport", "--destination-port", "--dports", "--destination-ports" ->
                  f -> ports(value, f.dstPort());
              case "--ports" -> f -> ports(value, f.srcPort()).or(ports(value, f.dstPort()));
              case "--icmp-type" -> f -> icmpType(value, f.icmpType());
              case "--icmpv6-type" -> f -> icmpv6Type(value, f.icmpType());
              case "--comment" -> f -> Match.YES;
              case "-m", "--match" -> {
                module = value; // a module restricts only through its options, checked one by one
                yield f -> Match.YES;
              }
              default -> {
                used = 1; // an option not understood here: skip its arguments
                while (i + used < w.size()
                    && !w.get(i + used).startsWith("-")
                    && !w.get(i + used).equals("!")) {
                  used++;
                }
                yield f -> Match.MAYBE;
              }
            };
        String words = String.join(" ", w.subList(i, Math.min(i + used, w.size())));
        boolean ofModule =
            !KNOWN.contains(opt) && module != null && !NEUTRAL_MODULES.contains(module);
        terms.add(
            new Term(
                test,
                negate,
                (ofModule ? "-m " + module + " " : "") + (negate ? "! " : "") + words));
        negate = false;
        i += used;
      }
      return new Compiled(terms);
    }
  }

  /** One match of a rule, and how it reads when it cannot be checked. */
  private record Term(java.util.function.Function<Flow, Match> test, boolean negate, String text) {}

  /**
   * {@code -s}/{@code -d}'s value ({@code 10.0.0.0/8}, {@code 10.1.2.3}, {@code
   * 10.0.0.0/255.0.0.0}, {@code fd00:1::/64}, or a comma list of them) parsed: each IPv4 CIDR as a
   * network and a mask, each IPv6 one as its address bytes and prefix length.
   */
  private record Cidrs(
      int[] nets, int[] masks, List<byte[]> nets6, int[] prefixes6, boolean unknown) {
    static Cidrs of(String rule) {
      String[] parts = rule.split(",");
      int[] nets = new int[parts.length];
      int[] masks = new int[parts.length];
      List<byte[]> nets6 = new ArrayList<>();
      int[] prefixes6 = new int[parts.length];
      int n = 0;
      boolean unknown = false;
      for (String cidr : parts) {
        long[] parsed = cidr(cidr);
        if (parsed != null) {
          nets[n] = (int) parsed[0];
          masks[n++] = (int) parsed[1];
          continue;
        }
        int slash = cidr.indexOf('/');
        byte[] bytes = ipv6Bytes(slash < 0 ? cidr : cidr.substring(0, slash));
        Integer prefix =
            bytes == null ? null : prefix6(slash < 0 ? "128" : cidr.substring(slash + 1));
        if (prefix == null) {
          unknown = true; // a name: MAYBE unless another of the list matches
        } else {
          prefixes6[nets6.size()] = prefix;
          nets6.add(bytes);
        }
      }
      return new Cidrs(
          java.util.Arrays.copyOf(nets, n),
          java.util.Arrays.copyOf(masks, n),
          nets6,
          java.util.Arrays.copyOf(prefixes6, nets6.size()),
          unknown);
    }

    Match src(Flow f) {
      return match(f.src());
    }

    Match dst(Flow f) {
      return match(f.dst());
    }

    Match match(String flow) {
      if (flow == null) {
        return Match.MAYBE;
      }
      if (flow.indexOf(':') >= 0) {
        byte[] ip = ipv6Bytes(flow);
        if (ip == null) {
          return Match.MAYBE;
        }
        for (int k = 0; k < nets6.size(); k++) {
          if (samePrefix(ip, nets6.get(k), prefixes6[k])) {
            return Match.YES;
          }
        }
        return unknown ? Match.MAYBE : Match.NO;
      }
      long bits = ipv4Bits(flow);
      if (bits < 0) {
        return Match.MAYBE;
      }
      int ip = (int) bits;
      for (int k = 0; k < nets.length; k++) {
        if ((ip & masks[k]) == (nets[k] & masks[k])) {
          return Match.YES;
        }
      }
      return unknown ? Match.MAYBE : Match.NO;
    }
  }

  private static final java.util.regex.Pattern IPV6_LITERAL =
      java.util.regex.Pattern.compile("[0-9a-fA-F:.]+");

  /** An IPv6 literal's 16 bytes; null when it is not one (never a name lookup). */
  static byte[] ipv6Bytes(String text) {
    if (text.indexOf(':') < 0 || !IPV6_LITERAL.matcher(text).matches()) {
      return null;
    }
    try {
      byte[] b = java.net.InetAddress.getByName(text).getAddress();
      return b.length == 16 ? b : null;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  private static Integer prefix6(String text) {
    try {
      int p = Integer.parseInt(text);
      return p < 0 || p > 128 ? null : p;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
    int full = prefix / 8;
    for (int k = 0; k < full; k++) {
      if (a[k] != b[k]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[full] & mask) == (b[full] & mask);
  }

  private static final int MEMO_LIMIT = 50_000;
  private static final Map<String, Compiled> COMPILED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The rule's spec compiled, once per spec. */
  private static Compiled compiled(String spec) {
    Compiled known = COMPILED.get(spec); // no lock: computeIfAbsent may lock a bin on both cores
    if (known != null) {
      return known;
    }
    if (COMPILED.size() > MEMO_LIMIT) {
      COMPILED.clear();
    }
    return COMPILED.computeIfAbsent(spec, Compiled::of);
  }

  private static boolean isTarget(String opt) {
    return opt.equals("-j") || opt.equals("--jump") || opt.equals("-g") || opt.equals("--goto");
  }

  /** {@code tcp}, {@code 6}, {@code all}...: the rule's side read once. */
  private static java.util.function.Function<Flow, Match> protocolOf(String rule) {
    String p =
        PROTOCOL_NUMBERS.getOrDefault(rule.toLowerCase(Locale.ROOT), rule.toLowerCase(Locale.ROOT));
    if (p.equals("all") || p.equals("0")) {
      return f -> Match.YES;
    }
    return f -> f.protocol() == null ? Match.MAYBE : Match.of(p.equals(f.protocol()));
  }

  /** A CIDR as {network, mask}; null when it is not an IPv4 one. */
  private static long[] cidr(String cidr) {
    int slash = cidr.indexOf('/');
    Integer net = ipv4(slash < 0 ? cidr : cidr.substring(0, slash));
    if (net == null) {
      return null;
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
            return null;
          }
          mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return new long[] {net, mask};
  }

  /** An IPv4 literal as an int; null if it is not one (a name, IPv6). */
  static Integer ipv4(String text) {
    long bits = ipv4Bits(text);
    return bits < 0 ? null : (int) bits;
  }

  /** The same without boxing: the address's 32 bits, or -1 when it is not one. */
  private static long ipv4Bits(String text) {
    int out = 0;
    int octets = 0;
    int octet = -1;
    int digits = 0;
    for (int k = 0; k <= text.length(); k++) {
      char c = k < text.length() ? text.charAt(k) : '.';
      if (c == '.') {
        if (digits == 0 || octet > 255 || ++octets > 4) {
          return -1;
        }
        out = out << 8 | octet;
        octet = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
        digits++;
      } else {
        return -1;
      }
    }
    return octets == 4 ? out & 0xffffffffL : -1;
  }

  /** {@code 128}, {@code 1/4}, {@code echo-request}: ip6tables' {@code --icmpv6-type}. */
  static Match icmpv6Type(String rule, Integer flow) {
    if (flow == null) {
      return Match.MAYBE;
    }
    Integer type = ICMPV6_TYPES.get(rule);
    if (type == null) {
      String t = rule.contains("/") ? rule.substring(0, rule.indexOf('/')) : rule;
      try {
        type = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        return Match.MAYBE;
      }
    }
    return Match.of(type.equals(AS_ICMPV6.getOrDefault(flow, flow)));
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
