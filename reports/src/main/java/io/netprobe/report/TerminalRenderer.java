package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The terminal report: heading, grid, legend, grouped findings, the explanation of every cell whose
 * outcome is not OK (with its path trace on a {@code path:} line), the expected failures in brief,
 * the flaky cells, the score.
 */
final class TerminalRenderer implements Renderer {
  private static final char NBSP = '\u00a0';

  /**
   * A class-sized run (thousands of cells) is summarized: past this many columns the grid gives a
   * line per source, past this many cells a section shows its first ones and counts the rest. The
   * HTML, JSON and JUnit reports keep every cell.
   */
  static final int GRID_COLUMNS = 40;

  static final int SECTION_CELLS = 50;

  @Override
  public String render(RunResult run, Options options) {
    return render(run, options.terminal());
  }

  static String render(RunResult run, TerminalOptions o) {
    var out = new ArrayList<String>();
    out.addAll(Text.wrap(heading(run), o.width(), "", "  "));
    out.add("");
    if (!run.facts().isEmpty()) {
      out.addAll(configuration(run, o));
      out.add("");
    }
    Grid grid = Grid.of(run);
    if (grid.columns().size() > GRID_COLUMNS) {
      out.addAll(perSource(run, grid, o));
    } else {
      out.addAll(TerminalGrid.lines(grid, o));
    }
    out.add("");
    out.addAll(legend(o));
    if (!o.studentView() && !run.findings().isEmpty()) {
      section(out, "Findings", o);
      run.findings().forEach(f -> finding(out, f, o));
    }
    var problems = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    if (!problems.isEmpty()) {
      section(out, "Not as expected", o);
      problems.stream().limit(SECTION_CELLS).forEach(c -> problem(out, c, o));
      if (problems.size() > SECTION_CELLS) {
        out.add("");
        out.addAll(Text.wrap(more(problems, SECTION_CELLS), o.width(), "  ", "    "));
      }
    }
    var blocked = run.reach().stream().filter(c -> Mark.of(c) == Mark.BLOCKED).toList();
    if (!blocked.isEmpty()) {
      section(out, "Did not reach, as expected", o);
      for (CheckResult c : blocked.subList(0, Math.min(SECTION_CELLS, blocked.size()))) {
        brief(out, c, o.studentView() ? c.verdict().hint() : reason(c), o);
        path(out, c, o);
      }
      if (blocked.size() > SECTION_CELLS) {
        out.addAll(Text.wrap(more(blocked, SECTION_CELLS), o.width(), "  ", "    "));
      }
    }
    if (!run.measured().isEmpty()) {
      section(out, "Paths measured", o);
      var rows = PathsTable.rows(run);
      out.addAll(PathsTable.aligned(PathsTable.HEADER, PathsTable.cells(rows, SECTION_CELLS)));
      if (rows.size() > SECTION_CELLS) {
        out.add("  " + PathsTable.more(rows, SECTION_CELLS));
      }
      out.add("");
      out.add("By path kind:");
      out.addAll(PathsTable.aligned(PathsTable.KIND_HEADER, PathsTable.byKind(run)));
    }
    var flaky = run.checks().stream().filter(CheckResult::flaky).toList();
    if (!flaky.isEmpty()) {
      section(out, "Flaky (a retry changed the observation)", o);
      flaky.forEach(c -> brief(out, c, Text.timing(c), o));
    }
    out.add("");
    out.addAll(Text.wrap("Score: " + Text.score(run), o.width(), "", "  "));
    return String.join("\n", out) + "\n";
  }

