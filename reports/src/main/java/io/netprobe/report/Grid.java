package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The matrix layout every grid-shaped format shares: rows are the sources, columns the targets (the
 * target node, or the literal address when the matrix named no node), both in the order of the
 * run's nodes; a cell holds the checks of one pair, in the matrix's order.
 */
final class Grid {
  private final List<String> rows;
  private final List<String> columns;
  private List<String> nodes;
  private final Map<String, List<CheckResult>> cells = new LinkedHashMap<>();

  private Grid(List<String> rows, List<String> columns) {
    this.rows = rows;
    this.columns = columns;
  }

  static Grid of(RunResult run) {
    var fromNames = new LinkedHashSet<String>();
    var toNames = new LinkedHashSet<String>();
    for (CheckResult check : run.checks()) {
      if (check.isFact()) {
        continue;
      }
      fromNames.add(check.from());
      toNames.add(target(check));
    }
    var all = new LinkedHashSet<String>(fromNames);
    all.addAll(toNames);
    var grid = new Grid(ordered(run, fromNames), ordered(run, toNames));
    grid.nodes = ordered(run, all);
    for (CheckResult check : run.reach()) {
      grid.cells
          .computeIfAbsent(key(check.from(), target(check)), k -> new ArrayList<>())
          .add(check);
    }
    return grid;
  }

  /** The column a check goes in: its target node, or the address it names. */
  static String target(CheckResult check) {
    return check.toNode() != null ? check.toNode() : check.to();
  }

  private static List<String> ordered(RunResult run, LinkedHashSet<String> names) {
    var result = new ArrayList<String>();
    for (NodeReport node : run.nodes()) {
      if (names.remove(node.name())) {
        result.add(node.name());
      }
    }
    result.addAll(names);
    return List.copyOf(result);
  }

  private static String key(String from, String to) {
    return from + "\u0000" + to;
  }

  List<String> rows() {
    return rows;
  }

  List<String> columns() {
    return columns;
  }

  List<CheckResult> cell(String from, String to) {
    return cells.getOrDefault(key(from, to), List.of());
  }

  /** Every node that is a source or a target, in the run's order. */
  List<String> nodes() {
    return nodes;
  }
}
