package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** One load of one file: its name for messages, the environment, and the problems found. */
final class LoadContext {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final String file;
  private final Map<String, String> env;
  private final List<Problem> problems = new ArrayList<>();

  LoadContext(String file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  String file() {
    return file;
  }

  List<Problem> problems() {
    return problems;
  }

  Location at(Node node) {
    return at(node.getStartMark());
  }

  Location at(Mark mark) {
    return mark == null
        ? Location.startOf(file)
        : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
  }

  void problem(Node at, String message) {
    problems.add(new Problem(at(at), message));
  }

  void problem(Location at, String message) {
    problems.add(new Problem(at, message));
  }

  /**
   * The text of a scalar with {@code ${VAR}} and {@code ${VAR:-default}} replaced from the
   * environment; empty (and a problem) when a variable is unset and has no default.
   */
  Optional<String> text(ScalarNode scalar, String what) {
    if (scalar.getValue().indexOf('$') < 0) {
      return Optional.of(scalar.getValue()); // most values: no placeholder to look for
    }
    Matcher m = PLACEHOLDER.matcher(scalar.getValue());
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        problem(
            scalar,
            "environment variable "
                + m.group(1)
                + " is not set (used in "
                + what
                + "); set it, or give a default: ${"
                + m.group(1)
                + ":-value}");
        ok = false;
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return ok ? Optional.of(out.toString()) : Optional.empty();
  }

  /** The text of a single value; a list, a mapping or nothing is reported as the wrong shape. */
  Optional<String> scalarText(Node value, String what) {
    if (value instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
      return text(scalar, what);
    }
    problem(value, what + " must be a single value, not " + shape(value));
    return Optional.empty();
  }

  /** How a YAML value looks, for "must be X, not Y" messages (never prints a value). */
  static String shape(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    } else if (node instanceof SequenceNode) {
      return "a list";
    } else if (node.getTag().equals(Tag.NULL)) {
      return "empty";
    }
    return "a single value";
  }
}
