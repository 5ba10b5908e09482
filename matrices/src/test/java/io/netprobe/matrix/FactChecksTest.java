package io.netprobe.matrix;

import static io.netprobe.matrix.Yamls.load;
import static io.netprobe.matrix.Yamls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Fact.DnsFact;
import io.netprobe.matrix.Fact.ListeningFact;
import io.netprobe.matrix.Fact.NatFact;
import io.netprobe.matrix.Fact.RouteFact;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code facts:}: each kind read from its words, graded like a check, bad ones named by line. */
class FactChecksTest {

  private static String withFacts(String... lines) {
    return Yamls.BASE + "facts:\n" + String.join("\n", lines) + "\n";
  }

  @Test
  void everyKindOfFactReadsAndNamesItsCheck() throws MatrixException {
    Matrix m =
        load(
            withFacts(
                "  - { node: vm, address: 10.0.2.15/24 on eth0 }",
                "  - { node: vm, route: 192.168.2.0/24 via 192.168.1.253, title: vm route to Net2,"
                    + " expect: fail, points: 2 }",
                "  - { node: vm, route: default via 10.0.2.2 dev eth0 }",
                "  - { node: vm, listening: tcp/50000 on 0.0.0.0 }",
                "  - { node: pc, forwarding: true }",
                "  - { node: pc, nat: tcp/1234 -> 10.0.2.15:22 }",
                "  - { node: pc, nat: 192.168.37.163 to 10.0.0.109 }",
                "  - { node: pc, nat: masquerade out eth1 }",
                "  - { node: ct1, dns: www.example.net -> 203.0.113.10 }"));
    assertThat(m.facts())
        .extracting(FactCheck::id)
        .containsExactly(
            "vm address 10.0.2.15/24 on eth0",
            "vm route 192.168.2.0/24 via 192.168.1.253",
            "vm route default via 10.0.2.2 dev eth0",
            "vm listening tcp/50000 on 0.0.0.0",
            "pc forwarding on",
            "pc nat tcp/1234 -> 10.0.2.15:22",
            "pc nat 192.168.37.163 -> 10.0.0.109",
            "pc nat masquerade out eth1",
            "ct1 dns www.example.net -> 203.0.113.10");
    FactCheck route = m.facts().get(1);
    assertThat(route.fact()).isEqualTo(new RouteFact("192.168.2.0", 24, "192.168.1.253", null));
    assertThat(route.expect()).isEqualTo(Expectation.FAIL);
    assertThat(route.points()).isEqualTo(2);
    assertThat(route.displayTitle()).isEqualTo("vm route to Net2");
    assertThat(route.source().line()).isEqualTo(19);
    assertThat(m.facts().get(3).fact()).isEqualTo(new ListeningFact("tcp", 50000, "0.0.0.0"));
    assertThat(m.facts().get(5).fact())
        .isEqualTo(new NatFact(false, "tcp", null, 1234, "10.0.2.15", 22, null));
    assertThat(m.facts().get(8).fact()).isEqualTo(new DnsFact("www.example.net", "203.0.113.10"));
    assertThat(m.totalPoints()).isEqualTo(4 + 10);
  }

  @Test
  void aMatrixOfFactsAloneLoads() throws MatrixException {
    String yaml =
        "name: facts only\nnodes:\n  pc: { kind: local }\nfacts:\n"
            + "  - { node: pc, forwarding: false }\n";
    assertThat(load(yaml).facts()).hasSize(1);
    assertThat(load(yaml).checks()).isEmpty();
  }

