package io.netprobe.cli.run;

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
    Map<String, List<CheckResult>> groups = new LinkedHashMap<>();
    for (CheckResult r : results) {
      if (r.outcome() == Outcome.OK) {
        continue;
      }
      groups.computeIfAbsent(cause(r, nodes), k -> new ArrayList<>()).add(r);
    }
    List<Finding> findings = new ArrayList<>();
    groups.forEach(
        (cause, cells) -> {
          CheckResult first = cells.get(0);
          String count = cells.size() == 1 ? "1 cell" : cells.size() + " cells";
          String what = first.outcome() == Outcome.ERROR ? " could not be checked" : " unexpected";
          findings.add(
              new Finding(
                  cause + ": " + count + what,
                  first.verdict().hint(),
                  cells.stream().map(CheckResult::id).toList()));
        });
    return findings;
  }

  private static String cause(CheckResult r, Map<String, RunNode> nodes) {
    RunNode from = nodes.get(r.from());
    if (from != null && !from.isConnected()) {
      return r.from() + " unreachable (" + from.error() + ")";
    }
    if (r.outcome() == Outcome.ERROR) {
      return r.verdict().reason();
    }
    String target = r.toNode() == null ? r.address() : r.toNode();
    return target + ": " + r.verdict().disposition().yamlName();
  }
}
