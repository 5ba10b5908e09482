package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.Topology;
import java.util.List;
import java.util.Locale;

/**
 * The lab as the agents found it, as inline SVG laid out by {@link LabLayout}: networks as blue
 * bars (range and what carries it), hosts as boxes (routers shaded, nodes no agent read dashed)
 * with what they translate, and a line per address with the interface and address at the host's
 * end. The check shown in the detail panel is drawn on it by report.js from the detail's {@code
 * data-walk} ({@link LabPaths}): the links its packets crossed in the cell's colour, the rest of
 * its way dashed, and the box where they stopped or were last seen outlined.
 */
final class SvgLab {
  private SvgLab() {}

  static void append(StringBuilder h, Topology t, LabLayout layout) {
    h.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"lab\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\"",
            layout.width,
            layout.height,
            layout.width,
            layout.height));
    h.append(" role=\"img\" aria-label=\"lab topology\">\n<g class=\"links\">\n");
    for (int i = 0; i < t.links().size(); i++) {
      link(h, t.links().get(i), i, layout);
    }
    h.append("</g>\n");
    for (Topology.Network n : t.networks()) {
      network(h, n, layout.boxes.get(LabLayout.net(n.id())));
    }
    for (Topology.Host host : t.hosts()) {
      host(h, t, host, layout.boxes.get(LabLayout.host(host.name())));
    }
    h.append("</svg>\n");
  }

  private static void link(StringBuilder h, Topology.Link l, int i, LabLayout layout) {
    LabLayout.Route route = layout.routes.get(i);
    if (route == null || route.points().size() < 2) {
      return;
    }
    StringBuilder d = new StringBuilder();
    for (double[] p : route.points()) {
      d.append(d.length() == 0 ? "M" : " L").append(num(p[0])).append(' ').append(num(p[1]));
    }
    h.append("<path class=\"lk\" data-link=\"").append(i).append("\" d=\"").append(d);
    h.append("\"><title>").append(xml(title(l))).append("</title></path>\n");
    if (l.labels().isEmpty()) {
      return;
    }
    // what translates on this link, at the host's end: the host box lists its addresses
    LabLayout.Box box = layout.boxes.get(LabLayout.host(l.host()));
    List<double[]> pts = route.points();
    double[] a = pts.get(0);
    double[] b = pts.get(pts.size() - 1);
    double[] end = distance(a, box) <= distance(b, box) ? a : b;
    boolean below = end[1] >= box.y() + box.h() - 1;
    String label =
        l.labels().get(0) + (l.labels().size() > 1 ? " +" + (l.labels().size() - 1) : "");
    h.append("<text class=\"nat\" x=\"").append(num(end[0] + 4)).append("\" y=\"");
    h.append(num(below ? end[1] + 11 : end[1] - 4))
        .append("\">")
        .append(xml(label))
        .append("</text>\n");
  }

  private static String title(Topology.Link l) {
    String s = l.host() + (l.iface() == null ? "" : " " + l.iface());
    s += l.address() == null ? "" : " " + l.address();
    return l.labels().isEmpty() ? s : s + ": " + String.join("; ", l.labels());
  }

  private static double distance(double[] p, LabLayout.Box box) {
    double cx = box.cx();
    double cy = box.y() + box.h() / 2;
    return Math.hypot(p[0] - cx, p[1] - cy);
  }

  private static void network(StringBuilder h, Topology.Network n, LabLayout.Box b) {
    h.append("<g class=\"net\" data-box=\"").append(xml(LabLayout.net(n.id()))).append("\">");
    h.append(rect(b, 12)).append("<text class=\"cidr\" x=\"").append(num(b.cx()));
    h.append("\" y=\"")
        .append(num(b.y() + 16))
        .append("\">")
        .append(xml(n.cidr()))
        .append("</text>");
    if (!n.label().isEmpty()) {
      h.append("<text class=\"sub\" x=\"").append(num(b.cx())).append("\" y=\"");
      h.append(num(b.y() + 29)).append("\">").append(xml(n.label())).append("</text>");
    }
    h.append("</g>\n");
  }

  static final int MAX_CHARS = 44;

  /** A host box's lines under its name: its interfaces and addresses, then its notes. */
  static List<String> lines(Topology t, Topology.Host host) {
    List<String> out = new java.util.ArrayList<>(addresses(t, host));
    out.addAll(host.notes().subList(0, Math.min(2, host.notes().size())));
    return out;
  }

  private static List<String> addresses(Topology t, Topology.Host host) {
    List<String> out = new java.util.ArrayList<>();
    for (Topology.Link l : t.links()) {
      if (l.host().equals(host.name()) && l.address() != null) {
        out.add((l.iface() == null ? "" : l.iface() + " ") + l.address());
      }
    }
    if (out.size() > 4) {
      int more = out.size() - 3;
      out = new java.util.ArrayList<>(out.subList(0, 3));
      out.add("+" + more + " addresses");
    }
    return out;
  }

  private static void host(
      StringBuilder h, Topology topology, Topology.Host host, LabLayout.Box b) {
    h.append("<g class=\"host ").append(host.role()).append(host.read() ? "" : " unread");
    h.append("\" data-box=\"").append(xml(LabLayout.host(host.name()))).append("\">");
    h.append("<title>").append(xml(host.name() + " (" + host.role() + ")"));
    host.notes().forEach(n -> h.append('\n').append(xml(n)));
    h.append("</title>").append(rect(b, 5));
    h.append("<text class=\"name\" x=\"").append(num(b.cx())).append("\" y=\"");
    h.append(num(b.y() + 17)).append("\">").append(xml(host.name())).append("</text>");
    double y = b.y() + 17 + LabLayout.LINE_H;
    int addresses = addresses(topology, host).size();
    List<String> lines = lines(topology, host);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String shown = line.length() > MAX_CHARS ? line.substring(0, MAX_CHARS - 1) + "\u2026" : line;
      h.append("<text class=\"").append(i < addresses ? "if" : "note").append("\" x=\"");
      h.append(num(b.cx())).append("\" y=\"").append(num(y));
      h.append("\">").append(xml(shown)).append("</text>");
      y += LabLayout.LINE_H;
    }
    h.append("</g>\n");
  }

  private static String rect(LabLayout.Box b, int radius) {
    return String.format(
        Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%d\"/>",
        b.x(),
        b.y(),
        b.w(),
        b.h(),
        radius);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
