package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.cli.discover.DockerSetup.Port;
import io.netprobe.cli.discover.DockerSetup.Publication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Docker setups built by hand, as {@link DockerEngineReader} would read them, for unit tests. */
public final class DiscoverSamples {
  public static final Network DOCKER0 = Network.docker0("172.17.0.0/16");
  public static final Network COMPOSE = Network.bridge("np-compose", "192.168.1.0/24");

  private DiscoverSamples() {}

  /**
   * The demo lab's containers (LABS.md section 2): np-ct1 and np-ct2 on docker0 (httpd :80),
   * np-front publishing 50000 on 0.0.0.0 and :: and np-back exposing 50000 on np-compose.
   */
  public static DockerSetup demoLab() {
    return new DockerSetup(
        List.of(DOCKER0, COMPOSE),
        List.of(
            container("np-back", Map.of("np-compose", "192.168.1.3"), Set.of(Port.tcp(50000))),
            container("np-ct1", Map.of("bridge", "172.17.0.2"), Set.of(Port.tcp(80))),
            container("np-ct2", Map.of("bridge", "172.17.0.3"), Set.of(Port.tcp(80))),
            container(
                "np-front",
                Map.of("np-compose", "192.168.1.2"),
                Set.of(Port.tcp(50000)),
                new Publication(Port.tcp(50000), "0.0.0.0", 50000),
                new Publication(Port.tcp(50000), "::", 50000))),
        Set.of(50000, 2024));
  }

  public static Container container(
      String name, Map<String, String> addresses, Set<Port> exposed, Publication... published) {
    return new Container(
        name,
        "np-busybox:lab",
        Map.of(),
        new LinkedHashMap<>(addresses),
        exposed,
        List.of(published),
        addresses.isEmpty() ? "none" : addresses.keySet().iterator().next());
  }

  /** A container of a compose project. */
  public static Container service(
      String project, String service, Map<String, String> addresses, Set<Port> exposed) {
    return new Container(
        project + "-" + service + "-1",
        "shop/" + service,
        Map.of(Container.COMPOSE_PROJECT, project, Container.COMPOSE_SERVICE, service),
        new LinkedHashMap<>(addresses),
        exposed,
        List.of(),
        project + "_default");
  }
}
