package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.NodeReport;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The topology as inline SVG: the nodes on an ellipse, one curved arrow per check coloured by its
 * mark (dashed when it did not reach, as expected), checks between the same two nodes fanned out so
 * each stays clickable. Written without an XML namespace: HTML5 needs none, and the file then holds
 * no URL at all.
 */
final class SvgTopology {
  private static final int WIDTH = 600;
  private static final int HEIGHT = 420;
  private static final int BOX_H = 36;
  private static final double FAN = 30;

  private record Box(String name, String kind, boolean down, double x, double y, double w) {}

  private SvgTopology() {}

  static void append(StringBuilder h, RunResult run) {
    var boxes = layout(run);
    h.append("<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT);
    h.append("\" width=\"100%\" role=\"img\" aria-label=\"topology\">\n<defs>");
    for (Mark mark : Mark.values()) {
      h.append("<marker id=\"arrow-").append(mark.cssClass()).append("\" viewBox=\"0 0 10 10\"");
      h.append(" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">");
      h.append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"").append(mark.color()).append("\"/>");
      h.append("</marker>");
    }
    h.append("</defs>\n");
    edges(h, run, boxes);
    for (Box box : boxes.values()) {
      h.append("<g class=\"node").append(box.down() ? " down" : "").append("\">");
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\"",
              box.x() - box.w() / 2,
              box.y() - BOX_H / 2.0,
              box.w()));
      h.append(" height=\"").append(BOX_H).append("\" rx=\"6\"/>");
      text(h, box.x(), box.y() - 2, "<tspan font-weight=\"600\">" + xml(box.name()) + "</tspan>");
      text(
          h,
          box.x(),
          box.y() + 12,
          "<tspan fill=\"#59636e\" font-size=\"10\">"
              + xml(box.kind() + (box.down() ? ", no agent" : ""))
              + "</tspan>");
      h.append("</g>\n");
    }
    h.append("</svg>\n");
  }

  private static Map<String, Box> layout(RunResult run) {
    Map<String, NodeReport> reports = new HashMap<>();
    run.nodes().forEach(n -> reports.put(n.name(), n));
    var names = Grid.of(run).nodes();
    var boxes = new java.util.LinkedHashMap<String, Box>();
    for (int i = 0; i < names.size(); i++) {
      double angle = -Math.PI / 2 + 2 * Math.PI * i / names.size();
      var node = reports.get(names.get(i));
      var kind = node == null ? "address" : node.kind();
      boolean down = node != null && !node.connected() && !kind.equals("address");
      double w = Math.max(72, 8 * names.get(i).length() + 20);
      double x = WIDTH / 2.0 + (WIDTH / 2.0 - 70) * Math.cos(angle);
      double y = HEIGHT / 2.0 + (HEIGHT / 2.0 - 30) * Math.sin(angle);
      boxes.put(names.get(i), new Box(names.get(i), kind, down, x, y, w));
    }
    return boxes;
  }

  private static void edges(StringBuilder h, RunResult run, Map<String, Box> boxes) {
    Map<String, List<CheckResult>> pairs = new java.util.LinkedHashMap<>();
    var order = new ArrayList<>(boxes.keySet());
    for (CheckResult c : run.checks()) {
      var a = c.from();
      var b = Grid.target(c);
      var key = order.indexOf(a) <= order.indexOf(b) ? a + "\u0000" + b : b + "\u0000" + a;
      pairs.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    }
    for (List<CheckResult> checks : pairs.values()) {
      for (int i = 0; i < checks.size(); i++) {
        double offset = (i - (checks.size() - 1) / 2.0) * FAN;
        edge(h, run, checks.get(i), boxes, order, offset);
      }
    }
  }

  private static void edge(
      StringBuilder h,
      RunResult run,
      CheckResult c,
      Map<String, Box> boxes,
      List<String> order,
      double offset) {
    Box from = boxes.get(c.from());
    Box to = boxes.get(Grid.target(c));
    // The normal is taken from the pair's canonical direction so that opposite arrows fan apart.
    boolean forward = order.indexOf(from.name()) <= order.indexOf(to.name());
    Box p = forward ? from : to;
    Box q = forward ? to : from;
    double dx = q.x() - p.x();
    double dy = q.y() - p.y();
    double len = Math.max(1, Math.hypot(dx, dy));
    double cx = (from.x() + to.x()) / 2 + (-dy / len) * offset * 2;
    double cy = (from.y() + to.y()) / 2 + (dx / len) * offset * 2;
    double[] start = border(from, cx, cy);
    double[] end = border(to, cx, cy);
    var mark = Mark.of(c);
    h.append("<g class=\"edge ").append(mark.cssClass()).append("\" data-check=\"");
    h.append(HtmlMatrix.anchor(run, c))
        .append("\"><title>")
        .append(xml(Text.path(c) + ": " + c.title() + " (" + c.outcome() + ")"))
        .append("</title>");
    h.append(
        String.format(
            Locale.ROOT,
            "<path d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\"",
            start[0],
            start[1],
            cx,
            cy,
            end[0],
            end[1]));
    h.append(" stroke=\"").append(mark.color()).append("\" marker-end=\"url(#arrow-");
    h.append(mark.cssClass()).append(")\"/>");
    double lx = 0.25 * start[0] + 0.5 * cx + 0.25 * end[0];
    double ly = 0.25 * start[1] + 0.5 * cy + 0.25 * end[1];
    text(
        h,
        lx,
        ly + 4,
        "<tspan fill=\""
            + mark.color()
            + "\" stroke=\"#fff\" stroke-width=\"3\""
            + " paint-order=\"stroke\">"
            + xml(c.probe() + " " + mark.symbol())
            + "</tspan>");
    h.append("</g>\n");
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