  /**
   * The checks of configuration, lowest layer first: one line each with its mark, what it states
   * and what the node has. They come before the grid because a failing one explains cells of it.
   */
  private static List<String> configuration(RunResult run, TerminalOptions o) {
    var lines = new ArrayList<String>();
    lines.add("Configuration (lowest layer first):");
    var facts = run.facts();
    for (CheckResult c : facts.subList(0, Math.min(SECTION_CELLS, facts.size()))) {
      var head = c.title().equals(c.id()) ? c.id() : c.title() + " (" + c.id() + ")";
      var text = ": " + Text.factResult(c, o.studentView());
      lines.addAll(marked(Mark.of(c), Text.wrap(head + text, o.width(), "  ", "    "), o));
    }
    if (facts.size() > SECTION_CELLS) {
      lines.addAll(Text.wrap(more(facts, SECTION_CELLS), o.width(), "  ", "    "));
    }
    return lines;
  }

  /** The cells after the first {@code shown}, counted by disposition. */
  private static String more(List<CheckResult> cells, int shown) {
    var counts = new java.util.TreeMap<String, Integer>();
    cells.stream()
        .skip(shown)
        .forEach(
            c ->
                counts.merge(
                    c.verdict().disposition() == null
                        ? "could not be checked"
                        : c.verdict().disposition().name(),
                    1,
                    Integer::sum));
    var parts = new ArrayList<String>();
    counts.forEach((d, n) -> parts.add(n + " " + d));
    return "... and "
        + (cells.size() - shown)
        + " more ("
        + String.join(", ", parts)
        + "): the HTML, JSON and JUnit reports list every cell";
  }

  /** A grid too wide to read: a line per source with how its cells came out. */
  private static List<String> perSource(RunResult run, Grid grid, TerminalOptions o) {
    var lines = new ArrayList<String>();
    lines.addAll(
        Text.wrap(
            "The grid has "
                + grid.rows().size()
                + " sources and "
                + grid.columns().size()
                + " targets: a line per source here, the whole grid in the HTML report.",
            o.width(),
            "",
            ""));
    var bySource = new java.util.LinkedHashMap<String, java.util.EnumMap<Mark, Integer>>();
    grid.rows().forEach(r -> bySource.put(r, new java.util.EnumMap<>(Mark.class)));
    for (CheckResult c : run.reach()) {
      bySource
          .computeIfAbsent(c.from(), k -> new java.util.EnumMap<>(Mark.class))
          .merge(Mark.of(c), 1, Integer::sum);
    }
    int width = grid.rows().stream().mapToInt(String::length).max().orElse(4);
    bySource.forEach(
        (source, marks) -> {
          var line = new StringBuilder(source).append(Text.repeat(' ', width - source.length()));
          for (Mark mark : Mark.values()) {
            int n = marks.getOrDefault(mark, 0);
            if (n > 0) {
              line.append("  ").append(mark.symbol(o)).append(' ').append(n);
            }
          }
          lines.add(line.toString());
        });
    return lines;
  }

  private static String heading(RunResult run) {
    var file = run.matrixFile() == null ? "" : " (" + run.matrixFile() + ")";
    return "netprobe: "
        + run.matrixName()
        + file
        + ", started "
        + Text.started(run)
        + ", "
        + Text.checks(run.checks().size())
        + " in "
        + run.elapsedMs()
        + " ms";
  }

  /** The legend's entries packed into lines of the width; colour added after measuring. */
  private static List<String> legend(TerminalOptions o) {
    var plain = new ArrayList<String>();
    var shown = new ArrayList<String>();
    for (Mark mark : Mark.values()) {
      plain.add(mark.symbol(o.plain()) + " " + mark.meaning());
      shown.add(mark.symbol(o) + " " + mark.meaning());
    }
    List<String> more = List.of("* flaky", Mark.notChecked(o) + " not checked");
    plain.addAll(more);
    shown.addAll(more);
    var lines = new ArrayList<String>();
    var line = new StringBuilder();
    int length = 0;
    for (int i = 0; i < plain.size(); i++) {
      if (length > 0 && length + 3 + plain.get(i).length() > o.width()) {
        lines.add(line.toString());
        line = new StringBuilder();
        length = 0;
      }
      if (length > 0) {
        line.append("   ");
        length += 3;
      }
      line.append(shown.get(i));
      length += plain.get(i).length();
    }
    lines.add(line.toString());
    return lines;
  }

