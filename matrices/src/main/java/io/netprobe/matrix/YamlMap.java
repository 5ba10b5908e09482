package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML mapping read field by field: unknown, duplicate and inline-secret fields are reported when
 * it is opened, wrong types when a field is read. Every problem names the field and its owner
 * ({@code node 'vm'}, {@code check 'pc->vm icmp'}).
 */
final class YamlMap {
  /** Field names that can only hold a secret written inline. */
  private static final Set<String> SECRET_FIELDS =
      Set.of("password", "passwd", "pass", "passphrase", "secret", "token", "private-key", "key");

  private final MappingNode node;
  private final String owner;
  private final LoadContext ctx;
  private final Map<String, NodeTuple> fields = new LinkedHashMap<>();

  private YamlMap(MappingNode node, String owner, List<String> allowed, LoadContext ctx) {
    this.node = node;
    this.owner = owner;
    this.ctx = ctx;
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        ctx.problem(tuple.getKeyNode(), "field names in " + owner + " must be plain words");
        continue;
      }
      String key = keyNode.getValue();
      if (fields.containsKey(key)) {
        Location first = ctx.at(fields.get(key).getKeyNode());
        ctx.problem(
            keyNode,
            "duplicate field '" + key + "' in " + owner + " (first at line " + first.line() + ")");
      } else if (SECRET_FIELDS.contains(key)) {
        ctx.problem(keyNode, inlineSecret(key));
      } else if (!allowed.contains(key)) {
        ctx.problem(
            keyNode,
            "unknown field '"
                + key
                + "' in "
                + owner
                + Suggest.didYouMean(key, allowed)
                + "; valid fields: "
                + String.join(", ", allowed));
      } else {
        fields.put(key, tuple);
      }
    }
  }

  /** The mapping {@code node}, or empty (and a problem) when it is some other shape. */
  static Optional<YamlMap> open(Node node, String owner, List<String> allowed, LoadContext ctx) {
    if (node instanceof MappingNode mapping) {
      return Optional.of(new YamlMap(mapping, owner, allowed, ctx));
    }
    ctx.problem(node, owner + " must be a mapping (field: value), not " + LoadContext.shape(node));
    return Optional.empty();
  }

  private String inlineSecret(String key) {
    return "field '"
        + key
        + "' in "
        + owner
        + ": secrets are never written in a matrix file (it is shared, printed and committed);"
        + " put the password in an environment variable and write password-env: VARIABLE, or in"
        + " a file only you can read and write password-file: PATH, or log in with a key:"
        + " identity: PATH";
  }

  String owner() {
    return owner;
  }

  Node node() {
    return node;
  }

  Location location() {
    return ctx.at(node);
  }

  boolean has(String key) {
    return fields.containsKey(key);
  }

  Optional<Node> raw(String key) {
    return Optional.ofNullable(fields.get(key)).map(NodeTuple::getValueNode);
  }

  Location keyLocation(String key) {
    return Optional.ofNullable(fields.get(key)).map(t -> ctx.at(t.getKeyNode())).orElse(location());
  }

  /** Reports a missing required field at the mapping; true when present. */
  boolean require(String key, String howToFix) {
    if (has(key)) {
      return true;
    }
    ctx.problem(node, owner + " is missing field '" + key + "'; " + howToFix);
    return false;
  }

  /** A text field (with environment placeholders replaced). */
  Optional<String> text(String key) {
    return raw(key).flatMap(value -> scalarText(value, "field '" + key + "' of " + owner));
  }

  /** A text field read through {@code parser}; a bad value is reported with field and owner. */
  <T> Optional<T> parsed(String key, Function<String, Parsed<T>> parser) {
    return text(key).flatMap(t -> parser.apply(t).orReport(ctx, raw(key).get(), prefix(key)));
  }

  /** A whole number in {@code min..max}. */
  Optional<Integer> integer(String key, int min, int max) {
    return parsed(key, t -> wholeNumber(t, min, max));
  }

  /** A list field. */
  Optional<List<Node>> list(String key) {
    return raw(key).flatMap(value -> asList(value, "field '" + key + "' of " + owner));
  }

  /** A list of text values. */
  Optional<List<Text>> textList(String key) {
    return list(key).map(items -> texts(items, "an item of '" + key + "' in " + owner));
  }

  /** A nested mapping. */
  Optional<YamlMap> map(String key, String childOwner, List<String> allowed) {
    return raw(key).flatMap(value -> open(value, childOwner, allowed, ctx));
  }

  /** The entries of a nested mapping with free keys (names of nodes, addresses, ports). */
  Optional<List<NodeTuple>> entries(String key) {
    Optional<Node> value = raw(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof MappingNode mapping) {
      return Optional.of(mapping.getValue());
    }
    ctx.problem(
        value.get(), prefix(key) + "must be a mapping, not " + LoadContext.shape(value.get()));
    return Optional.empty();
  }

  String prefix(String key) {
    return "field '" + key + "' of " + owner + ": ";
  }

  /** A scalar's text and where it was written. */
  record Text(String value, Node node) {}

  Optional<String> scalarText(Node value, String what) {
    return ctx.scalarText(value, what);
  }

  Optional<List<Node>> asList(Node value, String what) {
    if (value instanceof SequenceNode seq) {
      return Optional.of(seq.getValue());
    }
    ctx.problem(
        value, what + " must be a list ([a, b] or '- a' lines), not " + LoadContext.shape(value));
    return Optional.empty();
  }

  List<Text> texts(List<Node> items, String what) {
    List<Text> out = new ArrayList<>();
    for (Node item : items) {
      scalarText(item, what).ifPresent(t -> out.add(new Text(t, item)));
    }
    return out;
  }

  static Parsed<Integer> wholeNumber(String text, int min, int max) {
    if (!text.trim().matches("-?\\d{1,9}")) {
      return Parsed.bad("'" + text + "' is not a whole number; write a number " + min + ".." + max);
    }
    int n = Integer.parseInt(text.trim());
    return n < min || n > max
        ? Parsed.bad(n + " is out of range " + min + ".." + max)
        : Parsed.ok(n);
  }
}
