package io.netprobe.cli.run;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import io.netprobe.matrix.NodeAccess;
import java.util.HashMap;
import java.util.Map;

/**
 * The Docker networks a run's nodes sit on, from the engine: for each docker node, its address on
 * each network, and for each bridge network the Linux bridge that carries it on the Docker host
 * ({@code docker0}, {@code br-1a2b3c4d5e6f}). Two networks may share a range (a compose project's
 * 192.168.1.0/24 and a VM's LAN): the topology tells them apart by these names. Empty when the
 * matrix has no docker node or no engine answers.
 *
 * @param byNode node name to address to network name
 * @param bridges bridge interface to network name
 */
record DockerNetworks(Map<String, Map<String, String>> byNode, Map<String, String> bridges) {
  static final DockerNetworks NONE = new DockerNetworks(Map.of(), Map.of());

  static DockerNetworks read(Matrix matrix) {
    Map<String, String> containers = new HashMap<>();
    for (Node n : matrix.nodes().values()) {
      if (n.access() instanceof NodeAccess.Docker d) {
        containers.put(n.name(), d.container());
      }
    }
    if (containers.isEmpty()) {
      return NONE;
    }
    try {
      DockerClient docker = DockerClients.shared();
      Map<String, String> bridges = new HashMap<>();
      for (Network n : docker.listNetworksCmd().exec()) {
        if (!"bridge".equals(n.getDriver())) {
          continue;
        }
        Map<String, String> options = n.getOptions() == null ? Map.of() : n.getOptions();
        String bridge = options.get("com.docker.network.bridge.name");
        bridges.put(bridge != null ? bridge : "br-" + n.getId().substring(0, 12), n.getName());
      }
      Map<String, Map<String, String>> byNode = new HashMap<>();
      containers.forEach(
          (node, container) -> {
            try {
              var settings = docker.inspectContainerCmd(container).exec().getNetworkSettings();
              Map<String, String> nets = new HashMap<>();
              if (settings != null && settings.getNetworks() != null) {
                for (Map.Entry<String, ContainerNetwork> e : settings.getNetworks().entrySet()) {
                  String ip = e.getValue().getIpAddress();
                  if (ip != null && !ip.isEmpty()) {
                    nets.put(ip, e.getKey());
                  }
                }
              }
              byNode.put(node, nets);
            } catch (RuntimeException e) {
              // a container that is gone has no networks to draw
            }
          });
      return new DockerNetworks(byNode, bridges);
    } catch (Exception e) {
      return NONE;
    }
  }
}
