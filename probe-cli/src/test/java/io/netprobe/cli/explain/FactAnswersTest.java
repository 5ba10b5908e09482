package io.netprobe.cli.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.rules.Chain;
import io.netprobe.agent.rules.Rule;
import io.netprobe.agent.rules.RuleSet;
import io.netprobe.agent.rules.RulesSnapshot;
import io.netprobe.agent.rules.Table;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Fact;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of fact decided from a node's facts as its agent reads them. */
class FactAnswersTest {
  private static final Facts NODE =
      new Facts(
          "rt",
          List.of(
              new Facts.Interface(
                  "lo", 1, 65536, true, "00:00:00:00:00:00", List.of("127.0.0.1/8")),
              new Facts.Interface(
                  "eth0", 2, 1500, true, "02:00:00:00:00:01", List.of("10.0.2.15/24")),
              new Facts.Interface(
                  "eth1", 3, 1500, false, "02:00:00:00:00:02", List.of("10.9.0.1/24"))),
          List.of(
              new Facts.Route("0.0.0.0/0", "10.0.2.2", "eth0", 0, "unicast"),
              new Facts.Route("10.0.2.0/24", null, "eth0", 0, "unicast")),
          List.of(),
          List.of(
              new Facts.Listener("tcp", "::", 22),
              new Facts.Listener("tcp", "127.0.0.1", 8080),
              new Facts.Listener("udp", "10.0.2.15", 53)),
          false,
          List.of());

  private static final RulesSnapshot RULES =
      new RulesSnapshot(
          List.of(
              new RuleSet(
                  RuleSet.NFT,
                  List.of(
                      new Table(
                          "nat",
                          List.of(
                              new Chain(
                                  "PREROUTING",
                                  "ACCEPT",
                                  0L,
                                  0L,
                                  List.of(
                                      new Rule(
                                          1,
                                          "-d 192.168.37.163/32 -j DNAT --to-destination 10.0.0.109",
                                          "DNAT",
                                          0,
                                          0))),
                              new Chain(
                                  "POSTROUTING",
                                  "ACCEPT",
                                  0L,
                                  0L,
                                  List.of(
                                      new Rule(
                                          1, "-o eth1 -j MASQUERADE", "MASQUERADE", 0, 0)))))))),
          List.of(),
          1);

  private static Verdict answer(String kind, String text) {
    Fact fact = parse(kind, text);
    Facts.RouteChoice choice =
        new Facts.RouteChoice("192.168.2.0", NODE.routes().get(0), "10.0.2.15", null);
    return FactAnswers.answer(
        "rt", fact, new FactAnswers.Reading(NODE, Map.of("192.168.2.0", choice), RULES));
  }

