package io.netprobe.agent.rules;

import io.netprobe.agent.net.NetNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Snapshots the packet-filter rules of the calling thread's network namespace, with their counters,
 * from {@code iptables-save -c}: the default backend always, and the other backend too (legacy
 * beside nft, or nft beside legacy) when it holds rules, each labelled. Never throws for a node
 * that cannot be read: the reason goes to {@link RulesSnapshot#unavailable()}.
 *
 * <p>All tables are read and the ones asked for kept: {@code iptables-legacy-save -t nat} would
 * load the nat module into the kernel, a full save reads only the tables already there.
 */
public final class RulesReader {
  private static final List<String> SAVES =
      List.of("iptables-save", "iptables-nft-save", "iptables-legacy-save");
  private static final Pattern DENIED =
      Pattern.compile("(?i)permission denied|you must be root|operation not permitted");

  /** Why there are no rules to read on a machine without iptables. */
  public static final String NOT_FOUND =
      "iptables-save not found (looked in PATH and " + String.join(", ", Commands.SBIN) + ")";

  private final Commands commands;
  private final Path legacyTableNames;

  /**
   * @param legacyTableNames the namespace's {@code ip_tables_names}: when it is missing or empty
   *     there are no legacy tables and iptables-legacy-save is not run (half the time of a
   *     snapshot)
   */
  public RulesReader(Commands commands, Path legacyTableNames) {
    this.commands = commands;
    this.legacyTableNames = legacyTableNames;
  }

  /** The calling thread's namespace, as it is now. */
  public static RulesReader system() {
    return new RulesReader(Commands.SYSTEM, NetNamespace.procNet().resolve("ip_tables_names"));
  }

  /** The rules now; {@code tables} empty means all of them. */
  public RulesSnapshot snapshot(Set<String> tables, long timeoutMs) {
    long start = System.nanoTime();
    List<RuleSet> sets = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    Optional<Path> primary = binary(commands);
    if (primary.isEmpty()) {
      unavailable.add(NOT_FOUND);
    } else {
      Read first = read(primary.get(), tables, timeoutMs);
      if (first.set != null) {
        sets.add(first.set);
        String other =
            first.set.backend().equals(RuleSet.LEGACY)
                ? "iptables-nft-save"
                : "iptables-legacy-save";
        Optional<Path> second =
            other.equals("iptables-legacy-save") && !legacyTablesMayExist()
                ? Optional.empty()
                : commands.find(other);
        if (second.isPresent()) {
          Read more = read(second.get(), tables, timeoutMs);
          if (more.set != null && more.set.hasRules()) {
            sets.add(more.set);
          } else if (more.failure != null) {
            unavailable.add(more.failure);
          }
        }
      } else {
        unavailable.add(first.failure);
      }
    }
    return new RulesSnapshot(
        sets, unavailable, Math.round((System.nanoTime() - start) / 1e3) / 1e3);
  }

  /** The iptables-save a snapshot runs first on this machine, if any. */
  public static Optional<Path> binary() {
    return binary(Commands.SYSTEM);
  }

  private static Optional<Path> binary(Commands commands) {
    return SAVES.stream().map(commands::find).flatMap(Optional::stream).findFirst();
  }

  /** False only when the kernel says so: no ip_tables_names, or an empty one. */
  private boolean legacyTablesMayExist() {
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

  private Read read(Path binary, Set<String> tables, long timeoutMs) {
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
    if (backend == null) {
      backend = backendOfBinary(binary);
    }
    try {
      RuleSet all = IptablesSave.parse(r.out(), backend);
      if (tables.isEmpty()) {
        return new Read(all, null);
      }
      return new Read(
          new RuleSet(
              backend, all.tables().stream().filter(t -> tables.contains(t.name())).toList()),
          null);
    } catch (IllegalArgumentException e) {
      return new Read(null, "could not parse what " + name + " printed: " + e.getMessage());
    }
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
