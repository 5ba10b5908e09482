package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.List;

/** Small text helpers the renderers share: escaping, wrapping, the words of a cell. */
final class Text {
  private Text() {}

  /** Escapes for XML and HTML text and attributes; drops characters XML 1.0 cannot hold. */
  static String xml(String text) {
    var sb = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            cp -> {
              switch (cp) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                  if (cp == '\t'
                      || cp == '\n'
                      || cp == '\r'
                      || (cp >= 0x20
                          && cp != 0xFFFE
                          && cp != 0xFFFF
                          && (cp < 0xD800 || cp > 0xDFFF))) {
                    sb.appendCodePoint(cp);
                  }
                }
              }
            });
    return sb.toString();
  }

  /**
   * Wraps {@code text} at {@code width}, the first line after {@code first}, the rest after {@code
   * indent}. Words longer than a line stay whole.
   */
  static List<String> wrap(String text, int width, String first, String indent) {
    var lines = new ArrayList<String>();
    var line = new StringBuilder(first);
    boolean empty = true;
    for (String word : text.strip().split("\\s+")) {
      if (!empty && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    lines.add(line.toString());
    return lines;
  }

  /** "pc -> vm-nat.nat icmp"; for a fact, "calc route 192.168.2.0/24 via 192.168.1.253". */
  static String path(CheckResult check) {
    if (check.isFact()) {
      return check.from() + " " + check.probe() + " " + check.to();
    }
    return check.from() + " -> " + check.to() + " " + check.probe();
  }

  /**
   * A fact's result in a few words: "holds", or why not ("calc's route to 192.168.2.0/24 is default
   * via 192.168.1.254 dev eth0"), or why it could not be read.
   */
  static String factResult(CheckResult fact, boolean student) {
    if (student) {
      return fact.outcome() == io.netprobe.report.model.Outcome.OK
          ? "as expected"
          : fact.outcome().name();
    }
    var d = fact.verdict().disposition();
    var said = d == null ? "not checked: " : d.isReachable() ? "" : "differs: ";
    return (fact.outcome() == io.netprobe.report.model.Outcome.OK
            ? ""
            : "expected " + fact.expected() + ", ")
        + said
        + fact.verdict().reason();
  }

  /** "expected pass, got REFUSED" or "could not be checked". */
  static String expectation(CheckResult check) {
    var disposition = check.verdict().disposition();
    return "expected "
        + check.expected()
        + ", got "
        + (disposition == null ? "no result (could not be checked)" : disposition.name());
  }

  /** "1002 ms, 2 attempts, flaky (attempts disagreed)". */
  static String timing(CheckResult check) {
    var sb = new StringBuilder().append(check.elapsedMs()).append(" ms, ");
    sb.append(check.attempts()).append(check.attempts() == 1 ? " attempt" : " attempts");
    if (check.flaky()) {
      sb.append(", flaky (attempts disagreed)");
    }
    return sb.toString();
  }

  /** "1/2 points". */
  static String points(CheckResult check) {
    return check.earned() + "/" + check.points() + (check.points() == 1 ? " point" : " points");
  }

  /**
   * "9/14 points; 14 checks: 10 OK (6 reached, 4 did not reach, as expected), 2 unexpected, 2
   * errors; exit code 1".
   */
  static String score(RunResult run) {
    return run.pointsEarned() + "/" + run.pointsPossible() + " points; " + counts(run);
  }

  /** "14 checks: 10 OK (...), 2 unexpected, 2 could not be checked; exit code 1". */
  static String counts(RunResult run) {
    long reached = run.checks().stream().filter(c -> Mark.of(c) == Mark.REACHED).count();
    long ok = run.count(Outcome.OK);
    return checks(run.checks().size())
        + ": "
        + ok
        + " OK ("
        + reached
        + " reached, "
        + (ok - reached)
        + " did not reach, as expected), "
        + run.count(Outcome.UNEXPECTED)
        + " unexpected, "
        + run.count(Outcome.ERROR)
        + " could not be checked; exit code "
        + run.exitCode();
  }

  /** When the run started, to the second (2026-12-05T01:36:53Z): run.json keeps the rest. */
  static String started(RunResult run) {
    return run.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** "1 check", "14 checks". */
  static String checks(int n) {
    return n + (n == 1 ? " check" : " checks");
  }

  static String repeat(char c, int n) {
    return String.valueOf(c).repeat(Math.max(0, n));
  }
}
