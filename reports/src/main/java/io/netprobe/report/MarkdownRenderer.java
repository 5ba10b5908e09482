package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.List;

/**
 * Markdown for a pull request or an LMS: summary and score, the grid as a table, findings, the
 * cells not as expected (with their path traces, a hop an item), the expected failures in brief,
 * and a Mermaid topology whose edges (one per check) are coloured by result.
 */
final class MarkdownRenderer implements Renderer {
  @Override
  public String render(RunResult run, Options options) {
    var md = new StringBuilder();
    md.append("# netprobe: ").append(esc(run.matrixName())).append("\n\n");
    md.append("**Score: ").append(run.pointsEarned()).append('/').append(run.pointsPossible());
    md.append(" points**; ").append(esc(Text.counts(run))).append(".\n\n");
    if (run.matrixFile() != null) {
      md.append("Matrix `").append(run.matrixFile()).append("`, ");
    }
    md.append("started ").append(Text.started(run)).append(", ").append(run.elapsedMs());
    md.append(" ms.\n\n");
    if (!run.facts().isEmpty()) {
      configuration(md, run, options.studentView());
    }
    md.append("## Matrix\n\n");
    table(md, Grid.of(run));
    if (!options.studentView() && !run.findings().isEmpty()) {
      md.append("\n## Findings\n\n");
      run.findings().forEach(f -> finding(md, f));
    }
    var problems = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    if (!problems.isEmpty()) {
      md.append("\n## Not as expected\n");
      problems.forEach(c -> problem(md, c, options.studentView()));
    }
    brief(md, run, options.studentView());
    if (!run.measured().isEmpty()) {
      md.append("\n## Paths measured\n\n");
      var rows = PathsTable.rows(run);
      markdownTable(md, PathsTable.HEADER, PathsTable.cells(rows, MD_PATHS));
      if (rows.size() > MD_PATHS) {
        md.append('\n').append(PathsTable.more(rows, MD_PATHS)).append('\n');
      }
      md.append("\nBy path kind:\n\n");
      markdownTable(md, PathsTable.KIND_HEADER, PathsTable.byKind(run));
    }
    if (run.topology().isEmpty()) {
      md.append("\n## Topology\n\n");
      MermaidTopology.append(md, run);
    } else {
      md.append("\n## The lab, as its agents found it\n\n");
      LabText.mermaid(md, run.topology());
    }
    return md.toString();
  }

  /** The checks of configuration, lowest layer first, before the matrix they explain. */
  private static void configuration(StringBuilder md, RunResult run, boolean student) {
    md.append(
        "## Configuration\n\n| | node | fact | check | result |\n| :-: | --- | --- | --- | --- |\n");
    for (CheckResult c : run.facts()) {
      md.append("| ").append(Mark.of(c).symbol()).append(" | ").append(esc(c.from()));
      md.append(" | `").append(c.probe()).append(' ').append(c.to().replace("`", "'"));
      md.append("` | ").append(esc(c.title())).append(" | ");
      md.append(esc(Text.factResult(c, student)));
      md.append(" |\n");
    }
    md.append('\n');
  }

  /** The paths a Markdown report lists; a pull request or an LMS page needs no more. */
  private static final int MD_PATHS = 100;

  private static void markdownTable(
      StringBuilder md, List<String> header, List<List<String>> rows) {
    md.append('|');
    header.forEach(h -> md.append(' ').append(h).append(" |"));
    md.append("\n|");
    for (int i = 0; i < header.size(); i++) {
      md.append(i < 3 && header == PathsTable.HEADER || i == 0 ? " --- |" : " ---: |");
    }
    md.append('\n');
    for (List<String> row : rows) {
      md.append('|');
      row.forEach(cell -> md.append(' ').append(esc(cell)).append(" |"));
      md.append('\n');
    }
  }

