package io.netprobe.matrix;

import java.util.Objects;

/**
 * A check of configuration: a fact a node must have (or, with {@code expect: fail}, must lack),
 * graded like a check of reach. Its layer sits under the checks of reach: a route missing explains
 * the cells that need it.
 *
 * @param id stable name: the node, the kind and the fact ({@code calc route 192.168.2.0/24 via
 *     192.168.1.253})
 * @param expect {@link Expectation#PASS} (the fact holds) or {@link Expectation#FAIL}
 */
public record FactCheck(
    String id,
    String node,
    Fact fact,
    Expectation expect,
    int points,
    String title,
    String hint,
    Location source) {
  public FactCheck {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(fact, "fact");
    Objects.requireNonNull(expect, "expect");
    Objects.requireNonNull(source, "source");
    title = title == null ? "" : title;
    hint = hint == null ? "" : hint;
    Check.requireRange("points", points, 0, Check.MAX_POINTS, id);
  }

  /** The id a fact check of {@code fact} on {@code node} gets. */
  public static String idOf(String node, Fact fact) {
    return node + " " + fact.kind() + " " + fact.text();
  }

  /** The title, or the id when none was written. */
  public String displayTitle() {
    return title.isEmpty() ? id : title;
  }
}
