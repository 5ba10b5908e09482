package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Timeline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A watch's timeline in the HTML report: a row per cell, its last rounds as a strip of squares in
 * the matrix's colours (oldest left), then its flips, each with when, what it became and where its
 * evidence was kept. Cells that never flipped and always reached are folded into one line: a watch
 * is read for what came and went.
 */
final class HtmlTimeline {
  /** How many of a cell's last flips the page lists; run.json has all the watch kept. */
  static final int SHOWN = 10;

  private HtmlTimeline() {}

  static void append(StringBuilder h, RunResult run, HtmlMatrix.Anchors anchors, boolean student) {
    Timeline t = run.timeline();
    Map<String, CheckResult> byId = new HashMap<>();
    run.checks().forEach(c -> byId.put(c.id(), c));
    h.append("<section class=\"wide timeline\" id=\"timeline\">\n<h2>Timeline: ")
        .append(t.rounds());
    h.append(t.rounds() == 1 ? " round" : " rounds").append(" watched</h2>\n");
    h.append("<p class=\"legend\">Each square is a round, the latest on the right:");
    h.append(" <b class=\"ok\">reached</b>, <b class=\"blocked\">did not reach, as expected</b>,");
    h.append(" <b class=\"unexpected\">unexpected</b>, <b class=\"error\">could not be");
    h.append(" checked</b>. A flip is a change of disposition.</p>\n<table class=\"timeline\">\n");
    int steady = 0;
    for (Timeline.Cell cell : t.cells()) {
      if (cell.flips().isEmpty() && cell.marks().chars().allMatch(ch -> ch == 'r' || ch == '-')) {
        steady++;
        continue;
      }
      CheckResult c = byId.get(cell.checkId());
      h.append("<tr><th>");
      if (c != null) {
        h.append("<a href=\"#").append(anchors.of(c)).append("\" data-check=\"");
        h.append(anchors.of(c)).append("\">").append(xml(c.title())).append("</a>");
      } else {
        h.append(xml(cell.checkId()));
      }
      h.append("</th>\n<td class=\"strip\">");
      for (int i = 0; i < cell.marks().length(); i++) {
        char m = cell.marks().charAt(i);
        h.append("<i class=\"").append(css(m)).append("\" title=\"round ");
        h.append(cell.firstRound() + i).append("\"></i>");
      }
      h.append("</td>\n<td><ul class=\"flips\">");
      List<Timeline.Flip> flips = cell.flips();
      if (flips.size() > SHOWN) {
        h.append("<li>").append(flips.size() - SHOWN).append(" earlier flips in run.json</li>");
        flips = flips.subList(flips.size() - SHOWN, flips.size());
      }
      for (Timeline.Flip f : flips) {
        h.append("<li>round ").append(f.round()).append(", ").append(xml(f.at().toString()));
        h.append(": ").append(xml(f.from())).append(" &rarr; <b>").append(xml(f.to()));
        h.append("</b>");
        if (!student && f.reason() != null && !f.reason().isBlank()) {
          h.append(": ").append(xml(f.reason()));
        }
        if (!student && f.evidence() != null) {
          h.append(" <span class=\"path\">(evidence: ").append(xml(f.evidence()));
          h.append(")</span>");
        }
        h.append("</li>");
      }
      h.append("</ul></td></tr>\n");
    }
    h.append("</table>\n");
    if (steady > 0) {
      h.append("<p>").append(steady).append(steady == 1 ? " cell" : " cells");
      h.append(" reached in every round watched.</p>\n");
    }
    h.append("</section>\n");
  }

  private static String css(char mark) {
    return switch (mark) {
      case 'r' -> "ok";
      case 'b' -> "blocked";
      case 'u' -> "unexpected";
      case 'e' -> "error";
      default -> "none";
    };
  }
}
