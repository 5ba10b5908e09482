package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.cli.discover.DockerSetup.Publication;
import io.netprobe.matrix.NodeKind;
import io.netprobe.matrix.PathKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each container is in the matrix: its node name and the names of its addresses, one per
 * network ({@code np-compose}, or {@code docker0} for Docker's default bridge), {@code published}
 * for the host's ports that lead to it, {@code unpublished} for the host's 127.0.0.1 where an
 * exposed-only port is shown closed.
 */
final class Placement {
  /** The host's loopback, where a port published on 0.0.0.0 is checked from the host. */
  static final String LOOPBACK = "127.0.0.1";

  /** A host address with the ports published there: container port to host port. */
  record Published(String name, String ip, Map<Integer, Integer> portMap, List<Publication> by) {}

  private final DockerSetup setup;
  private final Map<String, String> nodes;
  private final Map<String, Map<String, String>> networkAddresses = new HashMap<>();
  private final Map<String, List<Published>> published = new HashMap<>();
  private final Map<String, String> unpublished = new HashMap<>();
  private final Map<String, Set<String>> taken = new HashMap<>();

  Placement(DockerSetup setup) {
    this.setup = setup;
    this.nodes = NodeNames.of(setup.containers());
    for (Container c : setup.containers()) {
      Set<String> names = taken.computeIfAbsent(c.name(), k -> new HashSet<>());
      Map<String, String> byNetwork = new LinkedHashMap<>();
      for (String n : c.addresses().keySet()) {
        Network net = setup.network(n).orElseThrow();
        byNetwork.put(
            n, NodeNames.unique(net.defaultBridge() ? "docker0" : NodeNames.sanitize(n), names));
      }
      networkAddresses.put(c.name(), byNetwork);
      published.put(c.name(), group(c, names));
    }
  }

  /** The node name of a container. */
  String node(String container) {
    return nodes.get(container);
  }

  /** {@code node.address} of a container on a network. */
  String address(Container c, String network) {
    return node(c.name()) + "." + networkAddresses.get(c.name()).get(network);
  }

  /** The host addresses with ports published to {@code c}. */
  List<Published> published(Container c) {
    return published.get(c.name());
  }

  /** {@code node.unpublished}: the host's 127.0.0.1, as a place where c's port is not. */
  String unpublished(Container c) {
    String name =
        unpublished.computeIfAbsent(
            c.name(), k -> NodeNames.unique("unpublished", taken.get(c.name())));
    return node(c.name()) + "." + name;
  }

  /** The matrix node of a container, with every address a check used. */
  MatrixPlan.Node node(Container c) {
    List<MatrixPlan.Address> addresses = new ArrayList<>();
    networkAddresses
        .get(c.name())
        .forEach(
            (n, name) -> {
              Network net = setup.network(n).orElseThrow();
              PathKind path =
                  net.defaultBridge()
                      ? PathKind.DOCKER0
                      : net.isBridge() ? PathKind.DOCKER_BRIDGE : PathKind.DIRECT;
              addresses.add(
                  new MatrixPlan.Address(name, c.addresses().get(n), path, Map.of(), List.of()));
            });
    for (Published p : published.get(c.name())) {
      addresses.add(
          new MatrixPlan.Address(
              p.name(), p.ip(), PathKind.PORT_FORWARD, p.portMap(), List.of(DockerRules.HOST)));
    }
    if (unpublished.containsKey(c.name())) {
      addresses.add(
          new MatrixPlan.Address(
              unpublished.get(c.name()),
              LOOPBACK,
              PathKind.PORT_FORWARD,
              Map.of(),
              List.of(DockerRules.HOST)));
    }
    String first = networkAddresses.get(c.name()).values().stream().findFirst().orElse(null);
    return new MatrixPlan.Node(
        node(c.name()),
        NodeKind.DOCKER,
        c.name(),
        describe(c),
        addresses,
        addresses.size() > 1 ? first : null);
  }

  private static String describe(Container c) {
    StringBuilder s = new StringBuilder("container ").append(c.name());
    if (!c.image().isEmpty()) {
      s.append(", image ").append(c.image());
    }
    c.project().ifPresent(p -> s.append(", compose project ").append(p));
    c.service().ifPresent(v -> s.append(", service ").append(v));
    return s.toString();
  }

  /**
   * The TCP publications of {@code c} by the host address a check goes to: 127.0.0.1 for 0.0.0.0
   * (as the demo matrix does), the address itself for one address. The IPv6 twin of an IPv4
   * wildcard ({@code [::]:50000} beside {@code 0.0.0.0:50000}) is the same port: left out.
   */
  private static List<Published> group(Container c, Set<String> names) {
    List<Published> out = new ArrayList<>();
    for (Publication p : c.published()) {
      if (!p.port().isTcp() || isIpv6Twin(c, p)) {
        continue;
      }
      String ip = p.isWildcard() ? (p.isIpv6() ? "::1" : LOOPBACK) : p.hostIp();
      Published place =
          out.stream()
              .filter(g -> g.ip().equals(ip) && !g.portMap().containsKey(p.port().number()))
              .findFirst()
              .orElse(null);
      if (place == null) {
        String base =
            ip.equals(LOOPBACK)
                ? "published"
                : ip.contains(":") ? "published-v6" : "published-" + ip.replace('.', '-');
        place =
            new Published(
                NodeNames.unique(base, names), ip, new LinkedHashMap<>(), new ArrayList<>());
        out.add(place);
      }
      place.portMap().put(p.port().number(), p.hostPort());
      place.by().add(p);
    }
    return out;
  }

  private static boolean isIpv6Twin(Container c, Publication p) {
    return p.isIpv6()
        && p.isWildcard()
        && c.published().stream()
            .anyMatch(
                q ->
                    !q.isIpv6()
                        && q.isWildcard()
                        && q.port().equals(p.port())
                        && q.hostPort() == p.hostPort());
  }
}
