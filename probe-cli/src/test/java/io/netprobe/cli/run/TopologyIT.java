package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.Topology;
import java.io.PrintWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topology the agents find, in a lab of its own (a client, a router whose far side is a Linux
 * bridge, with a masquerade and a port forward, and a server) and on the demo lab, whose drawing
 * must be the README's: every network of it, its routers, and the compose network told apart from
 * Net1 although both are 192.168.1.0/24.
 */
class TopologyIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.246.0.0/16 metric 4246
      for ns in np-tp-a np-tp-r np-tp-b; do ip netns add $ns; ip -n $ns link set lo up; done
      ip -n np-tp-a link add eth0 type veth peer name eth0 netns np-tp-r
      ip -n np-tp-b link add eth0 type veth peer name eth1 netns np-tp-r
      ip -n np-tp-r link add br0 type bridge
      ip -n np-tp-r link set eth1 master br0
      ip -n np-tp-a addr add 10.246.1.2/24 dev eth0
      ip -n np-tp-r addr add 10.246.1.1/24 dev eth0
      ip -n np-tp-r addr add 10.246.2.1/24 dev br0
      ip -n np-tp-b addr add 10.246.2.2/24 dev eth0
      for l in "np-tp-a eth0" "np-tp-r eth0" "np-tp-r eth1" "np-tp-r br0" "np-tp-b eth0"; do
        set -- $l; ip -n $1 link set $2 up
      done
      ip -n np-tp-a route add default via 10.246.1.1
      ip -n np-tp-b route add default via 10.246.2.1
      ip netns exec np-tp-r sysctl -qw net.ipv4.ip_forward=1
      ip netns exec np-tp-r iptables -t nat -A POSTROUTING -o br0 -j MASQUERADE
      ip netns exec np-tp-r iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 8080 \\
        -j DNAT --to-destination 10.246.2.2:80
      """;
  private static final String TEARDOWN =
      """
      for ns in np-tp-a np-tp-r np-tp-b; do ip netns del $ns 2>/dev/null; done
      ip route del unreachable 10.246.0.0/16 metric 4246 2>/dev/null
      exit 0
      """;
  private static final String MATRIX =
      """
      name: topology lab
      nodes:
        a: { kind: netns, netns: np-tp-a, addresses: { lan: 10.246.1.2 } }
        r: { kind: netns, netns: np-tp-r }
        b: { kind: netns, netns: np-tp-b, addresses: { lan: 10.246.2.2 } }
        web: { kind: address, addresses: { forwarded: 10.246.1.1 } }
      checks:
        - { from: a, to: b, probe: icmp, expect: pass }
      """;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
  }

  @AfterAll
  static void down() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  private static Topology read(String yaml) throws Exception {
    Matrix m = MatrixLoader.load(yaml, "topology.yaml");
    return MatrixRun.topology(m, false, RunListener.NONE);
  }

  @Test
  void theRouterJoinsBothNetworksWithItsBridgeAndTranslationsOnTheirLinks() throws Exception {
    Topology t = read(MATRIX);
    assertThat(t.networks())
        .extracting(Topology.Network::id, Topology.Network::label)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.246.1.0/24", ""),
            org.assertj.core.groups.Tuple.tuple("10.246.2.0/24", "bridge br0 on r"));
    assertThat(t.hosts())
        .extracting(Topology.Host::name, Topology.Host::role, Topology.Host::read)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", "host", true),
            org.assertj.core.groups.Tuple.tuple("r", "router", true),
            org.assertj.core.groups.Tuple.tuple("b", "host", true),
            org.assertj.core.groups.Tuple.tuple("web", "outside", false));
    assertThat(t.links())
        .contains(
            new Topology.Link(
                "r",
                "10.246.1.0/24",
                "eth0",
                "10.246.1.1",
                List.of("DNAT tcp/8080 -> 10.246.2.2:80")),
            new Topology.Link(
                "r", "10.246.2.0/24", "br0", "10.246.2.1", List.of("NAT (masquerade)")),
            new Topology.Link("web", "10.246.1.0/24", null, "10.246.1.1", List.of()));
  }

  @Test
  void aRouterThatStopsForwardingIsDrawnAsAHost() throws Exception {
    try {
      LabFixture.sh("ip", "netns", "exec", "np-tp-r", "sysctl", "-qw", "net.ipv4.ip_forward=0");
      Topology t = read(MATRIX);
      assertThat(
              t.hosts().stream().filter(h -> h.name().equals("r")).findFirst().orElseThrow().role())
          .isEqualTo("host");
    } finally {
      LabFixture.sh("ip", "netns", "exec", "np-tp-r", "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }
  }

  @Test
  void theDemoLabIsTheReadmesPicture() throws Exception {
    new DemoLab(new PrintWriter(System.err, true)).up();
    Topology t =
        read(java.nio.file.Files.readString(java.nio.file.Path.of("../matrices/labs/demo.yaml")));
    assertThat(t.networks())
        .extracting(Topology.Network::cidr)
        .contains(
            "10.1.0.0/16",
            "203.0.113.0/24",
            "192.168.37.0/24",
            "10.0.2.0/24",
            "192.168.56.0/24",
            "10.0.0.0/24",
            "192.168.2.0/24",
            "172.17.0.0/16",
            "10.7.0.0/24",
            "10.8.0.0/24",
            "10.244.0.0/24",
            "10.244.1.0/24");
    assertThat(t.networks().stream().filter(n -> n.cidr().equals("10.1.0.0/16")))
        .extracting(Topology.Network::label)
        .containsExactly("also fd00:1::/64"); // the campus LAN is dual stack
    assertThat(t.networks().stream().filter(n -> n.cidr().equals("192.168.1.0/24")))
        .extracting(Topology.Network::label)
        .containsExactlyInAnyOrder("", "Docker network np-compose; also fd00:192:168:1::/64");
    assertThat(t.networks().stream().filter(n -> n.cidr().equals("10.0.0.0/24")))
        .extracting(Topology.Network::label)
        .containsExactly("also fd00:10::/64"); // so is the OpenStack project network
    assertThat(t.hosts().stream().filter(h -> h.role().equals("router")).map(Topology.Host::name))
        .contains("gw", "vbox", "os-rt", "rt1", "rt2", "vrt");
    assertThat(t.links())
        .anySatisfy(
            l -> {
              assertThat(l.host()).isEqualTo("vbox");
              assertThat(l.labels()).contains("DNAT tcp/1234 -> 10.0.2.15:22");
            });
    assertThat(
            t.hosts().stream()
                .filter(h -> h.name().equals("os-rt"))
                .findFirst()
                .orElseThrow()
                .notes())
        .contains("DNAT 192.168.37.163 -> 10.0.0.109");
  }
}
