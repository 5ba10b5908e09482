package io.netprobe.report;

import io.netprobe.report.model.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's topology in text, for a terminal ({@code netprobe topology}) and in Mermaid for the
 * Markdown report: each network with the hosts on it (interface, address, role, what translates
 * there), then which routers join which networks, then the nodes on none.
 */
final class LabText {
  private LabText() {}

  static List<String> lines(Topology t, int width) {
    List<String> out = new ArrayList<>();
    long routers = t.hosts().stream().filter(h -> h.role().equals("router")).count();
    out.add(
        "The lab as its agents found it: "
            + t.networks().size()
            + " networks, "
            + t.hosts().size()
            + " nodes ("
            + routers
            + (routers == 1 ? " router" : " routers")
            + ")");
    Map<String, Topology.Host> hosts = new LinkedHashMap<>();
    t.hosts().forEach(h -> hosts.put(h.name(), h));
    int nameW = t.hosts().stream().mapToInt(h -> h.name().length()).max().orElse(4);
    for (Topology.Network n : t.networks()) {
      out.add("");
      out.add(n.cidr() + (n.label().isEmpty() ? "" : "  (" + n.label() + ")"));
      List<Topology.Link> on = t.links().stream().filter(l -> l.network().equals(n.id())).toList();
      for (int i = 0; i < on.size(); i++) {
        Topology.Link l = on.get(i);
        Topology.Host h = hosts.get(l.host());
        String branch = (i == on.size() - 1 ? "  '- " : "  |- ") + pad(l.host(), nameW) + "  ";
        StringBuilder line = new StringBuilder();
        line.append(l.iface() == null ? "" : l.iface() + " ")
            .append(l.address() == null ? "" : l.address());
        List<String> words = new ArrayList<>();
        if (h != null && !h.role().equals("host")) {
          words.add(h.role() + (h.read() ? "" : " (no agent)"));
        }
        words.addAll(l.labels());
        if (!words.isEmpty()) {
          line.append(": ").append(String.join("; ", words));
        }
        String indent = (i == on.size() - 1 ? "     " : "  |  ") + " ".repeat(nameW + 4);
        out.addAll(Text.wrap(line.toString(), width, branch, indent));
      }
    }
    List<String> joins = new ArrayList<>();
    Map<String, String> cidr = new LinkedHashMap<>();
    t.networks()
        .forEach(
            n ->
                cidr.put(
                    n.id(), n.label().isEmpty() ? n.cidr() : n.cidr() + " (" + n.label() + ")"));
    for (Topology.Host h : t.hosts()) {
      if (h.role().equals("router")) {
        List<String> nets =
            t.links().stream()
                .filter(l -> l.host().equals(h.name()))
                .map(l -> cidr.get(l.network()))
                .distinct()
                .toList();
        String notes = h.notes().isEmpty() ? "" : " (" + String.join("; ", h.notes()) + ")";
        joins.add(h.name() + " joins " + String.join(" and ", nets) + notes);
      }
    }
    if (!joins.isEmpty()) {
      out.add("");
      out.add("Routers:");
      joins.forEach(j -> out.addAll(Text.wrap(j, width, "  ", "    ")));
    }
    List<String> alone = new ArrayList<>();
    for (Topology.Host h : t.hosts()) {
      if (t.links().stream().noneMatch(l -> l.host().equals(h.name()))) {
        alone.add(
            h.name() + (h.notes().isEmpty() ? "" : " (" + String.join("; ", h.notes()) + ")"));
      }
    }
    if (!alone.isEmpty()) {
      out.add("");
      out.addAll(
          Text.wrap("On no network an agent read: " + String.join(", ", alone), width, "", "  "));
    }
    return out;
  }

  /**
   * The topology as a Mermaid flowchart: networks as stadiums, hosts as boxes, a line per address.
   */
  static void mermaid(StringBuilder md, Topology t) {
    md.append("```mermaid\nflowchart TD\n");
    Map<String, String> ids = new LinkedHashMap<>();
    for (Topology.Network n : t.networks()) {
      String id = "n" + ids.size();
      ids.put("n:" + n.id(), id);
      String label = n.cidr() + (n.label().isEmpty() ? "" : "<br/>" + n.label());
      md.append("  ").append(id).append("([\"").append(quote(label)).append("\"])\n");
    }
    for (Topology.Host h : t.hosts()) {
      String id = "h" + ids.size();
      ids.put("h:" + h.name(), id);
      String label =
          "<b>" + h.name() + "</b>" + (h.role().equals("host") ? "" : "<br/>" + h.role());
      md.append("  ").append(id).append("[\"").append(quote(label)).append("\"]\n");
    }
    for (Topology.Link l : t.links()) {
      String text =
          (l.iface() == null ? "" : l.iface() + " ") + (l.address() == null ? "" : l.address());
      if (!l.labels().isEmpty()) {
        text += "<br/>" + l.labels().get(0);
      }
      md.append("  ")
          .append(ids.get("h:" + l.host()))
          .append(" ---|\"")
          .append(quote(text.strip()));
      md.append("\"| ").append(ids.get("n:" + l.network())).append('\n');
    }
    md.append("  classDef router fill:#fff4d6,stroke:#1f2328\n");
    md.append("  classDef net fill:#e4edfa,stroke:#3a7bd5\n");
    md.append("  classDef unread stroke-dasharray:4 3\n");
    for (Topology.Network n : t.networks()) {
      md.append("  class ").append(ids.get("n:" + n.id())).append(" net\n");
    }
    for (Topology.Host h : t.hosts()) {
      if (h.role().equals("router")) {
        md.append("  class ").append(ids.get("h:" + h.name())).append(" router\n");
      } else if (!h.read()) {
        md.append("  class ").append(ids.get("h:" + h.name())).append(" unread\n");
      }
    }
    md.append("```\n");
  }

  private static String quote(String s) {
    return s.replace("\"", "#quot;");
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }
}
