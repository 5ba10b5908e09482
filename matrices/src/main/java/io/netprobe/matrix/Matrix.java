package io.netprobe.matrix;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated matrix: the nodes and every check, shorthands already expanded. Build one
 * with {@link MatrixLoader}.
 */
public record Matrix(
    String name,
    String description,
    Defaults defaults,
    Map<String, Node> nodes,
    List<Check> checks,
    Location source,
    List<String> watch,
    List<FactCheck> facts) {

  public Matrix {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(source, "source");
    description = description == null ? "" : description;
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    checks = List.copyOf(checks);
    watch = watch == null ? List.of() : List.copyOf(watch);
    facts = facts == null ? List.of() : List.copyOf(facts);
    for (FactCheck fact : facts) {
      if (!nodes.containsKey(fact.node())) {
        throw new IllegalArgumentException(
            "fact check '" + fact.id() + "' is on unknown node '" + fact.node() + "'");
      }
    }
    for (Check check : checks) {
      if (!nodes.containsKey(check.from())) {
        throw new IllegalArgumentException(
            "check '" + check.id() + "' starts from unknown node '" + check.from() + "'");
      }
    }
  }

  /** A matrix that watches no node beyond those its checks start and end on. */
  public Matrix(
      String name,
      String description,
      Defaults defaults,
      Map<String, Node> nodes,
      List<Check> checks,
      Location source) {
    this(name, description, defaults, nodes, checks, source, List.of(), List.of());
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public Optional<Check> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * The checks of configuration that run with {@code picked}: all of them when every check of reach
   * runs, none when only some were picked (run --only).
   */
  public List<FactCheck> factsFor(List<Check> picked) {
    return picked.equals(checks) ? facts : List.of();
  }

  /** The most points this matrix can give: its checks of reach and of configuration. */
  public int totalPoints() {
    return checks.stream().mapToInt(Check::points).sum()
        + facts.stream().mapToInt(FactCheck::points).sum();
  }
}
