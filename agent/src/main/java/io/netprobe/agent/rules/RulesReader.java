package io.netprobe.agent.rules;

import io.netprobe.agent.facts.NfTables;
import io.netprobe.agent.facts.NftRules;
import io.netprobe.agent.net.NetNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Snapshots the packet-filter rules of the calling thread's network namespace, with their counters,
 * from {@code iptables-save -c}: the default backend always, and the other backend too (legacy
 * beside nft, or nft beside legacy) when it holds rules, each labelled. The IPv6 rules too, from
 * {@code ip6tables-save -c} the same way, when the namespace has an IPv6 address beyond its link (a
 * namespace without one cannot carry an IPv6 check, and the process is half a snapshot's time).
 * Never throws for a node that cannot be read: the reason goes to {@link
 * RulesSnapshot#unavailable()}.
 *
 * <p>All tables are read and the ones asked for kept: {@code iptables-legacy-save -t nat} would
 * load the nat module into the kernel, a full save reads only the tables already there.
 */
public final class RulesReader {
  /** The binaries of one address family: default, nft, legacy. */
  private record Family(String save, String nft, String legacy, String prefix, int nfproto) {
    List<String> saves() {
      return List.of(save, nft, legacy);
    }
  }

  private static final Family IPV4 =
      new Family("iptables-save", "iptables-nft-save", "iptables-legacy-save", "", NfTables.IPV4);
  private static final Family IPV6 =
      new Family(
          "ip6tables-save", "ip6tables-nft-save", "ip6tables-legacy-save", "ip6", NfTables.IPV6);
  private static final Pattern DENIED =
      Pattern.compile("(?i)permission denied|you must be root|operation not permitted");

  /** Why there are no rules to read on a machine without iptables. */
  public static final String NOT_FOUND =
      "iptables-save not found (looked in PATH and " + String.join(", ", Commands.SBIN) + ")";

  private final Commands commands;
  private final Path procNet;
  private final IntFunction<OptionalInt> nftTables;
  private final IntFunction<Optional<NftRules.State>> nftRules;

  /**
   * The rules iptables-nft-save printed, by family and the fingerprint of the nf_tables rules they
   * came from ({@link NftRules}): while a namespace's rules stay the same, a snapshot takes their
   * counters from the kernel and needs no process. A few hundred kept, the oldest dropped.
   */
  private static final Map<String, RuleSet> PRINTED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RuleSet> eldest) {
              return size() > 512;
            }
          });

  /**
   * @param procNet the namespace's {@code /proc/net}: its {@code ip_tables_names} (and {@code
   *     ip6_tables_names}) missing or empty means there are no legacy tables, and
   *     iptables-legacy-save is not run (half the time of a snapshot); its {@code if_inet6} says
   *     whether the IPv6 rules are read at all
   */
  public RulesReader(Commands commands, Path procNet) {
    this(commands, procNet, family -> OptionalInt.empty());
  }

  /**
   * @param nftTables how many nf_tables tables of a family (nfproto) the namespace holds, empty
   *     when not known: none (and no legacy table) means an iptables-save of that family would
   *     print nothing, and it is not started
   */
  public RulesReader(Commands commands, Path procNet, IntFunction<OptionalInt> nftTables) {
    this(commands, procNet, nftTables, family -> Optional.empty());
  }

  /**
   * @param nftRules the nf_tables rules of a family (nfproto) with their counters, empty when not
   *     known: where iptables-nft-save printed rules of the same fingerprint before, their counters
   *     are taken from it and no process is started
   */
  public RulesReader(
      Commands commands,
      Path procNet,
      IntFunction<OptionalInt> nftTables,
      IntFunction<Optional<NftRules.State>> nftRules) {
    this.commands = commands;
    this.procNet = procNet;
    this.nftTables = nftTables;
    this.nftRules = nftRules;
  }

  /** Where printed rule sets outlive this JVM ({@link PrintedRules}); null: in memory only. */
  private static volatile PrintedRules kept;

  /**
   * Keeps the rule sets iptables-nft-save prints in {@code dir} too, for later runs (null: in
   * memory only, the default). For the coordinator's own machine: an agent on another node keeps
   * nothing there.
   */
  public static void keepPrintedIn(Path dir) {
    kept = dir == null ? null : new PrintedRules(dir);
  }

  /** Forgets the rule sets kept in memory (a test's new JVM). */
  static void forgetPrinted() {
    PRINTED.clear();
  }

  /** The calling thread's namespace, as it is now. */
  public static RulesReader system() {
    return new RulesReader(
        Commands.SYSTEM, NetNamespace.procNet(), NfTables::count, NftRules::read);
  }

  /** The rules now; {@code tables} empty means all of them. */
  public RulesSnapshot snapshot(Set<String> tables, long timeoutMs) {
    long start = System.nanoTime();
    List<RuleSet> sets = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    read(IPV4, tables, timeoutMs, sets, unavailable);
    if (hasRoutableIpv6()) {
      read(IPV6, tables, timeoutMs, sets, unavailable);
    }
    return new RulesSnapshot(
        sets, unavailable, Math.round((System.nanoTime() - start) / 1e3) / 1e3);
  }

  /**
   * One family's rules into {@code sets}: its default backend's (the IPv4 set even when empty, so
   * that a node without rules says so), the other backend's when it holds rules.
   */
  private void read(
      Family family,
      Set<String> tables,
      long timeoutMs,
      List<RuleSet> sets,
      List<String> unavailable) {
    Optional<Path> primary = binary(commands, family);
    if (primary.isEmpty()) {
      if (family == IPV4) {
        unavailable.add(NOT_FOUND);
      } else {
        unavailable.add(
            family.save() + " not found: this node's IPv6 rules are not read (install iptables)");
      }
      return;
    }
    boolean legacyEmpty = !legacyTablesMayExist(family);
    boolean nftEmpty = nftTables.apply(family.nfproto()).orElse(-1) == 0;
    String primaryBackend = backendOfBinary(primary.get());
    Read first =
        primaryBackend.equals(RuleSet.NFT) && nftEmpty
                || primaryBackend.equals(RuleSet.LEGACY) && legacyEmpty
            ? new Read(new RuleSet(named(primaryBackend, family), List.of()), null)
            : read(primary.get(), family, tables, timeoutMs);
    if (first.set == null) {
      unavailable.add(first.failure);
      return;
    }
    if (family == IPV4 || first.set.hasRules()) {
      sets.add(first.set);
    }
    boolean firstIsLegacy = first.set.backend().endsWith("-legacy");
    String other = firstIsLegacy ? family.nft() : family.legacy();
    boolean otherEmpty = other.equals(family.legacy()) ? legacyEmpty : nftEmpty;
    Optional<Path> second = otherEmpty ? Optional.empty() : commands.find(other);
    if (second.isPresent()) {
      Read more = read(second.get(), family, tables, timeoutMs);
      if (more.set != null && more.set.hasRules()) {
        sets.add(more.set);
      } else if (more.failure != null) {
        unavailable.add(more.failure);
      }
    }
  }

  /**
   * Whether the namespace has an IPv6 address of global or unique-local scope ({@code if_inet6}'s
   * scope 00): without one it carries no IPv6 check beyond its own links.
   */
  private boolean hasRoutableIpv6() {
    Path inet6 = procNet.resolve("if_inet6");
    try (BufferedReader in = Files.newBufferedReader(inet6)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[3].equals("00")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false; // no IPv6 in this kernel or namespace
    }
  }

  /** The iptables-save a snapshot runs first on this machine, if any. */
  public static Optional<Path> binary() {
    return binary(Commands.SYSTEM, IPV4);
  }

  private static Optional<Path> binary(Commands commands, Family family) {
    return family.saves().stream().map(commands::find).flatMap(Optional::stream).findFirst();
  }

  /** False only when the kernel says so: no ip_tables_names, or an empty one. */
  private boolean legacyTablesMayExist(Family family) {
    Path legacyTableNames =
        procNet.resolve(family.prefix().equals("ip6") ? "ip6_tables_names" : "ip_tables_names");
    if (!Files.exists(legacyTableNames)) {
      return false;
    }
    try (BufferedReader in = Files.newBufferedReader(legacyTableNames)) {
      return in.readLine() != null; // a /proc file: its size says 0 even when it has lines
    } catch (IOException e) {
      return true; // unreadable (no privilege): let iptables-legacy-save say why
    }
  }

  private record Read(RuleSet set, String failure) {}

  /**
   * The rules of one binary: an nft one's from the kernel's counters where it printed the same
   * rules before ({@link #PRINTED}), else from what it prints now.
   */
  private Read read(Path binary, Family family, Set<String> tables, long timeoutMs) {
    if (!backendOfBinary(binary).equals(RuleSet.NFT)) {
      return only(save(binary, family, timeoutMs), tables);
    }
    Optional<NftRules.State> before = nftRules.apply(family.nfproto());
    String key = before.map(s -> family.save() + " " + s.fingerprint()).orElse(null);
    RuleSet printed = key == null ? null : PRINTED.get(key);
    PrintedRules disk = kept;
    if (printed == null && key != null && disk != null) {
      printed = disk.get(key, binary).orElse(null);
      if (printed != null) {
        PRINTED.put(key, printed);
      }
    }
    RuleSet counted = printed == null ? null : counted(printed, before.get());
    if (counted != null) {
      return only(new Read(counted, null), tables);
    }
    Read read = save(binary, family, timeoutMs);
    if (read.set != null && key != null) {
      // kept only when nothing changed while it printed
      nftRules
          .apply(family.nfproto())
          .filter(after -> after.fingerprint().equals(before.get().fingerprint()))
          .ifPresent(
              after -> {
                PRINTED.put(key, read.set);
                if (disk != null) {
                  disk.put(key, binary, read.set);
                }
              });
    }
    return only(read, tables);
  }

  /**
   * {@code printed} with the counters of {@code now}, rule by rule in each chain's order; null when
   * some chain holds another number of rules. iptables-nft-save prints a built-in chain the kernel
   * does not have (no rule ever added to it) and the policy of one without counters (Debian's
   * iptables 1.8.9 makes none) with [0:0]: those stay as printed.
   */
  static RuleSet counted(RuleSet printed, NftRules.State now) {
    List<Table> tables = new ArrayList<>();
    for (Table t : printed.tables()) {
      List<Chain> chains = new ArrayList<>();
      for (Chain c : t.chains()) {
        NftRules.ChainCounters n = now.chain(t.name(), c.name());
        if (n == null && c.rules().isEmpty()) {
          chains.add(c);
          continue;
        }
        if (n == null || n.rules().size() != c.rules().size()) {
          return null;
        }
        NftRules.Counter policy = n.policy();
        if (c.builtIn() && policy == null) {
          if (c.policyPackets() != 0 || c.policyBytes() != 0) {
            return null;
          }
          policy = new NftRules.Counter(0, 0);
        }
        List<Rule> rules = new ArrayList<>();
        for (Rule r : c.rules()) {
          NftRules.Counter counter = n.rules().get(r.index() - 1);
          if (counter == null) {
            return null;
          }
          rules.add(new Rule(r.index(), r.spec(), r.target(), counter.packets(), counter.bytes()));
        }
        chains.add(
            c.builtIn()
                ? new Chain(c.name(), c.policy(), policy.packets(), policy.bytes(), rules)
                : new Chain(c.name(), null, null, null, rules));
      }
      tables.add(new Table(t.name(), chains));
    }
    return new RuleSet(printed.backend(), tables);
  }

  private static Read only(Read read, Set<String> tables) {
    if (read.set == null || tables.isEmpty()) {
      return read;
    }
    return new Read(
        new RuleSet(
            read.set.backend(),
            read.set.tables().stream().filter(t -> tables.contains(t.name())).toList()),
        null);
  }

  private Read save(Path binary, Family family, long timeoutMs) {
    String name = binary.getFileName().toString();
    Commands.Result r = commands.run(List.of(binary.toString(), "-c"), timeoutMs);
    if (r.timedOut()) {
      return new Read(null, name + " did not finish within " + timeoutMs + " ms");
    }
    if (r.exit() != 0) {
      if (DENIED.matcher(r.err()).find()) {
        return new Read(
            null,
            "permission denied: needs CAP_NET_ADMIN (" + name + ": " + r.firstErrorLine() + ")");
      }
      return new Read(null, name + " failed (exit " + r.exit() + "): " + r.firstErrorLine());
    }
    String backend = IptablesSave.backendOf(r.out());
    backend = named(backend == null ? backendOfBinary(binary) : backend, family);
    try {
      return new Read(IptablesSave.parse(r.out(), backend), null);
    } catch (IllegalArgumentException e) {
      return new Read(null, "could not parse what " + name + " printed: " + e.getMessage());
    }
  }

  /** The backend's label in the family: ip6tables-nft, ip6tables-legacy for IPv6. */
  private static String named(String backend, Family family) {
    return family == IPV6 ? backend.replaceFirst("^iptables", "ip6tables") : backend;
  }

  /**
   * The backend of an iptables-save that printed no header (no table at all): its name, or the
   * xtables-nft-multi / xtables-legacy-multi it links to.
   */
  private static String backendOfBinary(Path binary) {
    String name = binary.getFileName().toString();
    try {
      name = name + " " + binary.toRealPath().getFileName();
    } catch (IOException e) {
      // keep the name
    }
    if (name.contains("legacy")) {
      return RuleSet.LEGACY;
    }
    return name.contains("nft") ? RuleSet.NFT : "iptables";
  }
}
