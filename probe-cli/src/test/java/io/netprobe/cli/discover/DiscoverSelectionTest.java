package io.netprobe.cli.discover;

import static io.netprobe.cli.discover.DiscoverSamples.COMPOSE;
import static io.netprobe.cli.discover.DiscoverSamples.DOCKER0;
import static io.netprobe.cli.discover.DiscoverSamples.container;
import static io.netprobe.cli.discover.DiscoverSamples.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoverSelectionTest {
  private static List<String> names(DockerSetup setup) {
    return setup.containers().stream().map(DockerSetup.Container::name).toList();
  }

  @Test
  void noFilterKeepsEveryContainer() {
    assertThat(names(Selection.ALL.apply(DiscoverSamples.demoLab())))
        .containsExactly("np-back", "np-ct1", "np-ct2", "np-front");
    assertThat(Selection.ALL.describe()).isEqualTo("no filter");
  }

  @Test
  void aNamePrefixKeepsTheContainersWhoseNameStartsWithIt() {
    DockerSetup setup = new Selection(null, null, "np-ct").apply(DiscoverSamples.demoLab());
    assertThat(names(setup)).containsExactly("np-ct1", "np-ct2");
  }

  @Test
  void aNetworkFilterKeepsItsContainersOnItOnly() {
    DockerSetup two =
        new DockerSetup(
            List.of(DOCKER0, COMPOSE),
            List.of(
                container(
                    "gw", Map.of("bridge", "172.17.0.9", "np-compose", "192.168.1.9"), Set.of()),
                container("ct", Map.of("bridge", "172.17.0.2"), Set.of())),
            Set.of());
    DockerSetup setup = new Selection(null, List.of("np-compose"), null).apply(two);
    assertThat(names(setup)).containsExactly("gw");
    assertThat(setup.containers().get(0).addresses()).containsOnlyKeys("np-compose");
    assertThat(setup.networks())
        .extracting(DockerSetup.Network::name)
        .containsExactly("np-compose");
  }

  @Test
  void aProjectFilterKeepsThatComposeProject() {
    DockerSetup setup =
        new DockerSetup(
            List.of(COMPOSE),
            List.of(
                service("shop", "web", Map.of("np-compose", "192.168.1.2"), Set.of()),
                service("blog", "web", Map.of("np-compose", "192.168.1.3"), Set.of())),
            Set.of());
    assertThat(names(new Selection("shop", null, null).apply(setup))).containsExactly("shop-web-1");
  }

  @Test
  void thePortsOfContainersLeftOutStayTakenOnTheHost() {
    DockerSetup setup = new Selection(null, null, "np-back").apply(DiscoverSamples.demoLab());
    assertThat(setup.hostTcpPorts()).contains(50000);
  }

  @Test
  void noMatchIsABadInvocationThatNamesTheFiltersAndWhatRuns() {
    Selection s = new Selection("shop", List.of("np-compose"), "web");
    assertThatThrownBy(() -> s.apply(DiscoverSamples.demoLab()))
        .isInstanceOf(UserException.class)
        .satisfies(e -> assertThat(((UserException) e).exitCode()).isEqualTo(ExitCode.USAGE.code()))
        .hasMessageStartingWith(
            "no running container matched --project shop, --network np-compose, --name-prefix web;"
                + " running: np-back on np-compose, np-ct1 on bridge");
  }

  @Test
  void anUnknownNetworkIsABadInvocationThatListsTheNetworks() {
    assertThatThrownBy(
            () -> new Selection(null, List.of("nope"), null).apply(DiscoverSamples.demoLab()))
        .isInstanceOf(UserException.class)
        .hasMessage(
            "--network nope: the Docker engine has no such network; it has: bridge, np-compose");
  }
}
