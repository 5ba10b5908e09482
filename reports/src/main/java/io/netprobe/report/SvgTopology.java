package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The topology as inline SVG: the nodes on an ellipse sized to their number, and ONE straight edge
 * per pair of nodes however many checks join them, coloured by the pair's worst mark (dashed when
 * every check failed as expected), with arrowheads for the directions checked and a small badge
 * counting the checks. Hovering an edge lists its checks; clicking it opens the pair's detail
 * ({@link #appendPairDetails}), from which each check opens. Written without an XML namespace:
 * HTML5 needs none, and the file then holds no URL at all.
 */
final class SvgTopology {
  private static final int BOX_H = 36;
  private static final int MARGIN = 16;

  private record Box(String name, String kind, boolean down, double x, double y, double w) {}

  /** The checks between two nodes, in either direction; {@code a} comes first in the run. */
  record Pair(int index, String a, String b, List<CheckResult> checks) {
    String anchor() {
      return "pair-" + index;
    }

    boolean has(String from, String to) {
      return checks.stream().anyMatch(c -> c.from().equals(from) && Grid.target(c).equals(to));
    }
  }

  private SvgTopology() {}

  static void append(StringBuilder h, RunResult run) {
    var boxes = layout(run);
    double width = 0;
    double height = 0;
    for (Box box : boxes.values()) {
      width = Math.max(width, box.x() + box.w() / 2 + MARGIN);
      height = Math.max(height, box.y() + BOX_H / 2.0 + MARGIN);
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\"",
            width,
            height,
            width,
            height));
    h.append(" role=\"img\" aria-label=\"topology\">\n<defs>");
    for (Mark mark : Mark.values()) {
      h.append("<marker id=\"arrow-").append(mark.cssClass()).append("\" viewBox=\"0 0 10 10\"");
      h.append(" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\"");
      h.append(" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"");
      h.append(mark.color()).append("\"/></marker>");
    }
    h.append("</defs>\n");
    pairs(run).forEach(pair -> edge(h, pair, boxes));
    boxes.values().forEach(box -> node(h, box));
    h.append("</svg>\n");
  }

  /** One hidden detail per pair: its checks, each a button that opens the check's detail. */
  static void appendPairDetails(StringBuilder h, RunResult run, HtmlMatrix.Anchors anchors) {
    for (Pair pair : pairs(run)) {
      h.append("<div class=\"check-detail\" id=\"").append(pair.anchor()).append("\" hidden>\n");
      h.append("<h3>").append(xml(pair.a() + " \u2194 " + pair.b())).append("</h3>\n");
      h.append("<ul class=\"pair\">\n");
      for (CheckResult c : pair.checks()) {
        var mark = Mark.of(c);
        h.append("<li><button class=\"chk ").append(mark.cssClass()).append("\" data-check=\"");
        h.append(anchors.of(c)).append("\">").append(mark.symbol());
        h.append("</button> <span class=\"path\">").append(xml(Text.path(c))).append("</span> ");
        h.append(xml(c.title())).append("</li>\n");
      }
      h.append("</ul>\n</div>\n");
    }
  }

  static List<Pair> pairs(RunResult run) {
    var order = Grid.of(run).nodes();
    Map<String, List<CheckResult>> byPair = new LinkedHashMap<>();
    for (CheckResult c : run.reach()) {
      var a = c.from();
      var b = Grid.target(c);
      var key = order.indexOf(a) <= order.indexOf(b) ? a + "\u0000" + b : b + "\u0000" + a;
      byPair.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    }
    var pairs = new ArrayList<Pair>();
    byPair.forEach(
        (key, checks) -> {
          var ends = key.split("\u0000", 2);
          pairs.add(new Pair(pairs.size(), ends[0], ends[1], List.copyOf(checks)));
        });
    return pairs;
  }

  private static Map<String, Box> layout(RunResult run) {
    Map<String, NodeReport> reports = new HashMap<>();
    run.nodes().forEach(n -> reports.put(n.name(), n));
    var names = Grid.of(run).nodes();
    var kinds = new HashMap<String, String>();
    for (String name : names) {
      var node = reports.get(name);
      var kind = node == null ? "address" : node.kind();
      boolean down = node != null && !node.connected() && !kind.equals("address");
      kinds.put(name, kind + (down ? ", no agent" : ""));
    }
    double widest = names.stream().mapToDouble(n -> boxWidth(n, kinds.get(n))).max().orElse(72);
    // Room for every box around the ellipse: its circumference grows with the number of nodes.
    double rx = Math.max(200, names.size() * (widest + 14) / (2 * Math.PI) * 1.15);
    double ry = Math.max(130, rx * 0.62);
    var boxes = new LinkedHashMap<String, Box>();
    for (int i = 0; i < names.size(); i++) {
      double angle = -Math.PI / 2 + 2 * Math.PI * i / names.size();
      var node = reports.get(names.get(i));
      var kind = node == null ? "address" : node.kind();
      boolean down = node != null && !node.connected() && !kind.equals("address");
      double x = MARGIN + widest / 2 + rx + rx * Math.cos(angle);
      double y = MARGIN + BOX_H / 2.0 + ry + ry * Math.sin(angle);
      boxes.put(
          names.get(i),
          new Box(names.get(i), kind, down, x, y, boxWidth(names.get(i), kinds.get(names.get(i)))));
    }
    return boxes;
  }

  /** Wide enough for the name (12 px bold) and the kind line (10 px) under it. */
  private static double boxWidth(String name, String kindLine) {
    return Math.max(72, Math.max(8 * name.length() + 20, 6 * kindLine.length() + 14));
  }

  private static void node(StringBuilder h, Box box) {
    h.append("<g class=\"node").append(box.down() ? " down" : "").append("\">");
    h.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"6\"/>",
            box.x() - box.w() / 2,
            box.y() - BOX_H / 2.0,
            box.w(),
            BOX_H));
    text(h, box.x(), box.y() - 2, "<tspan font-weight=\"600\">" + xml(box.name()) + "</tspan>");
    var kind = xml(box.kind() + (box.down() ? ", no agent" : ""));
    text(h, box.x(), box.y() + 12, "<tspan class=\"kind\">" + kind + "</tspan>");
    h.append("</g>\n");
  }

  private static void edge(StringBuilder h, Pair pair, Map<String, Box> boxes) {
    Box a = boxes.get(pair.a());
    Box b = boxes.get(pair.b());
    var mark = Mark.worst(pair.checks());
    h.append("<g class=\"edge ").append(mark.cssClass()).append("\" data-check=\"");
    h.append(pair.anchor()).append("\" tabindex=\"0\" role=\"button\"><title>");
    for (CheckResult c : pair.checks()) {
      h.append(xml(Text.path(c) + ": " + c.outcome() + ", " + c.title())).append('\n');
    }
    h.append("</title>");
    if (a == b) {
      loop(h, a, mark, pair.checks().size());
      return;
    }
    double[] start = border(a, b.x(), b.y());
    double[] end = border(b, a.x(), a.y());
    h.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%.1f,%.1f L%.1f,%.1f\" stroke=\"%s\"",
            start[0],
            start[1],
            end[0],
            end[1],
            mark.color()));
    var arrow = "url(#arrow-" + mark.cssClass() + ")";
    h.append(pair.has(pair.a(), pair.b()) ? " marker-end=\"" + arrow + "\"" : "");
    h.append(pair.has(pair.b(), pair.a()) ? " marker-start=\"" + arrow + "\"" : "");
    h.append("/>");
    badge(h, (start[0] + end[0]) / 2, (start[1] + end[1]) / 2, mark, pair.checks().size());
    h.append("</g>\n");
  }

  /** Checks from a node to itself: a small loop above its box. */
  private static void loop(StringBuilder h, Box box, Mark mark, int count) {
    double top = box.y() - BOX_H / 2.0;
    h.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" stroke=\"%s\"/>",
            box.x() - 12,
            top,
            box.x() - 24,
            top - 34,
            box.x() + 24,
            top - 34,
            box.x() + 12,
            top,
            mark.color()));
    badge(h, box.x(), top - 26, mark, count);
    h.append("</g>\n");
  }

  /** The number of checks on an edge, in a small disc of the edge's colour. */
  private static void badge(StringBuilder h, double x, double y, Mark mark, int count) {
    h.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"%s\"/>",
            x,
            y,
            mark.color()));
    h.append(
        String.format(
            Locale.ROOT,
            "<text class=\"count\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
            x,
            y + 3.5,
            count));
  }

  /** Where the line from the box's centre towards (tx, ty) leaves the box. */
  private static double[] border(Box box, double tx, double ty) {
    double dx = tx - box.x();
    double dy = ty - box.y();
    double scale =
        Math.min(
            dx == 0 ? Double.MAX_VALUE : (box.w() / 2 + 3) / Math.abs(dx),
            dy == 0 ? Double.MAX_VALUE : (BOX_H / 2.0 + 3) / Math.abs(dy));
    return new double[] {box.x() + dx * scale, box.y() + dy * scale};
  }

  private static void text(StringBuilder h, double x, double y, String content) {
    h.append(
            String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, y))
        .append(content)
        .append("</text>");
  }
}
