package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a node's {@code addresses:}: {@code nat: 10.0.2.15} (path direct), {@code forward:
 * 127.0.0.1:1234}, {@code web: www.example.net} (a host name), or the full form {@code { ip | host,
 * port | port-map, path, from }}.
 */
final class AddressReader {
  private final LoadContext ctx;

  /** {@code from:} lists wait until every node is known. */
  private final List<YamlMap.Text> pendingFrom = new ArrayList<>();

  /** Every address name written, per node, including addresses that had problems. */
  private final Map<String, Set<String>> declared = new LinkedHashMap<>();

  AddressReader(LoadContext ctx) {
    this.ctx = ctx;
  }

  /** Stands for "some addresses, unreadable" among the declared names of a node. */
  static final String UNREADABLE = "*";

  Map<String, Address> read(String nodeName, YamlMap node) {
    Map<String, Address> out = new LinkedHashMap<>();
    if (node.has("addresses") && !(node.raw("addresses").get() instanceof MappingNode)) {
      declared.put(nodeName, Set.of(UNREADABLE));
    }
    for (NodeTuple entry : node.entries("addresses").orElse(List.of())) {
      Node key = entry.getKeyNode();
      if (!(key instanceof ScalarNode scalar)) {
        ctx.problem(key, "an address name must be a plain word, not " + LoadContext.shape(key));
        continue;
      }
      Optional<String> name =
          ctx.text(scalar, "an address name")
              .flatMap(n -> Syntax.name(n, "address").orReport(ctx, key, ""));
      name.ifPresent(
          n -> declared.computeIfAbsent(nodeName, k -> new java.util.HashSet<>()).add(n));
      name.flatMap(n -> readOne(nodeName + "." + n, n, entry.getValueNode()))
          .ifPresent(a -> out.put(a.name(), a));
    }
    return out;
  }

  private Optional<Address> readOne(String ref, String name, Node value) {
    String owner = "address '" + ref + "'";
    if (!(value instanceof MappingNode)) {
      return ctx.scalarText(value, owner)
          .flatMap(
              t ->
                  Syntax.looksLikeIp(t)
                      ? Syntax.endpoint(t).orReport(ctx, value, owner + ": ")
                      : Syntax.hostName(t)
                          .orReport(ctx, value, owner + ": ")
                          .map(h -> new Syntax.Endpoint(h, OptionalInt.empty())))
          .flatMap(
              e ->
                  build(
                      value,
                      owner,
                      () ->
                          new Address(
                              name, e.ip(), PathKind.DIRECT, e.port(), Map.of(), List.of())));
    }
    YamlMap m = YamlMap.open(value, owner, Fields.ADDRESS, ctx).orElseThrow();
    if (m.has("ip") && m.has("host")) {
      ctx.problem(
          m.keyLocation("host"),
          owner + " has both ip and host: write ip: for an address, host: for a name to resolve");
      return Optional.empty();
    }
    if (!m.has("host")
        && !m.require(
            "ip",
            "write ip: the address (e.g. ip: 10.0.2.15), or host: a name the source resolves"
                + " (e.g. host: www.example.net)")) {
      return Optional.empty();
    }
    Optional<String> ip =
        m.has("host")
            ? m.parsed("host", Syntax::hostName)
            : m.parsed("ip", Syntax::endpoint)
                .flatMap(e -> e.port().isEmpty() ? Optional.of(e.ip()) : portInIp(m));
    OptionalInt port = m.integer("port", 1, 65535).map(OptionalInt::of).orElse(OptionalInt.empty());
    Optional<Map<Integer, Integer>> portMap = readPortMap(m);
    Optional<PathKind> path = m.has("path") ? readPath(m) : Optional.of(PathKind.DIRECT);
    List<String> from =
        m.textList("from").orElse(List.of()).stream()
            .peek(pendingFrom::add)
            .map(YamlMap.Text::value)
            .toList();
    if (port.isPresent() && m.has("port-map")) {
      ctx.problem(
          m.keyLocation("port-map"),
          owner
              + " has both port and port-map; port sends every probe to one port, port-map"
              + " maps some ports: keep one");
      return Optional.empty();
    }
    Optional<String> ip6 = m.has("ip6") ? m.parsed("ip6", AddressReader::ipv6) : Optional.empty();
    if (ip.isEmpty() || portMap.isEmpty() || path.isEmpty() || m.has("ip6") && ip6.isEmpty()) {
      return Optional.empty();
    }
    return build(
        value,
        owner,
        () -> new Address(name, ip.get(), path.get(), port, portMap.get(), from, ip6.orElse(null)));
  }

  /** An IPv6 literal without a port: the ip6 of a dual-stack address. */
  private static Parsed<String> ipv6(String text) {
    String t = text.trim();
    Parsed<Syntax.Endpoint> e = Syntax.endpoint(t);
    if (!t.contains(":") || t.startsWith("[") || !e.isOk()) {
      return Parsed.bad(
          "'" + text + "' is not an IPv6 address; write the address alone, e.g. ip6: fd00:1::5a");
    }
    return Parsed.ok(e.value().ip());
  }

  private Optional<String> portInIp(YamlMap m) {
    ctx.problem(
        m.raw("ip").get(),
        m.prefix("ip")
            + "write the port in its own field (port: 1234) or use the short form name: IP:PORT");
    return Optional.empty();
  }

  private Optional<Map<Integer, Integer>> readPortMap(YamlMap m) {
    Map<Integer, Integer> map = new TreeMap<>();
    boolean ok = true;
    for (NodeTuple e : m.entries("port-map").orElse(List.of())) {
      Optional<Integer> from = port(e.getKeyNode(), m);
      Optional<Integer> to = port(e.getValueNode(), m);
      ok &= from.isPresent() && to.isPresent();
      from.ifPresent(f -> to.ifPresent(t -> map.put(f, t)));
    }
    if (m.has("port-map") && m.entries("port-map").isEmpty()) {
      return Optional.empty();
    }
    return ok ? Optional.of(map) : Optional.empty();
  }

  private Optional<Integer> port(Node node, YamlMap m) {
    String what = "port-map of " + m.owner().replace("address ", "");
    return ctx.scalarText(node, what).flatMap(t -> Syntax.port(t).orReport(ctx, node, what + ": "));
  }

  private Optional<PathKind> readPath(YamlMap m) {
    return m.parsed(
        "path",
        p ->
            PathKind.fromYaml(p)
                .map(Parsed::ok)
                .orElseGet(
                    () ->
                        Parsed.bad(
                            "unknown path kind '"
                                + p
                                + "'"
                                + Suggest.didYouMean(p, PathKind.yamlNames())
                                + "; path kinds are: "
                                + String.join(", ", PathKind.yamlNames()))));
  }

  private <T> Optional<T> build(Node at, String owner, java.util.function.Supplier<T> make) {
    try {
      return Optional.of(make.get());
    } catch (IllegalArgumentException e) {
      ctx.problem(at, owner + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  Map<String, Set<String>> declared() {
    return declared;
  }

  /** Every name in a {@code from:} list must be a node. */
  void checkFromLists(Set<String> nodes) {
    for (YamlMap.Text t : pendingFrom) {
      if (!nodes.contains(t.value())) {
        ctx.problem(
            t.node(),
            "unknown node '"
                + t.value()
                + "' in from"
                + Suggest.didYouMean(t.value(), nodes)
                + "; nodes are: "
                + String.join(", ", nodes));
      }
    }
  }
}