  private static void table(StringBuilder md, Grid grid) {
    md.append("| from \\\\ to |");
    grid.columns().forEach(c -> md.append(' ').append(esc(c)).append(" |"));
    md.append("\n| --- |");
    grid.columns().forEach(c -> md.append(" :-: |"));
    md.append('\n');
    for (String row : grid.rows()) {
      md.append("| **").append(esc(row)).append("** |");
      for (String column : grid.columns()) {
        var symbols = new StringBuilder();
        for (CheckResult c : grid.cell(row, column)) {
          symbols.append(Mark.of(c).symbol()).append(c.flaky() ? "\\*" : "");
        }
        md.append(' ').append(symbols.length() == 0 ? " " : symbols).append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
    for (Mark mark : Mark.values()) {
      md.append(mark.symbol()).append(' ').append(mark.meaning()).append(" · ");
    }
    md.append("\\* flaky\n");
  }

  private static void finding(StringBuilder md, Finding f) {
    md.append("- **").append(esc(f.summary())).append("**");
    if (!f.hint().isBlank()) {
      md.append(". Hint: ").append(esc(f.hint()));
    }
    md.append(" (cells: ");
    md.append(String.join(", ", f.checkIds().stream().map(id -> "`" + id + "`").toList()));
    md.append(")\n");
  }

  private static void problem(StringBuilder md, CheckResult c, boolean student) {
    md.append("\n### ").append(Mark.of(c).symbol()).append(' ').append(esc(c.title()));
    md.append("\n\n`").append(Text.path(c)).append("`, ").append(c.outcome()).append(", ");
    md.append(Text.points(c));
    if (student) {
      md.append(".\n");
    } else {
      md.append(", ").append(Text.expectation(c)).append(".\n\n");
      md.append(esc(c.verdict().reason())).append('\n');
      if (!c.verdict().evidence().isEmpty()) {
        md.append("\n```text\n");
        for (var e : c.verdict().evidence()) {
          md.append(e.toString().replace("```", "'''")).append('\n');
        }
        md.append("```\n");
      }
      path(md, c);
    }
    if (!c.verdict().hint().isBlank()) {
      md.append("\n**Hint:** ").append(esc(c.verdict().hint())).append('\n');
    }
    if (!student) {
      if (!c.pcapFiles().isEmpty()) {
        md.append("\nEvidence files: ");
        md.append(String.join(", ", c.pcapFiles().stream().map(MarkdownRenderer::link).toList()));
        md.append('\n');
      }
      if (c.attempts() > 0) {
        md.append("\nTiming: ").append(Text.timing(c)).append(".\n");
      }
    }
  }

  private static void brief(StringBuilder md, RunResult run, boolean student) {
    var blocked = run.reach().stream().filter(c -> Mark.of(c) == Mark.BLOCKED).toList();
    if (blocked.isEmpty()) {
      return;
    }
    md.append("\n## Did not reach, as expected\n\n");
    for (CheckResult c : blocked) {
      var text = student ? c.verdict().hint() : c.verdict().reason();
      md.append("- ").append(Mark.BLOCKED.symbol()).append(" **").append(esc(c.title()));
      md.append("** (`").append(Text.path(c)).append("`)");
      md.append(text.isBlank() ? "" : ": " + esc(text)).append('\n');
      if (!student && !c.verdict().path().isEmpty()) {
        md.append("  - path: ").append(esc(PathTrace.line(c.verdict().path(), " → "))).append('\n');
      }
    }
  }

  /** The path trace as a list, one hop an item; where the flow was lost or stopped in bold. */
  private static void path(StringBuilder md, CheckResult c) {
    if (c.verdict().path().isEmpty()) {
      return;
    }
    md.append("\nPath (a trace of the same flow, hop by hop):\n\n");
    for (var step : PathTrace.steps(c.verdict().path())) {
      var role = step.role();
      boolean stop = role == PathTrace.Role.LOST || role == PathTrace.Role.STOPPED;
      md.append("- ").append(stop ? "**" + esc(step.text()) + "**" : esc(step.text()));
      md.append('\n');
    }
  }

  private static String link(String pcap) {
    return "[`" + pcap + "`](" + pcap.replace(" ", "%20").replace(")", "%29") + ")";
  }

  /** Escapes the characters Markdown would read as markup or a table's cell border. */
  static String esc(String text) {
    var sb = new StringBuilder();
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '\\', '`', '*', '_', '[', ']', '|', '#' -> sb.append('\\').append(ch);
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '\n' -> sb.append(' ');
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
