package io.netprobe.report;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.PathHop;
import io.netprobe.report.model.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A check as a walk on the topology: from its source's box to its target's over the links, through
 * the hops its path trace names where it has one (the shortest way between them otherwise), and how
 * far the packets went: all the way, to the target that refused them, or up to the node where the
 * evidence says they died (the last hop that answered, the node whose rule counted the drop).
 */
final class LabPaths {
  /** Dispositions of a flow that got to its target (and was refused or answered wrong there). */
  private static final Set<Disposition> AT_TARGET =
      EnumSet.of(
          Disposition.REFUSED,
          Disposition.DROPPED_AT_TARGET,
          Disposition.NO_RETURN_ROUTE,
          Disposition.AUTH_FAILED,
          Disposition.HOSTKEY_MISMATCH,
          Disposition.NOT_SSH,
          Disposition.TLS_FAILED,
          Disposition.NOT_HTTP,
          Disposition.HTTP_STATUS,
          Disposition.BODY_MISMATCH);

  /**
   * The walk: its boxes in order, the links between them, how many of those the packets crossed
   * ({@code went}; all of them when it reached), and the box where they stopped or were last seen
   * (the target that refused, the node whose rule dropped them, the last one that saw or answered
   * them; null: reached, or nothing says where it was lost).
   */
  record Walk(List<String> boxes, List<Integer> links, int went, String stop) {
    static final Walk NONE = new Walk(List.of(), List.of(), 0, null);
  }

  private final Map<String, List<int[]>> next = new HashMap<>();
  private final List<String> ends = new ArrayList<>();
  private final Map<String, String> owner = new LinkedHashMap<>();

  LabPaths(Topology topology) {
    for (int i = 0; i < topology.links().size(); i++) {
      Topology.Link l = topology.links().get(i);
      String h = LabLayout.host(l.host());
      String n = LabLayout.net(l.network());
      int a = index(h);
      int b = index(n);
      next.computeIfAbsent(h, k -> new ArrayList<>()).add(new int[] {i, b});
      next.computeIfAbsent(n, k -> new ArrayList<>()).add(new int[] {i, a});
      if (l.address() != null) {
        owner.putIfAbsent(l.address(), h);
      }
    }
  }

  private int index(String box) {
    int i = ends.indexOf(box);
    if (i < 0) {
      ends.add(box);
      i = ends.size() - 1;
    }
    return i;
  }

  Walk of(CheckResult c) {
    if (c.isFact()) {
      return Walk.NONE;
    }
    String from = LabLayout.host(c.from());
    String to = target(c);
    if (to == null || !next.containsKey(from)) {
      return Walk.NONE;
    }
    List<String> waypoints = new ArrayList<>();
    for (PathHop hop : c.verdict().path()) {
      String box = hopBox(hop);
      if (box != null && !waypoints.contains(box) && !box.equals(from) && !box.equals(to)) {
        waypoints.add(box);
      }
    }
    Disposition d = c.verdict().disposition();
    String stop = null;
    if (d != null && !d.isReachable() && !AT_TARGET.contains(d)) {
      if (d == Disposition.NO_ROUTE || d == Disposition.NAME_UNRESOLVED) {
        stop = from;
      } else {
        // the node whose rule counted the drop; else where it was last seen: the last hop of the
        // trace that answered, or the furthest node on its way whose capture saw the request
        stop = ruleNode(c, from, to);
        if (stop == null && !waypoints.isEmpty()) {
          stop = waypoints.get(waypoints.size() - 1);
        }
        if (stop == null) {
          stop = lastSeen(c, from, to);
        }
      }
    }
    List<String> stops = new ArrayList<>(List.of(from));
    stops.addAll(waypoints);
    stops.add(stop != null ? stop : to);
    List<String> boxes = new ArrayList<>(List.of(from));
    List<Integer> links = new ArrayList<>();
    for (int i = 1; i < stops.size(); i++) {
      if (!walk(boxes.get(boxes.size() - 1), stops.get(i), boxes, links)) {
        return Walk.NONE;
      }
    }
    if (d == null) {
      return new Walk(boxes, links, 0, null);
    }
    if (stop == null) {
      // reached, or reached the target and was refused or answered wrong there: all the way
      return new Walk(boxes, links, links.size(), d.isReachable() ? null : to);
    }
    int went = links.size();
    // the rest of the way, where the target lies beyond the stop (not back the way it came)
    List<String> rest = new ArrayList<>(List.of(stop));
    List<Integer> restLinks = new ArrayList<>();
    if (walk(stop, to, rest, restLinks)
        && rest.subList(1, rest.size()).stream().noneMatch(boxes::contains)) {
      boxes.addAll(rest.subList(1, rest.size()));
      links.addAll(restLinks);
    }
    return new Walk(boxes, links, went, stop);
  }

  private String target(CheckResult c) {
    if (c.toNode() != null && next.containsKey(LabLayout.host(c.toNode()))) {
      return LabLayout.host(c.toNode());
    }
    if (c.address() != null && owner.containsKey(c.address())) {
      return owner.get(c.address());
    }
    return null;
  }

  private String hopBox(PathHop hop) {
    if (hop.node() != null && next.containsKey(LabLayout.host(hop.node()))) {
      return LabLayout.host(hop.node());
    }
    return hop.address() == null ? null : owner.get(hop.address());
  }

  /** The node, other than the ends, whose rule counted the flow's drop (evidence of its rules). */
  private String ruleNode(CheckResult c, String from, String to) {
    for (Evidence e : c.verdict().evidence()) {
      String box = LabLayout.host(e.node());
      if (!box.equals(from)
          && !box.equals(to)
          && next.containsKey(box)
          && e.source().startsWith("rules")) {
        return box;
      }
    }
    return null;
  }

  /**
   * The furthest node on the way from {@code from} to {@code to}, other than the ends, whose own
   * evidence (its capture) saw the request: it got at least there.
   */
  private String lastSeen(CheckResult c, String from, String to) {
    List<String> way = new ArrayList<>(List.of(from));
    if (!walk(from, to, way, new ArrayList<>())) {
      return null;
    }
    String seen = null;
    for (Evidence e : c.verdict().evidence()) {
      String box = LabLayout.host(e.node());
      int at = way.indexOf(box);
      if (at > 0 && at < way.size() - 1 && (seen == null || at > way.indexOf(seen))) {
        seen = box;
      }
    }
    return seen;
  }

  /** Breadth first from {@code from} to {@code to}, appending the boxes and links after from. */
  private boolean walk(String from, String to, List<String> boxes, List<Integer> links) {
    if (from.equals(to)) {
      return true;
    }
    Map<String, int[]> came = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
    came.put(from, null);
    while (!queue.isEmpty()) {
      String at = queue.poll();
      if (at.equals(to)) {
        break;
      }
      for (int[] step : next.getOrDefault(at, List.of())) {
        String other = ends.get(step[1]);
        if (!came.containsKey(other)) {
          came.put(other, new int[] {step[0], ends.indexOf(at)});
          queue.add(other);
        }
      }
    }
    if (!came.containsKey(to)) {
      return false;
    }
    List<String> path = new ArrayList<>();
    List<Integer> via = new ArrayList<>();
    for (String at = to; !at.equals(from); ) {
      int[] back = came.get(at);
      path.add(0, at);
      via.add(0, back[0]);
      at = ends.get(back[1]);
    }
    boxes.addAll(path);
    links.addAll(via);
    return true;
  }
}
