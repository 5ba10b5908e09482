package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks of configuration in a lab of their own: a client {@code np-fc-a} (10.247.1.2/24), a router
 * {@code np-fc-r} and a server {@code np-fc-b} (10.247.2.2/24) with a service on tcp/50000. Every
 * fact holds and every cell reaches; then each test breaks the lab one way (a route removed,
 * forwarding turned off, the service stopped, the server's address changed, the service bound to
 * 127.0.0.1) and sees the fact that states it fail from what the agent read, and the cells that
 * need it point at it, lowest layer first.
 */
class FactChecksIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.247.0.0/16 metric 4247
      for ns in np-fc-a np-fc-r np-fc-b; do ip netns add $ns; ip -n $ns link set lo up; done
      ip -n np-fc-a link add eth0 type veth peer name eth0 netns np-fc-r
      ip -n np-fc-b link add eth0 type veth peer name eth1 netns np-fc-r
      ip -n np-fc-a addr add 10.247.1.2/24 dev eth0
      ip -n np-fc-r addr add 10.247.1.1/24 dev eth0
      ip -n np-fc-r addr add 10.247.2.1/24 dev eth1
      ip -n np-fc-b addr add 10.247.2.2/24 dev eth0
      ip -n np-fc-a link set eth0 up
      ip -n np-fc-r link set eth0 up
      ip -n np-fc-r link set eth1 up
      ip -n np-fc-b link set eth0 up
      ip -n np-fc-a route add 10.247.2.0/24 via 10.247.1.1
      ip -n np-fc-b route add default via 10.247.2.1
      ip netns exec np-fc-r sysctl -qw net.ipv4.ip_forward=1
      for ns in np-fc-a np-fc-r np-fc-b; do
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
      done
      """;
  private static final String TEARDOWN =
      """
      for ns in np-fc-a np-fc-r np-fc-b; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.247.0.0/16 metric 4247 2>/dev/null
      exit 0
      """;
  private static final String MATRIX =
      """
      name: facts lab
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        a: { kind: netns, netns: np-fc-a, addresses: { lan: 10.247.1.2 } }
        r: { kind: netns, netns: np-fc-r, addresses: { a-side: 10.247.1.1, b-side: 10.247.2.1 } }
        b: { kind: netns, netns: np-fc-b, addresses: { lan: 10.247.2.2 } }
      checks:
        - { from: a, to: b, probe: icmp, expect: pass }
        - { from: a, to: b, probe: "tcp:50000", expect: pass }
      facts:
        - { node: a, route: 10.247.2.0/24 via 10.247.1.1, title: a route to b's network }
        - { node: r, forwarding: true, title: the router forwards }
        - { node: b, address: 10.247.2.2/24 on eth0, title: b's address }
        - { node: b, listening: tcp/50000 on 0.0.0.0, title: b's service listens }
      """;

  private Process service;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
  }

  @AfterAll
  static void down() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  @BeforeEach
  void serviceUp() throws Exception {
    service = serve("0.0.0.0");
  }

  @AfterEach
  void serviceDown() {
    stop();
  }

  @Test
  void everyFactHoldsInTheLabAsBuiltAndComesFirst() throws Exception {
    RunResult run = LabRun.run(MATRIX);
    assertThat(run.checks().subList(0, 4))
        .extracting(CheckResult::id)
        .containsExactly(
            "b address 10.247.2.2/24 on eth0",
            "r forwarding on",
            "a route 10.247.2.0/24 via 10.247.1.1",
            "b listening tcp/50000 on 0.0.0.0");
    assertThat(run.checks()).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.OK));
    assertThat(cell(run, "a route 10.247.2.0/24 via 10.247.1.1").verdict().reason())
        .isEqualTo("a's route to 10.247.2.0/24 is 10.247.2.0/24 via 10.247.1.1 dev eth0");
    assertThat(run.pointsEarned()).isEqualTo(6);
  }

  @Test
  void aRouteRemovedFailsItsFactAndTheCellsPointAtIt() throws Exception {
    try {
      LabFixture.sh("ip", "-n", "np-fc-a", "route", "del", "10.247.2.0/24");
      RunResult run = LabRun.run(MATRIX);
      CheckResult route = cell(run, "a route 10.247.2.0/24 via 10.247.1.1");
      assertThat(route.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
      assertThat(route.verdict().reason()).isEqualTo("a has no route to 10.247.2.0/24");
      assertThat(route.verdict().hint()).contains("ip route add 10.247.2.0/24 via 10.247.1.1");
      for (String id : new String[] {"a->b icmp", "a->b tcp:50000"}) {
        CheckResult c = cell(run, id);
        assertThat(c.outcome()).isEqualTo(Outcome.UNEXPECTED);
        assertThat(c.verdict().disposition()).isEqualTo(Disposition.NO_ROUTE);
        assertThat(c.cause()).isEqualTo(route.id());
        assertThat(c.verdict().reason())
            .startsWith(
                "a lacks route 10.247.2.0/24 via 10.247.1.1 (check 'a route to b's network'); ");
      }
      assertThat(run.findings().get(0).summary())
          .startsWith("a lacks route 10.247.2.0/24 via 10.247.1.1 (check 'a route to b's network')")
          .endsWith("2 cells unexpected");
    } finally {
      LabFixture.sh(
          "ip", "-n", "np-fc-a", "route", "replace", "10.247.2.0/24", "via", "10.247.1.1");
    }
  }

  @Test
  void forwardingTurnedOffOnTheRouterIsTheCauseOfWhatGoesThroughIt() throws Exception {
    try {
      LabFixture.sh("ip", "netns", "exec", "np-fc-r", "sysctl", "-qw", "net.ipv4.ip_forward=0");
      RunResult run = LabRun.run(MATRIX);
      CheckResult forwarding = cell(run, "r forwarding on");
      assertThat(forwarding.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
      assertThat(forwarding.verdict().reason())
          .isEqualTo("r does not forward packets (net.ipv4.ip_forward = 0)");
      CheckResult ping = cell(run, "a->b icmp");
      assertThat(ping.outcome()).isEqualTo(Outcome.UNEXPECTED);
      assertThat(ping.cause()).isEqualTo("r forwarding on");
      assertThat(said(ping)).contains("r does not forward packets (check 'the router forwards')");
      assertThat(cell(run, "a route 10.247.2.0/24 via 10.247.1.1").outcome()).isEqualTo(Outcome.OK);
    } finally {
      LabFixture.sh("ip", "netns", "exec", "np-fc-r", "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }
  }

  @Test
  void aServiceStoppedOrBoundToLoopbackFailsItsListeningFact() throws Exception {
    stop();
    RunResult run = LabRun.run(MATRIX);
    CheckResult listening = cell(run, "b listening tcp/50000 on 0.0.0.0");
    assertThat(listening.verdict().reason()).isEqualTo("nothing listens on tcp/50000 on b");
    CheckResult tcp = cell(run, "a->b tcp:50000");
    assertThat(tcp.verdict().disposition()).isEqualTo(Disposition.REFUSED);
    assertThat(tcp.cause()).isEqualTo(listening.id());
    assertThat(cell(run, "a->b icmp").cause()).isNull();

    service = serve("127.0.0.1");
    run = LabRun.run(MATRIX);
    listening = cell(run, "b listening tcp/50000 on 0.0.0.0");
    assertThat(listening.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
    assertThat(listening.verdict().reason())
        .isEqualTo("b listens on tcp/50000 only on 127.0.0.1, not on 0.0.0.0");
    assertThat(listening.verdict().hint()).contains("on 127.0.0.1 it answers only from inside");
    assertThat(cell(run, "a->b tcp:50000").cause()).isEqualTo(listening.id());
  }

  @Test
  void anAddressChangedIsTheLowestCauseOfEveryCellToIt() throws Exception {
    LabRun.run(MATRIX); // r learns b's link address: its entry outlives the address
    try {
      LabFixture.sh(
          "bash",
          "-c",
          "ip -n np-fc-b addr del 10.247.2.2/24 dev eth0"
              + " && ip -n np-fc-b addr add 10.247.2.3/24 dev eth0"
              + " && ip -n np-fc-b route replace default via 10.247.2.1");
      RunResult run = LabRun.run(MATRIX);
      CheckResult address = cell(run, "b address 10.247.2.2/24 on eth0");
      assertThat(address.verdict().disposition()).isEqualTo(Disposition.DIFFERS);
      assertThat(address.verdict().reason()).isEqualTo("b has no address 10.247.2.2");
      assertThat(said(address)).contains("eth0 10.247.2.3/24");
      // the listening fact still holds (0.0.0.0 takes any address): the address is the cause
      for (String id : new String[] {"a->b icmp", "a->b tcp:50000"}) {
        assertThat(cell(run, id).outcome()).isEqualTo(Outcome.UNEXPECTED);
        assertThat(cell(run, id).cause())
            .as("%s: %s %s", id, cell(run, id).verdict().disposition(), said(cell(run, id)))
            .isEqualTo(address.id());
        // r's neighbour entry for 10.247.2.2 still points at b: b's own addresses say why
        assertThat(cell(run, id).verdict().disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
        assertThat(cell(run, id).verdict().reason())
            .contains("addressed to 10.247.2.2, which is not an address of b")
            .contains("still sends it there (usually a stale ARP entry)");
      }
    } finally {
      LabFixture.sh(
          "bash",
          "-c",
          "ip -n np-fc-b addr del 10.247.2.3/24 dev eth0;"
              + " ip -n np-fc-b addr add 10.247.2.2/24 dev eth0;"
              + " ip -n np-fc-b route replace default via 10.247.2.1");
    }
  }

  /** socat accepting on tcp/50000 in np-fc-b, bound to {@code address}; waits until it listens. */
  private static Process serve(String address) throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                "np-fc-b",
                "socat",
                "TCP-LISTEN:50000,bind=" + address + ",reuseaddr,fork",
                "SYSTEM:true")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    for (int i = 0; i < 100; i++) {
      Process ss =
          new ProcessBuilder("ip", "netns", "exec", "np-fc-b", "ss", "-Hltn", "sport = :50000")
              .redirectErrorStream(true)
              .start();
      String out = new String(ss.getInputStream().readAllBytes());
      ss.waitFor();
      if (out.contains(":50000")) {
        return p;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("socat did not listen on tcp/50000 in np-fc-b");
  }

  private void stop() {
    if (service != null) {
      service.descendants().forEach(ProcessHandle::destroy);
      service.destroy();
      try {
        service.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      service = null;
    }
  }
}
