package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code facts:}, the checks of configuration: each names a node with an agent and exactly
 * one fact ({@code address}, {@code route}, {@code listening}, {@code forwarding}, {@code nat},
 * {@code dns}), with expect (pass or fail), points, title and hint.
 */
final class FactsReader {
  private final LoadContext ctx;
  private final Map<String, io.netprobe.matrix.Node> nodes;
  private final Defaults defaults;

  FactsReader(LoadContext ctx, Map<String, io.netprobe.matrix.Node> nodes, Defaults defaults) {
    this.ctx = ctx;
    this.nodes = nodes;
    this.defaults = defaults;
  }

  List<FactCheck> read(YamlMap top, Set<String> checkIds) {
    List<FactCheck> out = new ArrayList<>();
    Map<String, FactCheck> seen = new HashMap<>();
    for (Node item : top.list("facts").orElse(List.of())) {
      read(item)
          .ifPresent(
              f -> {
                FactCheck first = seen.putIfAbsent(f.id(), f);
                if (first != null) {
                  ctx.problem(
                      f.source(),
                      "duplicate fact check '"
                          + f.id()
                          + "' (first at line "
                          + first.source().line()
                          + "); remove one");
                } else if (checkIds.contains(f.id())) {
                  ctx.problem(f.source(), "a check is already named '" + f.id() + "'");
                } else {
                  out.add(f);
                }
              });
    }
    return out;
  }

  private Optional<FactCheck> read(Node item) {
    Optional<YamlMap> opened = YamlMap.open(item, "a fact check", Fields.FACT, ctx);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = opened.get();
    String example = "{ node: calc, route: 192.168.2.0/24 via 192.168.1.253 }";
    boolean complete = m.require("node", "a fact check names its node: " + example);
    List<String> kinds = Fact.KINDS.stream().filter(m::has).toList();
    if (kinds.size() != 1) {
      ctx.problem(
          m.location(),
          (kinds.isEmpty()
                  ? "a fact check states one fact"
                  : "a fact check states one fact, not " + String.join(" and ", kinds))
              + ": one of "
              + String.join(", ", Fact.KINDS)
              + ", e.g. "
              + example);
      complete = false;
    }
    Optional<String> node = m.text("node").map(String::trim);
    if (node.isPresent()) {
      io.netprobe.matrix.Node n = nodes.get(node.get());
      if (n == null) {
        ctx.problem(
            m.raw("node").get(),
            "unknown node '"
                + node.get()
                + "' in node"
                + Suggest.didYouMean(node.get(), nodes.keySet())
                + "; nodes are: "
                + String.join(", ", nodes.keySet()));
        complete = false;
      } else if (!n.kind().hasAgent()) {
        ctx.problem(
            m.raw("node").get(),
            "node '"
                + node.get()
                + "' is of kind "
                + n.kind().yamlName()
                + ", which has no agent to read its configuration; state facts of a node of kind"
                + " local, netns, ssh or docker");
        complete = false;
      }
    }
    Optional<Fact> fact = Optional.empty();
    if (kinds.size() == 1) {
      String kind = kinds.get(0);
      fact = m.parsed(kind, t -> Fact.parse(kind, t));
    }
    Optional<Expectation> expect = m.parsed("expect", FactsReader::expectation);
    Optional<Integer> points = m.integer("points", 0, Check.MAX_POINTS);
    Optional<String> title = m.text("title");
    Optional<String> hint = m.text("hint");
    if (!complete
        || node.isEmpty()
        || fact.isEmpty()
        || m.has("expect") && expect.isEmpty()
        || m.has("points") && points.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new FactCheck(
            FactCheck.idOf(node.get(), fact.get()),
            node.get(),
            fact.get(),
            expect.orElse(Expectation.PASS),
            points.orElse(defaults.points()),
            title.orElse(null),
            hint.orElse(null),
            m.location()));
  }

  private static Parsed<Expectation> expectation(String text) {
    return switch (text.trim()) {
      case "pass" -> Parsed.ok(Expectation.PASS);
      case "fail" -> Parsed.ok(Expectation.FAIL);
      default ->
          Parsed.bad(
              "unknown expectation '"
                  + text
                  + "' for a fact check; write pass (the node has it) or fail (it lacks it)");
    };
  }
}
