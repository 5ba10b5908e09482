package io.netprobe.cli.discover;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the Docker engine says about this host's containers, as far as the network goes: the
 * networks, the running containers with their address on each network, their exposed and published
 * ports and their labels, and the TCP ports the host itself already listens on. Read by {@link
 * DockerEngineReader}, turned into checks by {@link DockerRules}; built by hand in tests.
 *
 * @param hostTcpPorts TCP ports that a connection to the host's 127.0.0.1 reaches (a process
 *     listening on 0.0.0.0, :: or 127.x): an exposed-only port can only be shown closed on the host
 *     where no one else holds it
 */
public record DockerSetup(
    List<Network> networks, List<Container> containers, Set<Integer> hostTcpPorts) {

  public DockerSetup {
    networks = List.copyOf(networks);
    containers = List.copyOf(containers);
    hostTcpPorts = Collections.unmodifiableSet(new TreeSet<>(hostTcpPorts));
    for (Container c : containers) {
      for (String n : c.addresses().keySet()) {
        if (networks.stream().noneMatch(net -> net.name().equals(n))) {
          throw new IllegalArgumentException(
              "container " + c.name() + " is on network " + n + ", which is not in the setup");
        }
      }
    }
  }

  public Optional<Network> network(String name) {
    return networks.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /**
   * A Docker network.
   *
   * @param driver {@code bridge}, {@code host}, {@code null}, {@code macvlan}, {@code overlay}...
   * @param defaultBridge Docker's own {@code bridge} network, whose Linux bridge is docker0
   * @param internal {@code --internal}: no way out, so no default route in its containers
   * @param icc inter-container communication ({@code com.docker.network.bridge.enable_icc})
   * @param masquerade {@code com.docker.network.bridge.enable_ip_masquerade}
   */
  public record Network(
      String name,
      String driver,
      boolean defaultBridge,
      boolean internal,
      boolean icc,
      boolean masquerade,
      String subnet) {

    public Network {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(driver, "driver");
      subnet = subnet == null ? "" : subnet;
    }

    /** A plain bridge network with Docker's defaults. */
    public static Network bridge(String name, String subnet) {
      return new Network(name, "bridge", false, false, true, true, subnet);
    }

    /** Docker's default bridge, {@code bridge} (docker0). */
    public static Network docker0(String subnet) {
      return new Network("bridge", "bridge", true, false, true, true, subnet);
    }

    public boolean isBridge() {
      return driver.equals("bridge");
    }

    /** How it reads in a comment: "np-compose", or "bridge (docker0)". */
    public String label() {
      return defaultBridge ? name + " (docker0)" : name;
    }
  }

  /**
   * A running container.
   *
   * @param addresses its IPv4 address on each network it is attached to, by network name (kept in
   *     name order)
   * @param exposed the ports it exposes (published ones included)
   * @param networkMode {@code bridge}, a network name, {@code host}, {@code none} or {@code
   *     container:ID}
   */
  public record Container(
      String name,
      String image,
      Map<String, String> labels,
      Map<String, String> addresses,
      Set<Port> exposed,
      List<Publication> published,
      String networkMode) {

    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    public Container {
      Objects.requireNonNull(name, "name");
      image = image == null ? "" : image;
      labels = Map.copyOf(labels);
      addresses = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(addresses)));
      published = List.copyOf(published);
      TreeSet<Port> all = new TreeSet<>(exposed);
      published.forEach(p -> all.add(p.port()));
      exposed = Collections.unmodifiableSet(all);
      networkMode = networkMode == null ? "" : networkMode;
    }

    public Optional<String> project() {
      return Optional.ofNullable(labels.get(COMPOSE_PROJECT));
    }

    public Optional<String> service() {
      return Optional.ofNullable(labels.get(COMPOSE_SERVICE));
    }

    /** The exposed TCP port numbers (what a tcp:PORT probe can check). */
    public List<Integer> tcpPorts() {
      return exposed.stream().filter(Port::isTcp).map(Port::number).toList();
    }

    /** True when one of its publications has the container port {@code port}. */
    public boolean publishes(Port port) {
      return published.stream().anyMatch(p -> p.port().equals(port));
    }

    /** The same container on fewer networks (a --network filter). */
    public Container onNetworks(Set<String> keep) {
      Map<String, String> kept = new LinkedHashMap<>(addresses);
      kept.keySet().retainAll(keep);
      return new Container(name, image, labels, kept, exposed, published, networkMode);
    }
  }

  /** A container port: 80/tcp. */
  public record Port(int number, String protocol) implements Comparable<Port> {
    public Port {
      if (number < 1 || number > 65535) {
        throw new IllegalArgumentException("port out of range: " + number);
      }
      protocol = protocol == null ? "tcp" : protocol;
    }

    public static Port tcp(int number) {
      return new Port(number, "tcp");
    }

    public boolean isTcp() {
      return protocol.equals("tcp");
    }

    @Override
    public int compareTo(Port o) {
      int c = protocol.compareTo(o.protocol);
      return c != 0 ? c : Integer.compare(number, o.number);
    }

    @Override
    public String toString() {
      return protocol + "/" + number;
    }
  }

  /**
   * A published port: {@code -p 8000:80} is host {@code 0.0.0.0:8000} to container port 80/tcp.
   *
   * @param hostIp the host address it is bound to: {@code 0.0.0.0}, {@code ::}, or one address
   */
  public record Publication(Port port, String hostIp, int hostPort) {
    public Publication {
      Objects.requireNonNull(port, "port");
      hostIp = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
      if (hostPort < 1 || hostPort > 65535) {
        throw new IllegalArgumentException(
            "host port out of range: " + hostPort + " (" + port + ")");
      }
    }

    public boolean isIpv6() {
      return hostIp.contains(":");
    }

    /** Bound to every address of the host (0.0.0.0 or ::). */
    public boolean isWildcard() {
      return hostIp.equals("0.0.0.0") || hostIp.equals("::");
    }

    /** True when a connection to the host's 127.0.0.1 on {@code hostPort} reaches it. */
    public boolean reachesLoopback() {
      return isWildcard() || hostIp.startsWith("127.");
    }
  }
}
