package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One self-contained HTML file (its CSS and script inline, no fonts, images or links to fetch): the
 * score, the matrix as a heat-map whose cells open their check's detail on click (with its path
 * trace drawn hop by hop, {@link HtmlPath}), the topology as inline SVG with the checked paths
 * coloured, findings and expected failures.
 */
final class HtmlRenderer implements Renderer {
  /**
   * Above this many checks the details are not in the page's DOM: each waits as an HTML string in a
   * JSON block and becomes a node when its cell is clicked. At 29,700 checks the hidden details
   * were about a million nodes, and the page took minutes to open.
   */
  static final int LAZY_ABOVE = 2_000;

  private static final String CSS = resource("report.css");
  private static final String JS = resource("report.js");

  @Override
  public String render(RunResult run, Options options) {
    var h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    h.append("<meta charset=\"utf-8\">\n<title>netprobe: ").append(xml(run.matrixName()));
    h.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    header(h, run);
    var anchors = new HtmlMatrix.Anchors(run);
    h.append(run.facts().isEmpty() ? "<main>\n" : "<main class=\"has-config\">\n");
    if (!run.facts().isEmpty()) {
      configuration(h, run, anchors, options.studentView());
    }
    h.append("<section class=\"matrix\">\n<h2>Matrix (rows: from, columns: to)</h2>\n");
    HtmlMatrix.append(h, run, anchors);
    h.append("</section>\n<section class=\"side\" id=\"detail\">\n<h2>Check</h2>\n");
    h.append("<p id=\"no-selection\">Click a cell of the matrix or a path of the topology.</p>\n");
    var lab = run.topology().isEmpty() ? null : run.topology();
    var paths = lab == null ? null : new LabPaths(lab);
    if (run.checks().size() > LAZY_ABOVE) {
      lazyDetails(h, run, anchors, options.studentView(), paths);
    } else {
      run.checks().forEach(c -> detail(h, anchors, c, options.studentView(), paths));
    }
    if (lab == null) {
      SvgTopology.appendPairDetails(h, run, anchors);
    }
    h.append("</section>\n<section class=\"topology\">\n");
    if (lab != null) {
      h.append("<h2>The lab, as its agents found it</h2>\n<div class=\"scroll lab-scroll\">\n");
      SvgLab.append(h, lab, LabLayout.of(lab));
      h.append("</div>\n<p class=\"legend\">Networks (blue) and the nodes on them, from each");
      h.append(" node's interfaces, forwarding, bridges, nat table and Docker networks; routers");
      h.append(" shaded, nodes no agent read dashed. The check shown above is drawn on it: the");
      h.append(" links its packets crossed in its colour, the rest of its way dashed, and");
      h.append(" outlined the node where they stopped or were last seen.</p>\n");
    } else {
      h.append("<h2>Topology</h2>\n");
      SvgTopology.append(h, run);
      h.append("<p class=\"legend\">One line per pair of nodes, coloured by its worst check;");
      h.append(
          " the disc counts the checks. Hover a line to list them, click it to open them.</p>\n");
    }
    h.append("</section>\n");
    if (!run.timeline().isEmpty()) {
      HtmlTimeline.append(h, run, anchors, options.studentView());
    }
    if (!options.studentView() && !run.findings().isEmpty()) {
      findings(h, run.findings());
    }
    brief(h, run, anchors, options.studentView());
    if (!run.measured().isEmpty()) {
      HtmlPaths.append(h, run);
    }
    h.append("</main>\n<script>\n").append(JS).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, RunResult run) {
    h.append("<header>\n<h1>netprobe: ").append(xml(run.matrixName())).append("</h1>\n");
    h.append("<div class=\"score\"><b>").append(run.pointsEarned()).append("</b> / ");
    h.append(run.pointsPossible()).append(" points</div>\n<div class=\"counts\">");
    h.append("<span>").append(run.count(Outcome.OK)).append(" OK</span>");
    h.append("<span>").append(run.count(Outcome.UNEXPECTED)).append(" unexpected</span>");
    h.append("<span>").append(run.count(Outcome.ERROR)).append(" could not be checked</span>");
    h.append("<span>exit code ").append(run.exitCode()).append("</span></div>\n");
    h.append("<div class=\"meta\">");
    if (run.matrixFile() != null) {
      h.append(xml(run.matrixFile())).append(", ");
    }
    h.append("started ").append(Text.started(run)).append(", ").append(run.elapsedMs());
    h.append(" ms</div>\n</header>\n");
  }

