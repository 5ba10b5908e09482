package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Expands a mesh into its cells. {@code nodes: [a, b.x, c]} gives every ordered pair of different
 * nodes; {@code from: [..]} with {@code to: [..]} gives every pair of the two lists. Cells that
 * cannot exist are left out: from a node of kind address, to an address whose {@code from:} list
 * excludes the source. {@code overrides:} change or {@code skip:} single cells.
 */
final class MeshExpander {
  private final LoadContext ctx;
  private final TargetResolver targets;
  private final CheckBuilder builder;

  MeshExpander(LoadContext ctx, TargetResolver targets, CheckBuilder builder) {
    this.ctx = ctx;
    this.targets = targets;
    this.builder = builder;
  }

  List<Draft> expand(Node item, int index) {
    Optional<YamlMap> opened = YamlMap.open(item, "a mesh", Fields.MESH, ctx);
    if (opened.isEmpty()) {
      return List.of();
    }
    YamlMap m = opened.get();
    String name = m.text("name").orElse("#" + (index + 1));
    String owner = "mesh '" + name + "'";
    boolean byNodes = m.has("nodes");
    if (byNodes == (m.has("from") || m.has("to")) || !byNodes && !(m.has("from") && m.has("to"))) {
      ctx.problem(
          m.node(),
          owner
              + " needs either nodes: [a, b, c] (every pair) or both from:"
              + " [..] and to: [..] (every pair of the two lists)");
      return List.of();
    }
    List<YamlMap.Text> to = targetsOf(m, byNodes ? "nodes" : "to", owner);
    List<YamlMap.Text> from = byNodes ? sourcesOf(to) : sources(m, owner);
    m.require("probes", "write probes: [icmp, tcp:80]");
    m.require("expect", "write expect: pass, fail or a disposition");
    List<YamlMap.Text> probes = m.textList("probes").orElse(List.of());
    boolean sizesOk =
        byNodes
            ? enough(m, "nodes", 2, owner)
            : enough(m, "from", 1, owner) & enough(m, "to", 1, owner);
    if (!(enough(m, "probes", 1, owner) & sizesOk)) {
      return List.of();
    }
    Optional<Settings> settings = Settings.read(m);
    if (settings.isEmpty() || !m.has("expect")) {
      return List.of();
    }
    Map<String, Draft> cells = new LinkedHashMap<>();
    for (YamlMap.Text f : from) {
      for (YamlMap.Text t : to) {
        for (YamlMap.Text p : probes) {
          if (exists(f.value(), t.value())) {
            Draft d = new Draft(f, t, p, settings.get(), m.location());
            cells.putIfAbsent(builder.idOf(d), d);
          }
        }
      }
    }
    applyOverrides(m, owner, cells, settings.get());
    return new ArrayList<>(cells.values());
  }

  /** False (and a problem) when a list is shorter than {@code min}; true when fine or absent. */
  private boolean enough(YamlMap m, String field, int min, String owner) {
    Optional<List<Node>> items =
        m.raw(field)
            .flatMap(
                n ->
                    n instanceof org.yaml.snakeyaml.nodes.SequenceNode seq
                        ? Optional.of(seq.getValue())
                        : Optional.empty());
    if (items.isPresent() && items.get().size() < min) {
      ctx.problem(
          m.raw(field).get(),
          "field '"
              + field
              + "' of "
              + owner
              + " needs at least "
              + min
              + (min == 1 ? " item" : " items"));
      return false;
    }
    return true;
  }

  /** Members that are valid targets (problems reported once, here). */
  private List<YamlMap.Text> targetsOf(YamlMap m, String field, String owner) {
    List<YamlMap.Text> ok = new ArrayList<>();
    for (YamlMap.Text t : m.textList(field).orElse(List.of())) {
      YamlMap.Text trimmed = new YamlMap.Text(t.value().trim(), t.node());
      targets
          .resolve(trimmed.value(), "in " + owner)
          .orReport(ctx, t.node(), "")
          .ifPresent(x -> ok.add(trimmed));
    }
    return ok;
  }

