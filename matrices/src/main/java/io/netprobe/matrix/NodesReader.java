package io.netprobe.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads the {@code nodes:} section: kinds, how to reach each node, its named addresses. */
final class NodesReader {
  private final LoadContext ctx;
  private final AddressReader addresses;

  NodesReader(LoadContext ctx) {
    this.ctx = ctx;
    this.addresses = new AddressReader(ctx);
  }

  /** Address names written per node, including those that had problems of their own. */
  Map<String, java.util.Set<String>> declaredAddresses() {
    return addresses.declared();
  }

  Map<String, io.netprobe.matrix.Node> read(YamlMap top) {
    Map<String, io.netprobe.matrix.Node> nodes = new LinkedHashMap<>();
    if (!top.require("nodes", "list the nodes: nodes: { pc: { kind: local } }")) {
      return nodes;
    }
    List<NodeTuple> entries = top.entries("nodes").orElse(List.of());
    if (entries.isEmpty() && top.raw("nodes").orElse(null) instanceof MappingNode) {
      ctx.problem(top.raw("nodes").get(), "nodes is empty; a matrix needs at least one node");
    }
    java.util.Set<String> declared = new java.util.LinkedHashSet<>();
    for (NodeTuple entry : entries) {
      Optional<String> name = nodeName(entry.getKeyNode());
      name.ifPresent(declared::add);
      name.flatMap(n -> readNode(n, entry.getValueNode()))
          .ifPresent(node -> nodes.put(node.name(), node));
    }
    addresses.checkFromLists(declared);
    return nodes;
  }

  private Optional<String> nodeName(Node key) {
    if (!(key instanceof ScalarNode scalar)) {
      ctx.problem(key, "a node name must be a plain word, not " + LoadContext.shape(key));
      return Optional.empty();
    }
    return ctx.text(scalar, "a node name")
        .flatMap(n -> Syntax.name(n, "node").orReport(ctx, key, ""));
  }