  private static void section(List<String> out, String title, TerminalOptions o) {
    out.add("");
    out.add(o.color() ? "\u001b[1m" + title + "\u001b[0m" : title);
    out.add(Text.repeat('-', title.length()));
  }

  private static void finding(List<String> out, Finding finding, TerminalOptions o) {
    out.addAll(Text.wrap(finding.summary(), o.width(), "- ", "  "));
    if (!finding.hint().isBlank()) {
      out.addAll(Text.wrap(finding.hint(), o.width(), "  hint: ", "        "));
    }
    out.addAll(Text.wrap(String.join(", ", finding.checkIds()), o.width(), "  cells: ", "    "));
  }

  private static void problem(List<String> out, CheckResult c, TerminalOptions o) {
    var mark = Mark.of(c);
    var head = c.title() + " (" + Text.path(c) + "), " + c.outcome() + ", " + Text.points(c);
    out.add("");
    out.addAll(marked(mark, Text.wrap(head, o.width(), "  ", "    "), o));
    if (!o.studentView()) {
      out.addAll(Text.wrap(reason(c), o.width(), "    ", "      "));
      for (Evidence e : c.verdict().evidence()) {
        out.addAll(Text.wrap(e.toString(), o.width(), "      | ", "      |   "));
      }
      path(out, c, o);
    }
    if (!c.verdict().hint().isBlank()) {
      out.addAll(Text.wrap(c.verdict().hint(), o.width(), "    hint: ", "          "));
    }
    if (!o.studentView()) {
      for (String pcap : c.pcapFiles()) {
        out.add("    pcap: " + pcap);
      }
      if (c.attempts() > 0) {
        out.add("    timing: " + Text.timing(c));
      }
    }
  }

  /**
   * The path trace on a line of its own ({@code path: 1 fw (10.60.1.1) 0.4 ms > 2 rt (10.60.3.2)
   * 0.6 ms > 3 * (lost here)}), wrapped between hops only; where the flow was lost or stopped in
   * the cell's colour. Packet evidence: not in the student view.
   */
  private static void path(List<String> out, CheckResult c, TerminalOptions o) {
    var path = c.verdict().path();
    if (o.studentView() || path.isEmpty()) {
      return;
    }
    var steps = PathTrace.steps(path);
    // A hop's own spaces are no-break spaces while wrapping, so that lines break between hops.
    var hops = steps.stream().map(s -> s.text().replace(' ', NBSP)).toList();
    var lines = Text.wrap(String.join(" > ", hops), o.width(), "    path: ", "          ");
    for (int i = 0; i < lines.size(); i++) {
      var line = lines.get(i).replace(NBSP, ' ');
      for (var step : steps) {
        var role = step.role();
        if (o.color() && (role == PathTrace.Role.LOST || role == PathTrace.Role.STOPPED)) {
          line = line.replace(step.text(), Mark.of(c).paint(step.text(), true));
        }
      }
      lines.set(i, line);
    }
    out.addAll(lines);
  }

  private static String reason(CheckResult c) {
    return Text.expectation(c) + ": " + c.verdict().reason();
  }

  private static void brief(List<String> out, CheckResult c, String text, TerminalOptions o) {
    var head = c.title() + " (" + Text.path(c) + ")" + (text.isBlank() ? "" : ": " + text);
    out.addAll(marked(Mark.of(c), Text.wrap(head, o.width(), "  ", "    "), o));
  }

  /**
   * Puts the mark in the first two columns of wrapped lines (wrapped without it, so that ANSI codes
   * do not count as width).
   */
  private static List<String> marked(Mark mark, List<String> lines, TerminalOptions o) {
    lines.set(0, mark.symbol(o) + " " + lines.get(0).substring(2));
    return lines;
  }
}
