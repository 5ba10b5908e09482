package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPv6 in a lab of its own (ULA fd00:247::/32): a client {@code np-s6-a}, a router {@code np-s6-r}
 * and a server {@code np-s6-b} with a service on tcp/8080. Each disposition is made by breaking the
 * lab that way (a firewall drop at the target, an admin-prohibited reject, a drop on the router, a
 * route removed) and explained from the packets of both ends, as for IPv4.
 */
class Ipv6IT {
  private static final String SETUP =
      """
      set -e
      ip -6 route add unreachable fd00:247::/32 metric 4247
      for ns in np-s6-a np-s6-r np-s6-b; do
        ip netns add $ns; ip -n $ns link set lo up
        # no duplicate address detection, link-local addresses included: an address still
        # tentative when the first check runs would delay neighbour discovery past its timeout
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647" \
          net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
      done
      ip -n np-s6-a link add eth0 type veth peer name eth0 netns np-s6-r
      ip -n np-s6-b link add eth0 type veth peer name eth1 netns np-s6-r
      ip -n np-s6-a addr add fd00:247:1::2/64 dev eth0 nodad
      ip -n np-s6-r addr add fd00:247:1::1/64 dev eth0 nodad
      ip -n np-s6-r addr add fd00:247:2::1/64 dev eth1 nodad
      ip -n np-s6-b addr add fd00:247:2::2/64 dev eth0 nodad
      ip -n np-s6-a link set eth0 up; ip -n np-s6-r link set eth0 up
      ip -n np-s6-r link set eth1 up; ip -n np-s6-b link set eth0 up
      ip -n np-s6-a -6 route add fd00:247:2::/64 via fd00:247:1::1
      ip -n np-s6-b -6 route add default via fd00:247:2::1
      ip netns exec np-s6-r sysctl -qw net.ipv6.conf.all.forwarding=1
      """;
  private static final String TEARDOWN =
      """
      for ns in np-s6-a np-s6-r np-s6-b; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip -6 route del unreachable fd00:247::/32 metric 4247 2>/dev/null
      exit 0
      """;
  private static final String MATRIX =
      """
      name: ipv6 lab
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        a: { kind: netns, netns: np-s6-a, addresses: { lan: "fd00:247:1::2" } }
        r: { kind: netns, netns: np-s6-r, addresses: { a-side: "fd00:247:1::1" } }
        b: { kind: netns, netns: np-s6-b, addresses: { lan: "fd00:247:2::2" } }
      watch: [r]
      checks:
        - { from: a, to: b, probe: icmp, expect: pass }
        - { from: a, to: b, probe: "tcp:8080", expect: pass }
        - { from: a, to: b, probe: "tcp:8081", expect: refused }
        - { from: a, to: "[fd00:247:2::2]:8080", probe: "tcp:8080", expect: pass }
        - { from: a, to: r, probe: icmp, expect: pass }
      """;