  private Optional<io.netprobe.matrix.Node> readNode(String name, Node value) {
    String owner = "node '" + name + "'";
    Optional<YamlMap> opened = YamlMap.open(value, owner, Fields.NODE, ctx);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    YamlMap m = opened.get();
    Optional<NodeKind> kind = readKind(m);
    Optional<NodeAccess> access = kind.flatMap(k -> readAccess(k, m));
    Optional<Credentials> login =
        m.map("login", "login of " + owner, Fields.LOGIN).flatMap(l -> readLogin(l, true));
    Map<String, Address> named = addresses.read(name, m);
    Optional<String> defaultAddress = m.text("default-address");
    java.util.Set<String> written = addresses.declared().getOrDefault(name, java.util.Set.of());
    if (defaultAddress.isPresent()
        && !named.containsKey(defaultAddress.get())
        && (written.contains(defaultAddress.get()) || written.contains(AddressReader.UNREADABLE))) {
      return Optional.empty(); // the address itself had a problem, reported there
    }
    if (defaultAddress.isPresent() && !named.containsKey(defaultAddress.get())) {
      ctx.problem(
          m.raw("default-address").get(),
          m.prefix("default-address")
              + "'"
              + defaultAddress.get()
              + (named.isEmpty()
                  ? "' names no address: the node has none"
                  : "' is not one of its addresses: " + String.join(", ", named.keySet())));
      return Optional.empty();
    }
    if (kind.isPresent()
        && kind.get() == NodeKind.ADDRESS
        && named.isEmpty()
        && !m.has("addresses")) {
      ctx.problem(
          value, owner + " is kind address but has no addresses; add addresses: { name: IP }");
      return Optional.empty();
    }
    if (access.isEmpty()) {
      return Optional.empty();
    }
    String description = m.text("description").orElse("");
    try {
      return Optional.of(
          new io.netprobe.matrix.Node(
              name, access.get(), login, named, defaultAddress, description));
    } catch (IllegalArgumentException e) {
      ctx.problem(value, owner + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<NodeKind> readKind(YamlMap m) {
    if (!m.require("kind", "write kind: one of " + String.join(", ", NodeKind.yamlNames()))) {
      return Optional.empty();
    }
    return m.parsed(
        "kind",
        k ->
            NodeKind.fromYaml(k)
                .map(Parsed::ok)
                .orElseGet(
                    () ->
                        Parsed.bad(
                            "unknown kind '"
                                + k
                                + "'"
                                + Suggest.didYouMean(k, NodeKind.yamlNames())
                                + "; kinds are: "
                                + String.join(", ", NodeKind.yamlNames()))));
  }

  private Optional<NodeAccess> readAccess(NodeKind kind, YamlMap m) {
    boolean fieldsOk = true;
    for (NodeKind other : List.of(NodeKind.NETNS, NodeKind.DOCKER, NodeKind.SSH)) {
      String field = accessField(other);
      if (other != kind && m.has(field)) {
        ctx.problem(
            m.keyLocation(field),
            "field '"
                + field
                + "' is for nodes of kind "
                + other.yamlName()
                + "; "
                + m.owner()
                + " is kind "
                + kind.yamlName());
        fieldsOk = false;
      }
    }
    Optional<NodeAccess> access;
    try {
      access =
          switch (kind) {
            case LOCAL -> Optional.of(new NodeAccess.Local());
            case ADDRESS -> Optional.of(new NodeAccess.None());
            case NETNS ->
                required(m, "netns", "the namespace's name, e.g. netns: np-pc")
                    .map(NodeAccess.Netns::new);
            case DOCKER ->
                required(m, "container", "the container's name or id, e.g. container: web")
                    .map(NodeAccess.Docker::new);
            case SSH -> readSsh(m);
          };
    } catch (IllegalArgumentException e) {
      ctx.problem(m.node(), m.owner() + ": " + e.getMessage());
      return Optional.empty();
    }
    return fieldsOk ? access : Optional.empty();
  }

  private static String accessField(NodeKind kind) {
    return kind == NodeKind.DOCKER ? "container" : kind.yamlName();
  }

  private Optional<String> required(YamlMap m, String field, String what) {
    return m.require(field, "a " + m.owner().split(" ")[0] + " of this kind needs " + what)
        ? m.text(field)
        : Optional.empty();
  }

  private Optional<NodeAccess> readSsh(YamlMap m) {
    if (!m.require(
        "ssh", "write ssh: { host: 127.0.0.1, port: 2222, user: lab, identity: PATH }")) {
      return Optional.empty();
    }
    Optional<YamlMap> ssh = m.map("ssh", "ssh of " + m.owner(), Fields.SSH);
    if (ssh.isEmpty()) {
      return Optional.empty();
    }
    YamlMap s = ssh.get();
    boolean hostOk = s.require("host", "write host: the address or name sshd listens on");
    Optional<String> host = s.text("host");
    int port = s.integer("port", 1, 65535).orElse(22);
    Optional<Credentials> login = readLogin(s, true);
    if (!hostOk || host.isEmpty() || login.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NodeAccess.Ssh(host.get(), port, login.get()));
  }

  /** user, known-hosts and at most one of identity, password-env, password-file. */
  static Optional<Credentials> readLogin(YamlMap m, boolean requireUser, LoadContext ctx) {
    List<String> given = new ArrayList<>();
    for (String field : List.of("identity", "password-env", "password-file")) {
      if (m.has(field)) {
        given.add(field);
      }
    }
    if (given.size() > 1) {
      ctx.problem(
          m.keyLocation(given.get(1)),
          m.owner() + " gives " + String.join(" and ", given) + "; keep one way to log in");
      return Optional.empty();
    }
    if (requireUser && !m.require("user", "write user: the login name, e.g. user: lab")) {
      return Optional.empty();
    }
    Optional<String> user = m.text("user");
    try {
      return readSecret(m, given, ctx)
          .flatMap(secret -> user.map(u -> new Credentials(u, secret, m.text("known-hosts"))));
    } catch (IllegalArgumentException e) {
      ctx.problem(m.node(), m.owner() + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The secret reference; empty when one was given but is unusable, else maybe-empty inside. */
  private static Optional<Optional<SecretRef>> readSecret(
      YamlMap m, List<String> given, LoadContext ctx) {
    Optional<SecretRef> secret = Optional.empty();
    if (m.has("password-env")) {
      Optional<String> variable = m.text("password-env");
      if (variable.isEmpty()) {
        return Optional.empty();
      }
      if (!variable.get().matches("[A-Za-z_][A-Za-z0-9_]*")) {
        ctx.problem(
            m.raw("password-env").get(),
            m.prefix("password-env")
                + "must be the NAME of an environment variable (letters, digits, _) that holds"
                + " the password, e.g. password-env: LAB_PASSWORD; never the password itself");
        return Optional.empty();
      }
      secret = Optional.of(new SecretRef.PasswordEnv(variable.get()));
    } else if (m.has("password-file")) {
      secret = m.text("password-file").map(SecretRef.PasswordFile::new);
    } else if (m.has("identity")) {
      secret = m.text("identity").map(SecretRef.IdentityFile::new);
    }
    return !given.isEmpty() && secret.isEmpty() ? Optional.empty() : Optional.of(secret);
  }

  private Optional<Credentials> readLogin(YamlMap m, boolean requireUser) {
    return readLogin(m, requireUser, ctx);
  }
}
