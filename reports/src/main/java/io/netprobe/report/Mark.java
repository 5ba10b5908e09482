package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;

/**
 * How a cell is drawn: the four kinds of result a reader tells apart at a glance. Derived from the
 * outcome and whether the disposition reached, never from the evidence.
 *
 * <table>
 *   <tr><th>mark</th><th>when</th></tr>
 *   <tr><td>REACHED</td><td>outcome OK and the packets reached the target</td></tr>
 *   <tr><td>BLOCKED</td><td>outcome OK and the packets did not reach: failed as expected</td></tr>
 *   <tr><td>UNEXPECTED</td><td>outcome UNEXPECTED</td></tr>
 *   <tr><td>ERROR</td><td>outcome ERROR: could not be checked</td></tr>
 * </table>
 */
enum Mark {
  REACHED("✓", "+", "reached, as expected", "32", "#2e9e44", "ok"),
  BLOCKED("○", "o", "did not reach, as expected", "36", "#3a7bd5", "blocked"),
  UNEXPECTED("✗", "X", "unexpected: costs points", "31;1", "#d93025", "unexpected"),
  ERROR("!", "!", "error: could not be checked", "33;1", "#e8a200", "error");

  /** What an empty cell shows: no check from that row to that column. */
  static String notChecked(TerminalOptions o) {
    return o.unicode() ? "·" : ".";
  }

  private final String symbol;
  private final String ascii;
  private final String meaning;
  private final String ansi;
  private final String color;
  private final String cssClass;

  Mark(String symbol, String ascii, String meaning, String ansi, String color, String cssClass) {
    this.symbol = symbol;
    this.ascii = ascii;
    this.meaning = meaning;
    this.ansi = ansi;
    this.color = color;
    this.cssClass = cssClass;
  }

  static Mark of(CheckResult check) {
    if (check.outcome() == Outcome.ERROR) {
      return ERROR;
    }
    if (check.outcome() == Outcome.UNEXPECTED) {
      return UNEXPECTED;
    }
    var disposition = check.verdict().disposition();
    return disposition != null && disposition.isReachable() ? REACHED : BLOCKED;
  }

  String symbol() {
    return symbol;
  }

  String meaning() {
    return meaning;
  }

  /** The symbol for a terminal: ASCII where it cannot show ✓, in colour when colour is on. */
  String symbol(TerminalOptions o) {
    return paint(o.unicode() ? symbol : ascii, o.color());
  }

  String paint(String text, boolean color) {
    return color ? "\u001b[" + ansi + "m" + text + "\u001b[0m" : text;
  }

  /** The mark's colour as CSS/SVG/Mermaid hex. */
  String color() {
    return color;
  }

  String cssClass() {
    return cssClass;
  }

  /** The worst mark of some checks: unexpected, then error, then blocked, then reached. */
  static Mark worst(java.util.Collection<CheckResult> checks) {
    Mark worst = REACHED;
    for (CheckResult c : checks) {
      var mark = of(c);
      worst = mark.severity() > worst.severity() ? mark : worst;
    }
    return worst;
  }

  private int severity() {
    return switch (this) {
      case REACHED -> 0;
      case BLOCKED -> 1;
      case ERROR -> 2;
      case UNEXPECTED -> 3;
    };
  }
}