  private static Fact parse(String kind, String text) {
    try {
      String yaml =
          "name: t\nnodes:\n  rt: { kind: local }\nfacts:\n  - { node: rt, "
              + kind
              + ": \""
              + text
              + "\" }\n";
      return io.netprobe.matrix.MatrixLoader.load(yaml, "t.yaml", Map.of()).facts().get(0).fact();
    } catch (io.netprobe.matrix.MatrixException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void addressesByPrefixInterfaceAndLink() {
    assertThat(answer("address", "10.0.2.15/24 on eth0").disposition())
        .isEqualTo(Disposition.HOLDS);
    assertThat(answer("address", "10.0.2.15/16").reason())
        .isEqualTo("rt has 10.0.2.15/24 on eth0: its prefix is /24, not /16");
    assertThat(answer("address", "10.0.2.15 on eth1").reason())
        .isEqualTo("rt has 10.0.2.15/24 on eth0, not on eth1");
    assertThat(answer("address", "10.9.0.1").reason())
        .isEqualTo("rt has 10.9.0.1/24 on eth1, but eth1 is down");
    assertThat(answer("address", "10.0.2.16").disposition()).isEqualTo(Disposition.DIFFERS);
  }

  @Test
  void aRouteTakenByTheDefaultRouteIsNotTheRouteStated() {
    assertThat(answer("route", "default via 10.0.2.2").reason())
        .isEqualTo("rt's default route is via 10.0.2.2 dev eth0");
    assertThat(answer("route", "192.168.2.0/24 via 192.168.1.253").reason())
        .isEqualTo(
            "rt has no route 192.168.2.0/24 via 192.168.1.253: it sends 192.168.2.0/24 by its"
                + " default route (default via 10.0.2.2 dev eth0)");
    assertThat(answer("route", "192.168.2.0/24").reason())
        .startsWith("rt has no route of its own to 192.168.2.0/24");
  }

  @Test
  void listeningOnTheWildcardOfEitherFamilyTakesAnyAddress() {
    assertThat(answer("listening", "tcp/22 on 0.0.0.0").disposition()).isEqualTo(Disposition.HOLDS);
    assertThat(answer("listening", "tcp/8080").disposition()).isEqualTo(Disposition.HOLDS);
    assertThat(answer("listening", "tcp/8080 on 0.0.0.0").reason())
        .isEqualTo("rt listens on tcp/8080 only on 127.0.0.1, not on 0.0.0.0");
    assertThat(answer("listening", "udp/53 on 10.0.2.15").disposition())
        .isEqualTo(Disposition.HOLDS);
    assertThat(answer("listening", "udp/22").reason()).isEqualTo("nothing listens on udp/22 on rt");
  }

  @Test
  void ipv6AddressesRoutesAndSocketsAreDecidedToo() {
    Facts six =
        new Facts(
            "vm",
            List.of(
                new Facts.Interface(
                    "eth0",
                    2,
                    1500,
                    true,
                    "02:00:00:00:00:01",
                    List.of("10.1.5.91/16", "fd00:1::5b/64", "fe80::1/64"))),
            List.of(
                new Facts.Route("::/0", "fd00:1::fe", "eth0", 1024, "unicast"),
                new Facts.Route("fd00:1::/64", null, "eth0", 256, "unicast"),
                new Facts.Route("0.0.0.0/0", "10.1.0.254", "eth0", 0, "unicast")),
            List.of(),
            List.of(new Facts.Listener("tcp", "::", 22)),
            false,
            List.of());
    Facts.RouteChoice toProject =
        new Facts.RouteChoice("fd00:10::", six.routes().get(0), "fd00:1::5b", null);
    var reading = new FactAnswers.Reading(six, Map.of("fd00:10::", toProject), RULES);
    assertThat(
            FactAnswers.answer("vm", parse("address", "fd00:1::5b/64 on eth0"), reading).reason())
        .isEqualTo("vm has fd00:1::5b/64 on eth0");
    assertThat(FactAnswers.answer("vm", parse("route", "default via fd00:1::fe"), reading).reason())
        .as("the IPv6 default route, not the IPv4 one")
        .isEqualTo("vm's default route is via fd00:1::fe dev eth0");
    Verdict project =
        FactAnswers.answer("vm", parse("route", "fd00:10::/64 via fd00:1::a"), reading);
    assertThat(project.reason())
        .isEqualTo(
            "vm has no route fd00:10::/64 via fd00:1::a: it sends fd00:10::/64 by its default route"
                + " (default via fd00:1::fe dev eth0)");
    assertThat(project.hint()).contains("ip -6 route replace fd00:10::/64 via fd00:1::a");
    assertThat(FactAnswers.answer("vm", parse("listening", "tcp/22 on ::"), reading).disposition())
        .isEqualTo(Disposition.HOLDS);
  }

  @Test
  void forwardingAndNatRules() {
    assertThat(answer("forwarding", "true").reason())
        .isEqualTo("rt does not forward packets (net.ipv4.ip_forward = 0)");
    assertThat(answer("forwarding", "false").disposition()).isEqualTo(Disposition.HOLDS);
    assertThat(answer("nat", "192.168.37.163 -> 10.0.0.109").disposition())
        .isEqualTo(Disposition.HOLDS);
    assertThat(answer("nat", "masquerade out eth1").disposition()).isEqualTo(Disposition.HOLDS);
    assertThat(answer("nat", "masquerade out eth0").disposition()).isEqualTo(Disposition.DIFFERS);
    assertThat(answer("nat", "tcp/1234 -> 10.0.2.15:22").reason())
        .isEqualTo("rt's nat table has no DNAT tcp/1234 -> 10.0.2.15:22");
  }
}
