package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which DNAT a flow took, walked from the nat rules whose counters grew (kube-proxy's shape). */
class RedirectsTest {
  private static RuleDiff.Delta nat(String chain, int index, String spec, String target) {
    return new RuleDiff.Delta("iptables", "nat", chain, index, spec, target, 1, 60);
  }

  private static final RuleDiff GROWN =
      new RuleDiff(
          List.of(
              nat(
                  "PREROUTING",
                  1,
                  "-m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
                  "KUBE-SERVICES"),
              nat(
                  "KUBE-SERVICES",
                  1,
                  "-d 10.96.0.100/32 -p tcp -m comment --comment \"default/hello cluster IP\" -m tcp --dport 5000 -j KUBE-SVC-HELLO",
                  "KUBE-SVC-HELLO"),
              nat(
                  "KUBE-SERVICES",
                  2,
                  "-d 10.96.0.102/32 -p tcp -m tcp --dport 5000 -j KUBE-SVC-BAD",
                  "KUBE-SVC-BAD"),
              nat(
                  "KUBE-SVC-HELLO",
                  1,
                  "-m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A",
                  "KUBE-SEP-A"),
              nat(
                  "KUBE-SEP-A",
                  2,
                  "-p tcp -m tcp -j DNAT --to-destination 10.244.1.2:5000",
                  "DNAT"),
              nat("KUBE-SVC-BAD", 1, "-j KUBE-SEP-B", "KUBE-SEP-B"),
              nat(
                  "KUBE-SEP-B",
                  2,
                  "-p tcp -m tcp -j DNAT --to-destination 10.244.1.2:5001",
                  "DNAT")));

  @Test
  void theWalkFollowsTheJumpsTheFlowMatchesToItsDnat() {
    Flow bad = new Flow("tcp", "10.244.0.2", "10.96.0.102", 40000, 5000, null, null, null);
    List<FlowMatch.Redirect> r = FlowMatch.redirects(bad, GROWN);
    assertThat(r)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.toAddress()).isEqualTo("10.244.1.2");
              assertThat(x.toPort()).isEqualTo(5001);
              assertThat(x.match()).isEqualTo(Match.YES);
            });
  }

  @Test
  void aStatisticChoiceIsOnlyMaybeAndAnotherServicesFlowTakesNone() {
    Flow hello = new Flow("tcp", "10.244.0.2", "10.96.0.100", 40001, 5000, null, null, null);
    assertThat(FlowMatch.redirects(hello, GROWN))
        .singleElement()
        .satisfies(x -> assertThat(x.match()).isEqualTo(Match.MAYBE));
    Flow other = new Flow("tcp", "10.244.0.2", "10.1.5.91", 40002, 22, null, null, null);
    assertThat(FlowMatch.redirects(other, GROWN)).isEmpty();
  }
}
