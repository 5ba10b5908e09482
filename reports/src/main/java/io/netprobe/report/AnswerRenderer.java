package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to {@code netprobe check}: one block per probe, as the user asked it. What was tried
 * (in the user's words), the disposition in words, the reason, the evidence, the path and the hint.
 * No grid, no score, no expectation: an ad-hoc check asks what happens, not whether a matrix holds.
 */
final class AnswerRenderer {
  private AnswerRenderer() {}

  /**
   * The blocks of {@code run}, each headed {@code asked} and the check's probe ({@code netns:np-pc
   * -> 10.0.2.15 icmp}).
   */
  static String render(RunResult run, String asked, TerminalOptions o) {
    List<String> out = new ArrayList<>();
    for (CheckResult c : run.checks()) {
      if (!out.isEmpty()) {
        out.add("");
      }
      block(out, c, asked + " " + c.probe(), o);
    }
    return String.join("\n", out) + "\n";
  }

  private static void block(List<String> out, CheckResult c, String asked, TerminalOptions o) {
    String said = said(c);
    Mark mark =
        c.outcome() == Outcome.ERROR ? Mark.ERROR : reached(c) ? Mark.REACHED : Mark.BLOCKED;
    out.addAll(marked(mark, Text.wrap(asked + ": " + said, o.width(), "", "  "), o));
    out.addAll(Text.wrap(c.verdict().reason(), o.width(), "  ", "  "));
    for (Evidence e : c.verdict().evidence()) {
      out.addAll(Text.wrap(e.toString(), o.width(), "  | ", "  |   "));
    }
    if (!c.verdict().path().isEmpty()) {
      List<String> hops =
          PathTrace.steps(c.verdict().path()).stream().map(PathTrace.Step::text).toList();
      out.addAll(Text.wrap(String.join(" > ", hops), o.width(), "  path: ", "        "));
    }
    if (!c.verdict().hint().isBlank()) {
      out.addAll(Text.wrap(c.verdict().hint(), o.width(), "  hint: ", "        "));
    }
    for (String pcap : c.pcapFiles()) {
      out.add("  pcap: " + pcap);
    }
  }

  /** {@code reached}, {@code did not reach: DROPPED_ON_PATH}, {@code could not be checked}. */
  private static String said(CheckResult c) {
    if (c.outcome() == Outcome.ERROR || c.verdict().disposition() == null) {
      return "could not be checked";
    }
    return reached(c) ? "reached" : "did not reach (" + c.verdict().disposition() + ")";
  }

  private static boolean reached(CheckResult c) {
    return c.verdict().disposition() != null && c.verdict().disposition().isReachable();
  }

  private static List<String> marked(Mark mark, List<String> lines, TerminalOptions o) {
    if (!o.color() || lines.isEmpty()) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines);
    out.set(0, mark.paint(lines.get(0), true));
    return out;
  }
}
