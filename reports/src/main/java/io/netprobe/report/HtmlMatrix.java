package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.util.List;

/** The matrix as an HTML heat-map: a cell's colour is its worst mark, a button per check. */
final class HtmlMatrix {
  private HtmlMatrix() {}

  static void append(StringBuilder h, RunResult run, Anchors anchors) {
    var grid = Grid.of(run);
    if (grid.columns().size() > 10) {
      h.append("<p class=\"legend\">").append(grid.columns().size());
      h.append(" columns: scroll the matrix sideways to see them all.</p>\n");
    }
    h.append("<div class=\"scroll\">\n<table class=\"heat\">\n<thead><tr><th>from \\ to</th>");
    grid.columns().forEach(c -> h.append("<th>").append(xml(c)).append("</th>"));
    h.append("</tr></thead>\n<tbody>\n");
    for (String row : grid.rows()) {
      h.append("<tr><th class=\"row\">").append(xml(row)).append("</th>");
      for (String column : grid.columns()) {
        cell(h, anchors, grid.cell(row, column), row.equals(column));
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</div>\n<p class=\"legend\">");
    for (Mark mark : Mark.values()) {
      h.append("<span><b class=\"").append(mark.cssClass()).append("\">").append(mark.symbol());
      h.append("</b> ").append(xml(mark.meaning())).append("</span>");
    }
    h.append("<span><span class=\"flaky\">~</span> flaky</span></p>\n");
  }

  private static void cell(
      StringBuilder h, Anchors anchors, List<CheckResult> checks, boolean self) {
    if (checks.isEmpty()) {
      h.append(self ? "<td class=\"self\"></td>" : "<td></td>");
      return;
    }
    Mark worst = Mark.worst(checks);
    h.append("<td class=\"").append(worst.cssClass()).append("\">");
    for (CheckResult c : checks) {
      var mark = Mark.of(c);
      h.append("<button class=\"chk ").append(mark.cssClass()).append("\" data-check=\"");
      h.append(anchors.of(c)).append("\" title=\"").append(xml(c.probe() + ": " + c.title()));
      h.append("\">").append(mark.symbol());
      h.append(c.flaky() ? "<span class=\"flaky\">~</span>" : "").append("</button>");
    }
    h.append("</td>");
  }

  /**
   * The element id of each check's detail: its index in the run, stable and HTML-safe. Looked up by
   * identity, once per run: {@code indexOf} for every cell compared whole records, and took 12 s at
   * 7,350 cells.
   */
  static final class Anchors {
    private final java.util.Map<CheckResult, Integer> index = new java.util.IdentityHashMap<>();
    private final RunResult run;

    Anchors(RunResult run) {
      this.run = run;
      for (int i = 0; i < run.checks().size(); i++) {
        index.putIfAbsent(run.checks().get(i), i);
      }
    }

    String of(CheckResult check) {
      Integer i = index.get(check);
      return "check-" + (i != null ? i : run.checks().indexOf(check));
    }
  }
}
