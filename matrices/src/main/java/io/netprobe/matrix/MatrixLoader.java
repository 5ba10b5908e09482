package io.netprobe.matrix;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads a matrix file: parses the YAML, reads every section, expands meshes, resolves every
 * reference, and reports all problems at once as {@code file:line:column: message}.
 *
 * <p>Values may use {@code ${VAR}} or {@code ${VAR:-default}}, replaced from the environment, so
 * one lab file fits every student's addresses.
 */
public final class MatrixLoader {
  /**
   * Larger than any lab (29,700 checks written out one per line take 1.5 MB); a bigger file is a
   * mistake (or an attack on the parser).
   */
  static final int MAX_CHARS = 16_000_000;

  private MatrixLoader() {}

  /** Loads {@code file}, named in messages as given, with the process environment. */
  public static Matrix load(Path file) throws MatrixException {
    return load(file, System.getenv());
  }

  /** As {@link #load(Path)}, with {@code env} for {@code ${VAR}} placeholders. */
  public static Matrix load(Path file, Map<String, String> env) throws MatrixException {
    String name = file.toString();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw single(name, "not UTF-8 text; save the matrix as UTF-8");
    } catch (IOException e) {
      throw single(
          name,
          "cannot read the matrix file ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); check the path and its permissions");
    }
    return load(text, name, env);
  }

  /** Loads {@code yamlText}, naming it {@code fileNameForMessages} in problems. */
  public static Matrix load(String yamlText, String fileNameForMessages) throws MatrixException {
    return load(yamlText, fileNameForMessages, System.getenv());
  }

  /** As {@link #load(String, String)}, with {@code env} for {@code ${VAR}} placeholders. */
  public static Matrix load(String yamlText, String fileNameForMessages, Map<String, String> env)
      throws MatrixException {
    LoadContext ctx = new LoadContext(fileNameForMessages, env);
    Optional<Matrix> matrix = parse(yamlText, ctx).flatMap(root -> read(root, ctx));
    if (!ctx.problems().isEmpty() || matrix.isEmpty()) {
      if (ctx.problems().isEmpty()) {
        ctx.problem(Location.startOf(fileNameForMessages), "the matrix could not be read");
      }
      throw new MatrixException(ctx.problems());
    }
    return matrix.get();
  }

  private static MatrixException single(String file, String message) {
    return new MatrixException(List.of(new Problem(Location.startOf(file), message)));
  }

  /**
   * Tags only what the loader asks of a tag: null (an empty or {@code ~} value) and the merge key.
   * Everything else stays text, read by the field that knows its type. SnakeYAML's own resolver
   * tried every plain scalar against its boolean, integer, float and timestamp patterns: a quarter
   * of the allocation of loading a 29,700-check matrix.
   */
  private static final class TextResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  private static Optional<Node> parse(String text, LoadContext ctx) {
    if (text.length() > MAX_CHARS) {
      ctx.problem(
          Location.startOf(ctx.file()),
          "file too large ("
              + text.length()
              + " characters, at most "
              + MAX_CHARS
              + "); a matrix is a few hundred lines");
      return Optional.empty();
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(40);
    options.setAllowRecursiveKeys(false);
    options.setMergeOnCompose(true);
    options.setCodePointLimit(MAX_CHARS * 4);
    try {
      Node root =
          new Yaml(
                  new Constructor(options),
                  new Representer(new DumperOptions()),
                  new DumperOptions(),
                  options,
                  new TextResolver())
              .compose(new StringReader(text));
      if (root == null || root instanceof ScalarNode s && s.getValue().isBlank()) {
        ctx.problem(
            Location.startOf(ctx.file()),
            "the file is empty; a matrix needs name, nodes" + " and checks");
        return Optional.empty();
      }
      return Optional.of(root);
    } catch (MarkedYAMLException e) {
      Location at = ctx.at(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      ctx.problem(at, "YAML syntax error: " + e.getProblem() + context);
    } catch (YAMLException | IllegalArgumentException | IllegalStateException e) {
      // SnakeYAML's limits and a few of its internal errors come without a mark.
      ctx.problem(Location.startOf(ctx.file()), "YAML could not be read: " + e.getMessage());
    } catch (StackOverflowError e) {
      ctx.problem(Location.startOf(ctx.file()), "YAML nested too deeply to read");
    }
    return Optional.empty();
  }

  private static Optional<Matrix> read(Node root, LoadContext ctx) {
    Optional<YamlMap> opened = YamlMap.open(root, "the matrix", Fields.MATRIX, ctx);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap top = opened.get();
    top.require("name", "write name: a title for the lab, e.g. name: VirtualBox NAT");
    Optional<String> name = top.text("name");
    Defaults defaults = readDefaults(top, ctx);
    NodesReader nodesReader = new NodesReader(ctx);
    Map<String, io.netprobe.matrix.Node> nodes = nodesReader.read(top);
    TargetResolver targets =
        new TargetResolver(nodes, declaredNodes(top), nodesReader.declaredAddresses());
    List<Check> checks = new ChecksReader(ctx, targets, defaults).read(top);
    List<String> watch = readWatch(top, nodes, ctx);
    Set<String> ids = checks.stream().map(Check::id).collect(Collectors.toSet());
    List<FactCheck> facts = new FactsReader(ctx, nodes, defaults).read(top, ids);
    if (name.isEmpty() || !ctx.problems().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Matrix(
            name.get(),
            top.text("description").orElse(""),
            defaults,
            nodes,
            checks,
            top.location(),
            watch,
            facts));
  }

  /**
   * {@code watch: [fw, rt]}: nodes whose agents start although no check starts or ends there (a
   * router, a firewall, the Docker host): their captures and rule counters are evidence of where a
   * flow was lost. Each must be a node with an agent.
   */
  private static List<String> readWatch(
      YamlMap top, Map<String, io.netprobe.matrix.Node> nodes, LoadContext ctx) {
    List<String> out = new java.util.ArrayList<>();
    for (YamlMap.Text t : top.textList("watch").orElse(List.of())) {
      io.netprobe.matrix.Node node = nodes.get(t.value());
      if (node == null) {
        ctx.problem(
            t.node(),
            "unknown node '"
                + t.value()
                + "' in watch"
                + Suggest.didYouMean(t.value(), nodes.keySet())
                + "; nodes are: "
                + String.join(", ", nodes.keySet()));
      } else if (!node.kind().hasAgent()) {
        ctx.problem(
            t.node(),
            "watch: node '"
                + t.value()
                + "' is of kind "
                + node.kind().yamlName()
                + ", which has no agent to watch with; watch a node of kind local, netns, ssh"
                + " or docker");
      } else if (!out.contains(t.value())) {
        out.add(t.value());
      }
    }
    return out;
  }

  private static Set<String> declaredNodes(YamlMap top) {
    return top.raw("nodes")
        .filter(n -> n instanceof org.yaml.snakeyaml.nodes.MappingNode)
        .map(
            n ->
                ((org.yaml.snakeyaml.nodes.MappingNode) n)
                    .getValue().stream()
                        .map(t -> t.getKeyNode())
                        .filter(k -> k instanceof ScalarNode)
                        .map(k -> ((ScalarNode) k).getValue())
                        .collect(Collectors.toCollection(java.util.LinkedHashSet::new)))
        .map(s -> (Set<String>) s)
        .orElse(Set.of());
  }

  private static Defaults readDefaults(YamlMap top, LoadContext ctx) {
    Optional<YamlMap> opened = top.map("defaults", "defaults", Fields.DEFAULTS);
    if (opened.isEmpty()) {
      return Defaults.STANDARD;
    }
    YamlMap d = opened.get();
    Defaults std = Defaults.STANDARD;
    Duration timeout = d.parsed("timeout", Syntax::duration).orElse(std.timeout());
    int retries = d.integer("retries", 0, Check.MAX_RETRIES).orElse(std.retries());
    int points = d.integer("points", 0, Check.MAX_POINTS).orElse(std.points());
    int icmpCount = d.integer("icmp-count", 1, 100).orElse(std.icmpCount());
    Optional<Credentials> login =
        d.map("login", "login of defaults", Fields.LOGIN)
            .flatMap(l -> NodesReader.readLogin(l, true, ctx));
    String family = d.parsed("family", Settings::family).orElse(std.family());
    return new Defaults(timeout, retries, points, icmpCount, login, family);
  }
}