  @Test
  void badFactsAreNamedByLineFieldAndWhatIsValid() {
    List<String> problems =
        problems(
            withFacts(
                "  - { node: vm, route: 192.168.2.1/24 via 192.168.1.253 }",
                "  - { node: vm, listening: tcp50000 }",
                "  - { node: internet, forwarding: true }",
                "  - { node: vn, address: 10.0.2.15 }",
                "  - { node: vm, address: 10.0.2.15, route: default via 10.0.2.2 }",
                "  - { node: vm, forwarding: maybe }",
                "  - { node: vm, dns: www.example.net, expect: reached }",
                "  - { node: vm, route: 192.168.2.0/24 via gateway }"));
    assertThat(problems)
        .containsExactly(
            "labs/t.yaml:18:24: field 'route' of a fact check: '192.168.2.1/24' is not a network:"
                + " write 192.168.2.0/24; write route: NETWORK/LEN [via GATEWAY] [dev IFACE], e.g."
                + " 192.168.2.0/24 via 192.168.1.253, fd00:10::/64 via fd00:1::a, or default via"
                + " 10.0.2.2",
            "labs/t.yaml:19:28: field 'listening' of a fact check: 'tcp50000' is not a listening"
                + " fact; write listening: tcp/PORT [on ADDRESS], e.g. tcp/50000 on 0.0.0.0, or"
                + " udp/53",
            "labs/t.yaml:20:13: node 'internet' is of kind address, which has no agent to read"
                + " its configuration; state facts of a node of kind local, netns, ssh or docker",
            "labs/t.yaml:21:13: unknown node 'vn' in node; did you mean 'vm'?; nodes are: pc, vm,"
                + " ct1, internet",
            "labs/t.yaml:22:5: a fact check states one fact, not address and route: one of"
                + " address, forwarding, route, listening, nat, dns, e.g. { node: calc, route:"
                + " 192.168.2.0/24 via 192.168.1.253 }",
            "labs/t.yaml:23:29: field 'forwarding' of a fact check: 'maybe' is not a forwarding"
                + " fact; write forwarding: true or false",
            "labs/t.yaml:24:47: field 'expect' of a fact check: unknown expectation 'reached' for"
                + " a fact check; write pass (the node has it) or fail (it lacks it)",
            "labs/t.yaml:25:24: field 'route' of a fact check: 'gateway' is not an IPv4 address;"
                + " write route: NETWORK/LEN [via GATEWAY] [dev IFACE], e.g. 192.168.2.0/24 via"
                + " 192.168.1.253, fd00:10::/64 via fd00:1::a, or default via 10.0.2.2");
  }

  @Test
  void ipv6FactsReadCompressedAndTheirMistakesAreNamed() throws MatrixException {
    Matrix m =
        load(
            withFacts(
                "  - { node: vm, address: \"fd00:1:0:0::5b/64 on eth0\" }",
                "  - { node: vm, route: \"fd00:10::/64 via fd00:1::a\" }",
                "  - { node: vm, route: \"default via fd00:1::fe\" }",
                "  - { node: vm, listening: \"tcp/22 on ::\" }"));
    assertThat(m.facts())
        .extracting(FactCheck::id)
        .containsExactly(
            "vm address fd00:1::5b/64 on eth0",
            "vm route fd00:10::/64 via fd00:1::a",
            "vm route default via fd00:1::fe",
            "vm listening tcp/22 on ::");
    assertThat(m.facts().get(2).fact()).isEqualTo(new RouteFact("::", 0, "fd00:1::fe", null));
    assertThat(((RouteFact) m.facts().get(2).fact()).ipv6()).isTrue();
    assertThat(Fact.networkOf("fd00:10::6d", 64)).isEqualTo("fd00:10::");
    assertThat(Fact.networkOf("fd00:10:ff::6d", 40)).isEqualTo("fd00:10::");
    assertThat(
            problems(
                withFacts(
                    "  - { node: vm, route: \"fd00:10::6d/64 via fd00:1::a\" }",
                    "  - { node: vm, route: \"fd00:10::/64 via 10.0.2.2\" }",
                    "  - { node: vm, address: \"fd00:1::5b/129\" }")))
        .satisfiesExactly(
            p -> assertThat(p).contains("'fd00:10::6d/64' is not a network: write fd00:10::/64"),
            p -> assertThat(p).contains("gateway 10.0.2.2 is not of fd00:10::/64's family"),
            p -> assertThat(p).contains("bad prefix length '/129': 0..128"));
  }

  @Test
  void aFactCheckStatedTwiceIsRefused() {
    assertThat(
            problems(
                withFacts(
                    "  - { node: pc, forwarding: true }", "  - { node: pc, forwarding: 'on' }")))
        .containsExactly(
            "labs/t.yaml:19:5: duplicate fact check 'pc forwarding on' (first at line 18); remove"
                + " one");
  }
}