  /** With {@code nodes:}, every member that runs an agent is also a source (by its node). */
  private List<YamlMap.Text> sourcesOf(List<YamlMap.Text> members) {
    List<YamlMap.Text> out = new ArrayList<>();
    for (YamlMap.Text member : members) {
      String node = nodeOf(member.value());
      io.netprobe.matrix.Node n = targets.node(node);
      if (n != null && n.kind().hasAgent()) {
        out.add(new YamlMap.Text(node, member.node()));
      }
    }
    return out;
  }

  private List<YamlMap.Text> sources(YamlMap m, String owner) {
    List<YamlMap.Text> ok = new ArrayList<>();
    for (YamlMap.Text t : m.textList("from").orElse(List.of())) {
      String name = t.value().trim();
      targets
          .source(name, "in " + owner)
          .orReport(ctx, t.node(), "")
          .ifPresent(n -> ok.add(new YamlMap.Text(name, t.node())));
    }
    return ok;
  }

  /** Not to itself, and not to an address the source may not use. */
  private boolean exists(String from, String toRef) {
    if (nodeOf(toRef).equals(from)) {
      return false;
    }
    Parsed<Target> target = targets.resolve(toRef, "");
    return !target.isOk() || target.value().address().map(a -> a.isUsableFrom(from)).orElse(true);
  }

  private static String nodeOf(String ref) {
    if (Syntax.looksLikeIp(ref)) {
      return ref;
    }
    int dot = ref.indexOf('.');
    return dot < 0 ? ref : ref.substring(0, dot);
  }

  private void applyOverrides(
      YamlMap m, String owner, Map<String, Draft> cells, Settings meshSettings) {
    for (Node item : m.list("overrides").orElse(List.of())) {
      Optional<YamlMap> opened =
          YamlMap.open(item, "an override of " + owner, Fields.OVERRIDE, ctx);
      if (opened.isEmpty()) {
        continue;
      }
      YamlMap o = opened.get();
      boolean complete = true;
      for (String field : List.of("from", "to", "probe")) {
        complete &= o.require(field, "an override names its cell by from, to and probe");
      }
      Optional<YamlMap.Text> f = ChecksReader.text(o, "from");
      Optional<YamlMap.Text> t = ChecksReader.text(o, "to");
      Optional<YamlMap.Text> p = ChecksReader.text(o, "probe");
      Optional<Settings> s = Settings.read(o);
      Optional<Boolean> skip = o.parsed("skip", MeshExpander::bool);
      if (!complete
          || f.isEmpty()
          || t.isEmpty()
          || p.isEmpty()
          || s.isEmpty()
          || o.has("skip") && skip.isEmpty()) {
        continue;
      }
      Draft probeOnly = new Draft(f.get(), t.get(), p.get(), meshSettings, o.location());
      String id = builder.idOf(probeOnly);
      Draft cell = cells.get(id);
      if (cell == null && cells.isEmpty()) {
        continue; // the mesh has no cells: its members' problems are reported
      } else if (cell == null) {
        ctx.problem(
            o.node(),
            "override '"
                + id
                + "' matches no cell of "
                + owner
                + "; its cells"
                + " are: "
                + String.join(", ", cells.keySet().stream().limit(12).toList())
                + (cells.size() > 12 ? ", ..." : ""));
      } else if (skip.orElse(false)) {
        cells.remove(id);
      } else {
        cells.put(
            id,
            new Draft(
                cell.from(), cell.to(), cell.probe(), s.get().over(meshSettings), o.location()));
      }
    }
  }

  private static Parsed<Boolean> bool(String text) {
    return switch (text) {
      case "true" -> Parsed.ok(true);
      case "false" -> Parsed.ok(false);
      default -> Parsed.bad("'" + text + "' is not true or false");
    };
  }
}