  private static Process service;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
    service =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                "np-s6-b",
                "socat",
                "TCP6-LISTEN:8080,reuseaddr,fork",
                "SYSTEM:true")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    for (int i = 0; i < 100; i++) {
      Process ss =
          new ProcessBuilder("ip", "netns", "exec", "np-s6-b", "ss", "-Hltn", "sport = :8080")
              .redirectErrorStream(true)
              .start();
      String out = new String(ss.getInputStream().readAllBytes());
      ss.waitFor();
      if (out.contains(":8080")) {
        // one run first, its result unread: in CI the first run after the lab's set-up lost a
        // SYN now and then (neighbour discovery on a fresh router under load); the tests are
        // about what a broken lab does, not a lab still settling
        LabRun.run(MATRIX);
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("socat did not listen on tcp/8080 in np-s6-b");
  }

  @AfterAll
  static void down() throws Exception {
    if (service != null) {
      service.descendants().forEach(ProcessHandle::destroy);
      service.destroy();
    }
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  @AfterEach
  void noFirewall() throws Exception {
    for (String ns : new String[] {"np-s6-b", "np-s6-r"}) {
      LabFixture.sh("ip", "netns", "exec", ns, "ip6tables", "-F");
    }
  }

  @Test
  void thePathsWorkOverIpv6AndARefusalIsTheTargets() throws Exception {
    RunResult run = LabRun.run(MATRIX);
    assertThat(run.checks())
        .allSatisfy(
            c ->
                assertThat(c.outcome())
                    .as(c.id() + ": " + said(c))
                    .isEqualTo(io.netprobe.report.model.Outcome.OK));
    assertThat(cell(run, "a->b icmp").address()).isEqualTo("fd00:247:2::2");
    assertThat(said(cell(run, "a->b icmp")))
        .contains("echo reply 1 from fd00:247:2::2")
        .contains("sent from fd00:247:1::2 to fd00:247:2::2");
    assertThat(said(cell(run, "a->b tcp:8081")))
        .contains("SYN sent from [fd00:247:1::2]:")
        .contains("b capture:");
  }

  @Test
  void aDropAtTheTargetIsSeenArriving() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-b",
        "ip6tables",
        "-A",
        "INPUT",
        "-p",
        "ipv6-icmp",
        "--icmpv6-type",
        "echo-request",
        "-j",
        "DROP");
    RunResult run = LabRun.run(MATRIX);
    var ping = cell(run, "a->b icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
    assertThat(said(ping)).contains("b capture: ").contains("in fd00:247:1::2 > fd00:247:2::2");
  }

  @Test
  void anAdminProhibitedRejectIsUnreachable() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-b",
        "ip6tables",
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--dport",
        "8080",
        "-j",
        "REJECT",
        "--reject-with",
        "adm-prohibited");
    RunResult run = LabRun.run(MATRIX);
    var tcp = cell(run, "a->b tcp:8080");
    assertThat(tcp.verdict().disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(tcp.verdict().reason()).contains("administratively prohibited");
  }

  @Test
  void aDropOnTheRouterIsLostOnTheWay() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-r",
        "ip6tables",
        "-A",
        "FORWARD",
        "-d",
        "fd00:247:2::2",
        "-j",
        "DROP");
    RunResult run = LabRun.run(MATRIX);
    var ping = cell(run, "a->b icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(said(ping)).contains("b capture: no packet of this check arrived");
    assertThat(cell(run, "a->r icmp").outcome()).isEqualTo(io.netprobe.report.model.Outcome.OK);
  }

  @Test
  void anAddressNobodyHasOnTheLanIsUnansweredNeighbourDiscovery() throws Exception {
    RunResult run =
        LabRun.run(MATRIX + "  - { from: a, to: \"fd00:247:1::99\", probe: icmp, expect: fail }\n");
    var ping = cell(run, "a->fd00:247:1::99 icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(ping.verdict().reason())
        .isEqualTo(
            "no host on a's LAN answers neighbour discovery for fd00:247:1::99: it is down or the"
                + " address is unused");
    assertThat(said(ping)).contains("a neighbours: NDP: fd00:247:1::99 (on eth0) did not answer");
  }

  @Test
  void aRouteRemovedIsNoRoute() throws Exception {
    try {
      LabFixture.sh("ip", "-n", "np-s6-a", "-6", "route", "del", "fd00:247:2::/64");
      RunResult run = LabRun.run(MATRIX);
      var ping = cell(run, "a->b icmp");
      assertThat(ping.verdict().disposition()).isEqualTo(Disposition.NO_ROUTE);
      assertThat(ping.verdict().reason()).contains("fd00:247:2::2");
    } finally {
      LabFixture.sh(
          "ip",
          "-n",
          "np-s6-a",
          "-6",
          "route",
          "replace",
          "fd00:247:2::/64",
          "via",
          "fd00:247:1::1");
    }
  }
}