  private static void detail(
      StringBuilder h, HtmlMatrix.Anchors anchors, CheckResult c, boolean student, LabPaths paths) {
    h.append("<div class=\"check-detail\" id=\"").append(anchors.of(c)).append("\" hidden>\n");
    detailInside(h, c, student, paths);
    h.append("</div>\n");
  }

  /**
   * Every check's detail as a JSON object, anchor to HTML, in a script block the browser does not
   * parse into nodes; report.js builds a detail's node the first time it is shown.
   */
  private static void lazyDetails(
      StringBuilder h, RunResult run, HtmlMatrix.Anchors anchors, boolean student, LabPaths paths) {
    h.append("<script type=\"application/json\" id=\"check-details\">{");
    var inside = new StringBuilder();
    boolean first = true;
    for (CheckResult c : run.checks()) {
      inside.setLength(0);
      detailInside(inside, c, student, paths);
      h.append(first ? "" : ",\n");
      first = false;
      jsonString(h, anchors.of(c));
      h.append(':');
      jsonString(h, inside);
    }
    h.append("}</script>\n");
  }

  /** A JSON string that may sit inside a script element: no "</" closes it early. */
  static void jsonString(StringBuilder h, CharSequence text) {
    h.append('"');
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '"' -> h.append("\\\"");
        case '\\' -> h.append("\\\\");
        case '\n' -> h.append("\\n");
        case '\r' -> h.append("\\r");
        case '\t' -> h.append("\\t");
        case '/' -> h.append(i > 0 && text.charAt(i - 1) == '<' ? "\\/" : "/");
        default -> {
          if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
            h.append(String.format("\\u%04x", (int) ch));
          } else {
            h.append(ch);
          }
        }
      }
    }
    h.append('"');
  }

  /** What a check's detail shows, without its element. */
  private static void detailInside(
      StringBuilder h, CheckResult c, boolean student, LabPaths paths) {
    var mark = Mark.of(c);
    if (paths != null && !student) {
      walk(h, paths.of(c), mark);
    }
    h.append("<h3>").append(xml(c.title())).append("</h3>\n");
    h.append("<div><span class=\"badge ").append(mark.cssClass()).append("\">");
    h.append(mark.symbol()).append(' ').append(c.outcome()).append("</span>");
    h.append("<span class=\"path\">").append(xml(Text.path(c))).append("</span> ");
    h.append(Text.points(c)).append("</div>\n<dl>\n");
    if (!student) {
      dd(h, "result", xml(Text.expectation(c)));
      dd(h, "reason", xml(c.verdict().reason()));
      if (!c.verdict().path().isEmpty()) {
        dd(h, "path", HtmlPath.chain(c));
      }
      if (!c.verdict().evidence().isEmpty()) {
        var ul = new StringBuilder("<ul class=\"evidence\">");
        for (Evidence e : c.verdict().evidence()) {
          ul.append("<li>").append(xml(e.toString())).append("</li>");
        }
        dd(h, "evidence", ul.append("</ul>").toString());
      }
    }
    if (!c.verdict().hint().isBlank()) {
      dd(h, "hint", "<div class=\"hint\">" + xml(c.verdict().hint()) + "</div>");
    }
    if (!student) {
      if (c.attempts() > 0) {
        dd(h, "timing", xml(Text.timing(c)));
      }
      if (c.address() != null) {
        dd(
            h,
            "address",
            xml(
                (c.port() > 0 && c.address().indexOf(':') >= 0
                        ? "[" + c.address() + "]"
                        : c.address())
                    + (c.port() > 0 ? ":" + c.port() : "")
                    + (c.pathKind() == null ? "" : " (" + c.pathKind() + ")")));
      }
      if (!c.pcapFiles().isEmpty()) {
        var links = new StringBuilder();
        for (String pcap : c.pcapFiles()) {
          links.append("<a href=\"").append(xml(pcap.replace(" ", "%20"))).append("\">");
          links.append(xml(pcap)).append("</a> ");
        }
        dd(h, "pcap", links.toString().strip());
      }
    }
    h.append("</dl>\n");
  }

  /**
   * The check's walk on the lab, for report.js to draw: links, how many crossed, where it stopped.
   */
  private static void walk(StringBuilder h, LabPaths.Walk walk, Mark mark) {
    if (walk.links().isEmpty() && walk.stop() == null) {
      return;
    }
    h.append("<span class=\"walk\" hidden data-links=\"");
    h.append(String.join(" ", walk.links().stream().map(String::valueOf).toList()));
    h.append("\" data-boxes=\"").append(xml(String.join(" ", walk.boxes())));
    h.append("\" data-went=\"").append(walk.went()).append("\" data-mark=\"");
    h.append(mark.cssClass()).append('"');
    if (walk.stop() != null) {
      h.append(" data-stop=\"").append(xml(walk.stop())).append('"');
    }
    h.append("></span>\n");
  }

  private static void dd(StringBuilder h, String term, String html) {
    h.append("<dt>").append(term).append("</dt><dd>").append(html).append("</dd>\n");
  }

  /**
   * The checks of configuration, lowest layer first, above the matrix: a failing one explains cells
   * of it. Each opens its detail like a cell does.
   */
  private static void configuration(
      StringBuilder h, RunResult run, HtmlMatrix.Anchors anchors, boolean student) {
    h.append("<section class=\"config\">\n<h2>Configuration (lowest layer first)</h2>\n");
    h.append("<table class=\"facts\">\n<thead><tr><th></th><th>node</th><th>fact</th>");
    h.append("<th>check</th><th>result</th></tr></thead>\n<tbody>\n");
    for (CheckResult c : run.facts()) {
      var mark = Mark.of(c);
      h.append("<tr><td><button class=\"chk ").append(mark.cssClass()).append("\" data-check=\"");
      h.append(anchors.of(c)).append("\" title=\"").append(xml(c.title())).append("\">");
      h.append(mark.symbol()).append("</button></td><td>").append(xml(c.from()));
      h.append("</td><td><code>").append(xml(c.probe() + " " + c.to())).append("</code></td><td>");
      h.append(xml(c.title())).append("</td><td>").append(xml(Text.factResult(c, student)));
      h.append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  private static void findings(StringBuilder h, List<Finding> findings) {
    h.append("<section class=\"wide\">\n<h2>Findings</h2>\n<ul class=\"brief\">\n");
    for (Finding f : findings) {
      h.append("<li><b>").append(xml(f.summary())).append("</b> ").append(xml(f.hint()));
      h.append(" <span class=\"path\">(").append(xml(String.join(", ", f.checkIds())));
      h.append(")</span></li>\n");
    }
    h.append("</ul>\n</section>\n");
  }

  private static void brief(
      StringBuilder h, RunResult run, HtmlMatrix.Anchors anchors, boolean student) {
    var blocked = run.reach().stream().filter(c -> Mark.of(c) == Mark.BLOCKED).toList();
    if (blocked.isEmpty()) {
      return;
    }
    h.append(
        "<section class=\"wide\">\n<h2>Did not reach, as expected</h2>\n<ul class=\"brief\">\n");
    for (CheckResult c : blocked) {
      var text = student ? c.verdict().hint() : c.verdict().reason();
      h.append("<li><a href=\"#").append(anchors.of(c)).append("\" data-check=\"");
      h.append(anchors.of(c)).append("\">").append(xml(c.title())).append("</a> ");
      h.append("<span class=\"path\">(").append(xml(Text.path(c))).append(")</span>");
      h.append(text.isBlank() ? "" : ": " + xml(text)).append("</li>\n");
    }
    h.append("</ul>\n</section>\n");
  }

  private static String resource(String name) {
    try (InputStream in = HtmlRenderer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " (a broken reports jar?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read resource " + name, e);
    }
  }
}
