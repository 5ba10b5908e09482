package io.netprobe.cli.discover;

import static io.netprobe.cli.discover.DiscoverSamples.COMPOSE;
import static io.netprobe.cli.discover.DiscoverSamples.DOCKER0;
import static io.netprobe.cli.discover.DiscoverSamples.container;
import static io.netprobe.cli.discover.DiscoverSamples.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.cli.discover.DockerSetup.Port;
import io.netprobe.cli.discover.DockerSetup.Publication;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.PathKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoverRulesTest {
  private static final Expectation DROPPED = new Expectation.Exactly(Disposition.DROPPED_ON_PATH);

  private static MatrixPlan plan(DockerSetup setup) {
    return DockerRules.plan(setup, Optional.empty(), "t", "");
  }

  private static MatrixPlan.Check check(MatrixPlan plan, String id) {
    return plan.check(id)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no check "
                        + id
                        + "; checks: "
                        + plan.checks().stream().map(c -> c.id()).toList()));
  }

  private static MatrixPlan.Node node(MatrixPlan plan, String name) {
    return plan.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void containersOfOneNetworkReachEachOtherOnIcmpAndEveryExposedPort() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    for (String probe : List.of("icmp", "tcp:50000")) {
      MatrixPlan.Check c = check(plan, "np-front->np-back.np-compose " + probe);
      assertThat(c.expect()).isEqualTo(Expectation.PASS);
      assertThat(c.rule()).startsWith("same network np-compose: containers of one network reach");
      assertThat(check(plan, "np-back->np-front.np-compose " + probe).expect())
          .isEqualTo(Expectation.PASS);
    }
    assertThat(check(plan, "np-ct1->np-ct2.docker0 tcp:80").rule())
        .startsWith("same network bridge (docker0):");
  }

  @Test
  void docker0AndAUserDefinedBridgeAreIsolatedBothWays() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    MatrixPlan.Check c = check(plan, "np-ct1->np-front.np-compose tcp:50000");
    assertThat(c.expect()).as("Docker's isolation drops it silently").isEqualTo(DROPPED);
    assertThat(c.rule())
        .isEqualTo(
            "isolation bridge (docker0) -> np-compose: Docker drops traffic between two bridge"
                + " networks (DOCKER-ISOLATION)");
    assertThat(check(plan, "np-ct1->np-front.np-compose icmp").expect()).isEqualTo(DROPPED);
    assertThat(check(plan, "np-back->np-ct2.docker0 tcp:80").expect()).isEqualTo(DROPPED);
  }

  @Test
  void twoUserDefinedBridgesAreIsolatedAndASharedNetworkIsNot() {
    Network shop = Network.bridge("shop", "10.5.0.0/24");
    Map<String, String> both = Map.of("np-compose", "192.168.1.9", "shop", "10.5.0.9");
    DockerSetup setup =
        new DockerSetup(
            List.of(COMPOSE, shop),
            List.of(
                container("a", Map.of("np-compose", "192.168.1.2"), Set.of()),
                container("b", Map.of("shop", "10.5.0.2"), Set.of()),
                container("gw", both, Set.of())),
            Set.of());
    MatrixPlan plan = plan(setup);
    assertThat(check(plan, "a->b.shop icmp").expect()).isEqualTo(DROPPED);
    assertThat(check(plan, "b->a.np-compose icmp").expect()).isEqualTo(DROPPED);
    assertThat(check(plan, "a->gw.np-compose icmp").expect()).isEqualTo(Expectation.PASS);
    assertThat(check(plan, "b->gw.shop icmp").expect()).isEqualTo(Expectation.PASS);
    assertThat(plan.check("a->gw.shop icmp"))
        .as("a and gw share a network: the other address of gw is not an isolation rule")
        .isEmpty();
    assertThat(node(plan, "gw").defaultAddress()).isEqualTo("np-compose");
  }

  @Test
  void theHostReachesEveryContainerOnItsBridges() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    assertThat(check(plan, "local->np-ct1.docker0 icmp").expect()).isEqualTo(Expectation.PASS);
    assertThat(check(plan, "local->np-back.np-compose tcp:50000").rule())
        .startsWith("Docker host -> np-compose: the host is the bridge's gateway");
  }

  @Test
  void aPortPublishedOnEveryAddressIsCheckedFromTheHostAtLoopbackOnce() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    MatrixPlan.Check c = check(plan, "local->np-front.published tcp:50000");
    assertThat(c.expect()).isEqualTo(Expectation.PASS);
    assertThat(c.rule())
        .isEqualTo(
            "published 0.0.0.0:50000 -> np-front tcp/50000: the host forwards its port to the"
                + " container (checked at 127.0.0.1)");
    List<MatrixPlan.Address> addresses = node(plan, "np-front").addresses();
    assertThat(addresses)
        .as("the [::]:50000 twin of 0.0.0.0:50000 is the same port")
        .extracting(MatrixPlan.Address::name)
        .containsExactly("np-compose", "published");
    MatrixPlan.Address published = addresses.get(1);
    assertThat(published.ip()).isEqualTo("127.0.0.1");
    assertThat(published.path()).isEqualTo(PathKind.PORT_FORWARD);
    assertThat(published.portMap()).isEqualTo(Map.of(50000, 50000));
    assertThat(published.from()).containsExactly("local");
  }

  @Test
  void aPortPublishedOnOneAddressIsCheckedThereWithItsHostPort() {
    DockerSetup setup =
        new DockerSetup(
            List.of(DOCKER0),
            List.of(
                container(
                    "web",
                    Map.of("bridge", "172.17.0.2"),
                    Set.of(),
                    new Publication(Port.tcp(80), "10.9.0.5", 8080),
                    new Publication(Port.tcp(80), "0.0.0.0", 8081))),
            Set.of());
    MatrixPlan plan = plan(setup);
    assertThat(check(plan, "local->web.published-10-9-0-5 tcp:80").rule())
        .startsWith("published 10.9.0.5:8080 -> web tcp/80");
    assertThat(check(plan, "local->web.published tcp:80").expect()).isEqualTo(Expectation.PASS);
    assertThat(node(plan, "web").addresses())
        .filteredOn(a -> a.name().startsWith("published"))
        .extracting(MatrixPlan.Address::ip, MatrixPlan.Address::portMap)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("10.9.0.5", Map.of(80, 8080)),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", Map.of(80, 8081)));
  }

  @Test
  void anExposedOnlyPortIsClosedOnTheHost() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    MatrixPlan.Check c = check(plan, "local->np-ct1.unpublished tcp:80");
    assertThat(c.expect()).isEqualTo(Expectation.FAIL);
    assertThat(c.rule())
        .isEqualTo(
            "exposed only: np-ct1 exposes tcp/80 but does not publish it: the host's own port 80"
                + " does not lead to it");
    assertThat(node(plan, "np-ct1").addresses())
        .filteredOn(a -> a.name().equals("unpublished"))
        .singleElement()
        .satisfies(a -> assertThat(a.ip()).isEqualTo("127.0.0.1"))
        .satisfies(a -> assertThat(a.from()).containsExactly("local"));
  }

  @Test
  void anExposedOnlyPortThatAnotherContainerPublishesIsNotedNotChecked() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    assertThat(plan.checks()).noneMatch(c -> c.to().equals("np-back.unpublished"));
    assertThat(plan.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .startsWith("np-back exposes tcp/50000 and does not publish it")
                    .contains("np-front's published port (0.0.0.0:50000)"));
  }

  @Test
  void anExposedOnlyPortThatAHostProcessHoldsIsNotedNotChecked() {
    DockerSetup setup =
        new DockerSetup(
            List.of(DOCKER0),
            List.of(container("ssh", Map.of("bridge", "172.17.0.2"), Set.of(Port.tcp(22)))),
            Set.of(22));
    MatrixPlan plan = plan(setup);
    assertThat(plan.check("local->ssh.unpublished tcp:22")).isEmpty();
    assertThat(plan.notes()).anyMatch(n -> n.contains("a process of this machine"));
  }

  @Test
  void noCheckLeavesTheMachineWithoutAnInternetTarget() {
    MatrixPlan plan = plan(DiscoverSamples.demoLab());
    assertThat(plan.checks()).noneMatch(c -> c.to().startsWith("internet"));
    assertThat(plan.nodes()).noneMatch(n -> n.name().equals("internet"));
  }

  @Test
  void anInternetTargetGivesEachContainerItsChecks() {
    MatrixPlan plan =
        DockerRules.plan(
            DiscoverSamples.demoLab(),
            Optional.of(DockerRules.Internet.parse("203.0.113.10:80")),
            "t",
            "");
    MatrixPlan.Check c = check(plan, "np-ct1->internet.target tcp:80");
    assertThat(c.expect()).isEqualTo(Expectation.PASS);
    assertThat(c.rule()).startsWith("internet (--internet-target): Docker masquerades");
    assertThat(check(plan, "np-back->internet.target icmp").expect()).isEqualTo(Expectation.PASS);
    assertThat(node(plan, "internet").addresses().get(0).ip()).isEqualTo("203.0.113.10");
  }

  @Test
  void anInternetTargetMustBeAnIpv4Address() {
    assertThat(DockerRules.Internet.parse("203.0.113.10").port()).isEmpty();
    for (String bad : List.of("example.com", "203.0.113.300", "203.0.113.10:0", "1.2.3.4:99999")) {
      assertThatThrownBy(() -> DockerRules.Internet.parse(bad))
          .as(bad)
          .hasMessageContaining("--internet-target " + bad);
    }
  }

  @Test
  void anInternalNetworkHasNoRouteOut() {
    Network vault = new Network("vault", "bridge", false, true, true, true, "10.6.0.0/24");
    DockerSetup setup =
        new DockerSetup(
            List.of(DOCKER0, vault),
            List.of(
                container("db", Map.of("vault", "10.6.0.2"), Set.of(Port.tcp(5432))),
                container("web", Map.of("bridge", "172.17.0.2"), Set.of())),
            Set.of());
    MatrixPlan plan =
        DockerRules.plan(setup, Optional.of(DockerRules.Internet.parse("203.0.113.10")), "t", "");
    assertThat(check(plan, "db->web.docker0 icmp").expect())
        .isEqualTo(new Expectation.Exactly(Disposition.NO_ROUTE));
    assertThat(check(plan, "web->db.vault tcp:5432").expect()).isEqualTo(DROPPED);
    assertThat(check(plan, "db->internet.target icmp").expect()).isEqualTo(Expectation.FAIL);
  }

  @Test
  void aNetworkWithInterContainerTrafficOffDropsBetweenItsContainers() {
    Network quiet = new Network("quiet", "bridge", false, false, false, true, "10.7.0.0/24");
    DockerSetup setup =
        new DockerSetup(
            List.of(quiet),
            List.of(
                container("a", Map.of("quiet", "10.7.0.2"), Set.of()),
                container("b", Map.of("quiet", "10.7.0.3"), Set.of())),
            Set.of());
    MatrixPlan.Check c = check(plan(setup), "a->b.quiet icmp");
    assertThat(c.expect()).isEqualTo(DROPPED);
    assertThat(c.rule()).contains("enable_icc=false");
  }

  @Test
  void containersWithoutAnAddressOfTheirOwnAreNotedNotChecked() {
    DockerSetup setup =
        new DockerSetup(
            List.of(DOCKER0),
            List.of(
                container("a", Map.of("bridge", "172.17.0.2"), Set.of()),
                new DockerSetup.Container(
                    "hosty", "", Map.of(), Map.of(), Set.of(Port.tcp(9)), List.of(), "host")),
            Set.of());
    MatrixPlan plan = plan(setup);
    assertThat(plan.checks())
        .noneMatch(c -> c.from().equals("hosty") || c.to().startsWith("hosty"));
    assertThat(plan.notes()).anyMatch(n -> n.startsWith("hosty: no checks") && n.contains("host"));
  }

  @Test
  void udpPortsAreNotedNotChecked() {
    DockerSetup setup =
        new DockerSetup(
            List.of(DOCKER0),
            List.of(container("dns", Map.of("bridge", "172.17.0.2"), Set.of(new Port(53, "udp")))),
            Set.of());
    MatrixPlan plan = plan(setup);
    assertThat(plan.checks()).noneMatch(c -> c.probe().contains("53"));
    assertThat(plan.notes()).anyMatch(n -> n.startsWith("dns: udp/53 not checked"));
  }

  @Test
  void composeServicesNameTheirNodesAndAClashFallsBackToTheContainerName() {
    Network net = Network.bridge("shop_default", "10.8.0.0/24");
    Network other = Network.bridge("blog_default", "10.9.0.0/24");
    DockerSetup setup =
        new DockerSetup(
            List.of(other, net),
            List.of(
                service("blog", "web", Map.of("blog_default", "10.9.0.2"), Set.of()),
                service("shop", "db", Map.of("shop_default", "10.8.0.3"), Set.of()),
                service("shop", "web", Map.of("shop_default", "10.8.0.2"), Set.of()),
                container("local", Map.of("shop_default", "10.8.0.4"), Set.of())),
            Set.of());
    MatrixPlan plan = plan(setup);
    assertThat(plan.nodes())
        .extracting(MatrixPlan.Node::name)
        .containsExactly("local", "blog-web-1", "db", "shop-web-1", "local-2");
    assertThat(node(plan, "db").container()).isEqualTo("shop-db-1");
    assertThat(node(plan, "db").description()).contains("compose project shop, service db");
    assertThat(check(plan, "shop-web-1->db.shop_default icmp").expect())
        .isEqualTo(Expectation.PASS);
  }
}
