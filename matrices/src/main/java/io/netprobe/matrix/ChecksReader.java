package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code checks:} and {@code meshes:}, expands the meshes, resolves every cell, and rejects
 * duplicates. Checks come out in file order.
 */
final class ChecksReader {
  /**
   * More cells than this is a mistake (a mesh over the wrong group), not a lab: a class of 100
   * namespaces in a full mesh with three probes is 29,700 checks, and runs.
   */
  static final int MAX_CHECKS = 100_000;

  private final LoadContext ctx;
  private final CheckBuilder builder;
  private final MeshExpander meshes;

  ChecksReader(LoadContext ctx, TargetResolver targets, Defaults defaults) {
    this.ctx = ctx;
    this.builder = new CheckBuilder(ctx, targets, defaults);
    this.meshes = new MeshExpander(ctx, targets, builder);
  }

  List<Check> read(YamlMap top) {
    List<Draft> drafts = new ArrayList<>();
    for (Node item : top.list("meshes").orElse(List.of())) {
      drafts.addAll(meshes.expand(item, drafts.size()));
      if (drafts.size() > MAX_CHECKS) {
        ctx.problem(item, "the meshes make more than " + MAX_CHECKS + " checks; split the matrix");
        return List.of();
      }
    }
    for (Node item : top.list("checks").orElse(List.of())) {
      draft(item).ifPresent(drafts::add);
    }
    if (drafts.size() > MAX_CHECKS) {
      ctx.problem(top.location(), "more than " + MAX_CHECKS + " checks; split the matrix");
      return List.of();
    }
    if (drafts.isEmpty() && !top.has("facts") && ctx.problems().isEmpty()) {
      ctx.problem(top.location(), "the matrix has no checks; add checks:, meshes: or facts:");
    }
    List<Check> checks = new ArrayList<>();
    for (Draft d : drafts) {
      checks.addAll(builder.buildAll(d));
    }
    checks.sort(
        Comparator.comparingInt((Check c) -> c.source().line())
            .thenComparingInt(c -> c.source().column()));
    rejectDuplicates(checks);
    return checks;
  }

  private Optional<Draft> draft(Node item) {
    Optional<YamlMap> opened = YamlMap.open(item, "a check", Fields.CHECK, ctx);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = opened.get();
    boolean complete = true;
    for (String field : List.of("from", "to", "probe")) {
      complete &=
          m.require(
              field,
              "a check needs from, to and probe: { from: pc, to: vm.nat,"
                  + " probe: icmp, expect: fail }");
    }
    Optional<YamlMap.Text> from = text(m, "from");
    Optional<YamlMap.Text> to = text(m, "to");
    Optional<YamlMap.Text> probe = text(m, "probe");
    Optional<Settings> settings = Settings.read(m);
    if (!complete || from.isEmpty() || to.isEmpty() || probe.isEmpty() || settings.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Draft(from.get(), to.get(), probe.get(), settings.get(), m.location()));
  }

  static Optional<YamlMap.Text> text(YamlMap m, String field) {
    return m.text(field).map(t -> new YamlMap.Text(t.trim(), m.raw(field).get()));
  }

  private void rejectDuplicates(List<Check> checks) {
    Map<String, Check> seen = new HashMap<>();
    for (Check c : checks) {
      Check first = seen.putIfAbsent(c.id(), c);
      if (first != null) {
        ctx.problem(
            c.source(),
            "duplicate check '"
                + c.id()
                + "' (first at line "
                + first.source().line()
                + "); each from/to/probe may appear once: remove one, or"
                + " change a mesh's cell with overrides:");
      }
    }
  }
}
