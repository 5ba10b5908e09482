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

  @Override
  public String render(RunResult run, Options options) {
    return render(run, options.terminal());
  }

  static String render(RunResult run, TerminalOptions o) {
    var out = new ArrayList<String>();
    out.addAll(Text.wrap(heading(run), o.width(), "", "  "));
    out.add("");
    out.addAll(TerminalGrid.lines(Grid.of(run), o));
    out.add("");
    out.addAll(legend(o));
    if (!o.studentView() && !run.findings().isEmpty()) {
      section(out, "Findings", o);
      run.findings().forEach(f -> finding(out, f, o));
    }
    var problems = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    if (!problems.isEmpty()) {
      section(out, "Not as expected", o);
      problems.forEach(c -> problem(out, c, o));
    }
    var blocked = run.checks().stream().filter(c -> Mark.of(c) == Mark.BLOCKED).toList();
    if (!blocked.isEmpty()) {
      section(out, "Did not reach, as expected", o);
      for (CheckResult c : blocked) {
        brief(out, c, o.studentView() ? c.verdict().hint() : reason(c), o);
        path(out, c, o);
      }
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

  private static String heading(RunResult run) {
    var file = run.matrixFile() == null ? "" : " (" + run.matrixFile() + ")";
    return "netprobe: "
        + run.matrixName()
        + file
        + ", started "
        + run.startedAt()
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
