package io.netprobe.cli.discover;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkSettings;
import com.github.dockerjava.api.model.Ports;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.ProcFacts;
import io.netprobe.cli.connect.DockerNodeConnector;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.invocation.Invocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the local Docker engine into a {@link DockerSetup}: every network, every running container
 * (netprobe's own agent sidecars left out) with its addresses, exposed and published ports and
 * labels, and the TCP ports this machine already listens on. Reads only; changes nothing.
 */
public final class DockerEngineReader {
  private static final String OPTION = "com.docker.network.bridge.";

  private DockerEngineReader() {}

  /**
   * Connects to the engine (DOCKER_HOST or the local socket) and reads it.
   *
   * @throws io.netprobe.cli.error.UserException when no engine answers, saying how to start one
   */
  public static DockerSetup readLocal() {
    try (DockerClient docker = DockerClients.connect()) {
      return read(docker, localEngine() ? hostTcpPorts() : Set.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What {@code docker} says, with the host's listening TCP ports given. */
  public static DockerSetup read(DockerClient docker, Set<Integer> hostTcpPorts) {
    List<DockerSetup.Network> networks =
        docker.listNetworksCmd().exec().stream()
            .map(DockerEngineReader::network)
            .sorted(Comparator.comparing(DockerSetup.Network::name))
            .toList();
    Set<String> known = new TreeSet<>(networks.stream().map(DockerSetup.Network::name).toList());
    List<DockerSetup.Container> containers = new ArrayList<>();
    for (var listed : docker.listContainersCmd().withStatusFilter(List.of("running")).exec()) {
      Map<String, String> labels = listed.getLabels() == null ? Map.of() : listed.getLabels();
      if (labels.containsKey(DockerNodeConnector.RUN_LABEL)) {
        continue; // an agent sidecar of a netprobe run: it shares its target's network
      }
      try {
        containers.add(container(docker.inspectContainerCmd(listed.getId()).exec(), known));
      } catch (NotFoundException e) {
        // gone between the list and the inspection
      }
    }
    containers.sort(Comparator.comparing(DockerSetup.Container::name));
    return new DockerSetup(networks, containers, hostTcpPorts);
  }

  private static DockerSetup.Network network(Network n) {
    Map<String, String> options = n.getOptions() == null ? Map.of() : n.getOptions();
    String subnet = null;
    if (n.getIpam() != null && n.getIpam().getConfig() != null) {
      subnet =
          n.getIpam().getConfig().stream()
              .map(Network.Ipam.Config::getSubnet)
              .filter(s -> s != null && !s.contains(":"))
              .findFirst()
              .orElse(null);
    }
    return new DockerSetup.Network(
        n.getName(),
        n.getDriver() == null ? "" : n.getDriver(),
        "true".equals(options.get(OPTION + "default_bridge")),
        Boolean.TRUE.equals(n.getInternal()),
        !"false".equals(options.get(OPTION + "enable_icc")),
        !"false".equals(options.get(OPTION + "enable_ip_masquerade")),
        subnet);
  }

  private static DockerSetup.Container container(InspectContainerResponse c, Set<String> known) {
    ContainerConfig config = c.getConfig();
    Map<String, String> labels =
        config == null || config.getLabels() == null ? Map.of() : config.getLabels();
    Set<DockerSetup.Port> exposed = new TreeSet<>();
    if (config != null && config.getExposedPorts() != null) {
      for (ExposedPort p : config.getExposedPorts()) {
        exposed.add(port(p));
      }
    }
    NetworkSettings settings = c.getNetworkSettings();
    Map<String, String> addresses = new TreeMap<>();
    List<DockerSetup.Publication> published = new ArrayList<>();
    if (settings != null) {
      if (settings.getNetworks() != null) {
        for (Map.Entry<String, ContainerNetwork> e : settings.getNetworks().entrySet()) {
          String ip = e.getValue().getIpAddress();
          if (ip != null && !ip.isEmpty() && known.contains(e.getKey())) {
            addresses.put(e.getKey(), ip);
          }
        }
      }
      if (settings.getPorts() != null) {
        published(settings.getPorts(), published);
      }
    }
    return new DockerSetup.Container(
        c.getName().startsWith("/") ? c.getName().substring(1) : c.getName(),
        config == null ? "" : config.getImage(),
        labels,
        new LinkedHashMap<>(addresses),
        exposed,
        published,
        c.getHostConfig() == null ? "" : c.getHostConfig().getNetworkMode());
  }

  private static void published(Ports ports, List<DockerSetup.Publication> out) {
    for (Map.Entry<ExposedPort, Ports.Binding[]> e : ports.getBindings().entrySet()) {
      if (e.getValue() == null) {
        continue; // exposed, not published
      }
      for (Ports.Binding b : e.getValue()) {
        String hostPort = b.getHostPortSpec();
        if (hostPort != null && hostPort.matches("\\d{1,5}")) { // not a range yet to be bound
          out.add(
              new DockerSetup.Publication(
                  port(e.getKey()), b.getHostIp(), Integer.parseInt(hostPort)));
        }
      }
    }
  }

  private static DockerSetup.Port port(ExposedPort p) {
    return new DockerSetup.Port(p.getPort(), p.getProtocol().name().toLowerCase(Locale.ROOT));
  }

  /** The engine is this machine's when DOCKER_HOST is unset or a unix socket. */
  private static boolean localEngine() {
    String host = Invocation.getenv("DOCKER_HOST");
    return host == null || host.isEmpty() || host.startsWith("unix://");
  }

  /** The TCP ports a connection to this machine's 127.0.0.1 would reach. */
  private static Set<Integer> hostTcpPorts() {
    Set<Integer> ports = new TreeSet<>();
    try {
      for (Facts.Listener l : ProcFacts.system().listening()) {
        if (l.protocol().equals("tcp") && reachesLoopback(l.address())) {
          ports.add(l.port());
        }
      }
    } catch (IOException | RuntimeException e) {
      // no socket table: every exposed-only port gets its host-side check
    }
    return ports;
  }

  static boolean reachesLoopback(String address) {
    return address.startsWith("127.")
        || address.equals("0.0.0.0")
        || address.equals("::")
        || address.equals("0:0:0:0:0:0:0:0")
        || address.startsWith("::ffff:127.");
  }
}
