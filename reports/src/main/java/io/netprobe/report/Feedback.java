package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;

/**
 * A student's feedback file ({@code feedback.md} in their report directory): their score, then
 * every check with its title, its outcome in plain words and its points, and for each that was not
 * as expected the hint the matrix gives. It is the student view of {@link Options#STUDENT}: no
 * packet evidence, addresses of other nodes' internals, rule dumps or file names, and never a
 * secret (a run's results hold none).
 */
public final class Feedback {
  public static final String FILE = "feedback.md";

  private Feedback() {}

  /** The feedback for {@code student}'s finished run. */
  public static String markdown(String student, RunResult run) {
    var md = new StringBuilder();
    md.append("# ").append(MarkdownRenderer.esc(student)).append(": ");
    md.append(MarkdownRenderer.esc(run.matrixName())).append("\n\n");
    md.append("**Score: ").append(run.pointsEarned()).append('/').append(run.pointsPossible());
    md.append(" points.** ").append(Text.checks(run.checks().size())).append(": ");
    md.append(run.count(Outcome.OK)).append(" as expected, ");
    md.append(run.count(Outcome.UNEXPECTED)).append(" not as expected, ");
    md.append(run.count(Outcome.ERROR)).append(" could not be checked.\n\n");
    md.append("| | check | result | points |\n| :-: | --- | --- | ---: |\n");
    for (CheckResult c : run.checks()) {
      md.append("| ").append(Mark.of(c).symbol()).append(" | ");
      md.append(MarkdownRenderer.esc(c.title())).append(" | ").append(result(c)).append(" | ");
      md.append(c.earned()).append('/').append(c.points()).append(" |\n");
    }
    var todo = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    if (!todo.isEmpty()) {
      md.append("\n## What to look at\n");
      for (CheckResult c : todo) {
        md.append("\n### ").append(Mark.of(c).symbol()).append(' ');
        md.append(MarkdownRenderer.esc(c.title())).append("\n\n");
        md.append(capitalized(result(c))).append(" (").append(Text.points(c)).append(").");
        if (c.outcome() == Outcome.ERROR) {
          md.append(" This is no fault found in your lab: tell your instructor.");
        }
        md.append('\n');
        if (!c.verdict().hint().isBlank()) {
          md.append("\n**Hint:** ").append(MarkdownRenderer.esc(c.verdict().hint())).append('\n');
        }
      }
    }
    return md.toString();
  }

  /** The feedback for a student whose lab could not be run at all. */
  public static String notRun(String student, String problem) {
    return "# "
        + MarkdownRenderer.esc(student)
        + "\n\n**Not graded:** your lab could not be checked: "
        + MarkdownRenderer.esc(problem)
        + ".\n\nThis is no fault found in your lab: tell your instructor.\n";
  }

  private static String result(CheckResult c) {
    return switch (Mark.of(c)) {
      case REACHED -> c.isFact() ? "as expected" : "reached, as expected";
      case BLOCKED -> "did not reach, as expected";
      case UNEXPECTED -> "not as expected";
      case ERROR -> "could not be checked";
    };
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
