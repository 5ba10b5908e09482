package io.netprobe.cli.run;

import io.netprobe.agent.probe.SocketFailures;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Groups the cells that are not OK by cause: one finding per unreachable node, per failure. */
final class Findings {
  private Findings() {}

  static List<Finding> of(List<CheckResult> results, Map<String, RunNode> nodes) {
    return of(results, nodes, PacedRetries.Done.NONE);
  }

  /**
   * The same, after the waves of {@link PacedRetries} that checked again the cells a full neighbour
   * table had left unchecked: the finding of what they could not fix says so.
   */
  static List<Finding> of(
      List<CheckResult> results, Map<String, RunNode> nodes, PacedRetries.Done paced) {
    return of(results, nodes, paced, Map.of());
  }

  /**
   * The same, with the failing checks of configuration in words by id ({@link Causes#said}): a
   * failing fact and the cells it explains make one finding.
   */
  static List<Finding> of(
      List<CheckResult> results,
      Map<String, RunNode> nodes,
      PacedRetries.Done paced,
      Map<String, String> facts) {
    Map<String, List<CheckResult>> groups = new LinkedHashMap<>();
    for (CheckResult r : results) {
      if (r.outcome() == Outcome.OK) {
        continue;
      }
      String fact = facts.get(r.cause() != null ? r.cause() : r.id());
      groups.computeIfAbsent(fact != null ? fact : cause(r, nodes), k -> new ArrayList<>()).add(r);
    }
    List<Finding> findings = new ArrayList<>();
    groups.forEach(
        (cause, cells) -> {
          CheckResult first = cells.get(0);
          // a failing fact's finding counts the cells it explains, not the fact itself
          long reach = cells.stream().filter(c -> !c.isFact()).count();
          long n = reach > 0 ? reach : cells.size();
          String count =
              reach == 0 && first.isFact()
                  ? "the check of configuration"
                  : n == 1 ? "1 cell" : n + " cells";
          String what = first.outcome() == Outcome.ERROR ? " could not be checked" : " unexpected";
          if (paced.waves() > 0 && SocketFailures.saysNoBufferSpace(cause)) {
            what +=
                ", also when checked again in "
                    + (paced.waves() == 1 ? "a paced wave" : paced.waves() + " paced waves")
                    + " over "
                    + Math.round(paced.quietMs() / 1000.0)
                    + " s of quiet";
          }
          findings.add(
              new Finding(
                  cause + ": " + count + what,
                  first.verdict().hint(),
                  cells.stream().map(CheckResult::id).toList()));
        });
    return findings;
  }

  /** net.ipv4.neigh.default.gc_thresh3 of this machine, where it can be read. */
  private static java.util.Optional<String> gcThresh3() {
    try {
      // one read from offset 0: a /proc/sys file read a byte at a time (Files.readString on a
      // file of size 0) gives its first byte only
      return java.util.Optional.of(
          java.nio.file.Files.readAllLines(
                  java.nio.file.Path.of("/proc/sys/net/ipv4/neigh/default/gc_thresh3"))
              .get(0)
              .strip());
    } catch (java.io.IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static String cause(CheckResult r, Map<String, RunNode> nodes) {
    RunNode from = nodes.get(r.from());
    if (from != null && !from.isConnected()) {
      return r.from() + " unreachable (" + from.error() + ")";
    }
    if (r.outcome() == Outcome.ERROR && SocketFailures.saysNoBufferSpace(r.verdict().reason())) {
      // one cause for the machine, not one finding per cell: a full neighbour table
      return "the kernel's neighbour (ARP) table was full (ENOBUFS on send"
          + gcThresh3()
              .map(t -> "; this machine allows " + t + " entries for all namespaces")
              .orElse("")
          + ")";
    }
    if (r.outcome() == Outcome.ERROR) {
      return r.verdict().reason();
    }
    String target = r.toNode() == null ? r.address() : r.toNode();
    return target + ": " + r.verdict().disposition().yamlName();
  }
}
