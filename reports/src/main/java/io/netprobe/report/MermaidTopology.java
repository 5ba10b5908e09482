package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.RunResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's topology as a Mermaid {@code graph}: one node per matrix node, one edge per check
 * labelled with its probe and mark, coloured by result with {@code linkStyle}; checks that did not
 * reach as expected are dotted. Nodes whose agent did not answer are drawn dashed.
 */
final class MermaidTopology {
  private MermaidTopology() {}

  static void append(StringBuilder md, RunResult run) {
    var grid = Grid.of(run);
    Map<String, String> ids = new HashMap<>();
    Map<String, NodeReport> reports = new HashMap<>();
    run.nodes().forEach(n -> reports.put(n.name(), n));
    md.append("```mermaid\ngraph LR\n");
    List<String> nodes = grid.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      var name = nodes.get(i);
      ids.put(name, "n" + i);
      var node = reports.get(name);
      var label = node == null ? name : name + " (" + node.kind() + ")";
      md.append("  n").append(i).append("[\"").append(quote(label)).append("\"]\n");
    }
    int edge = 0;
    var styles = new StringBuilder();
    for (CheckResult c : run.reach()) {
      var mark = Mark.of(c);
      var arrow = mark == Mark.BLOCKED ? " -.->|\"" : " -->|\"";
      md.append("  ").append(ids.get(c.from())).append(arrow);
      md.append(quote(c.probe() + " " + mark.symbol())).append("\"| ");
      md.append(ids.get(Grid.target(c))).append('\n');
      styles.append("  linkStyle ").append(edge++).append(" stroke:").append(mark.color());
      styles.append(",stroke-width:2px,color:").append(mark.color()).append('\n');
    }
    md.append(styles);
    md.append("  classDef down stroke-dasharray:4 3,stroke:").append(Mark.ERROR.color());
    md.append('\n');
    for (NodeReport node : run.nodes()) {
      if (ids.containsKey(node.name()) && !node.connected() && !node.kind().equals("address")) {
        md.append("  class ").append(ids.get(node.name())).append(" down\n");
      }
    }
    md.append("```\n");
  }

  private static String quote(String label) {
    return label.replace("\"", "#quot;");
  }
}
