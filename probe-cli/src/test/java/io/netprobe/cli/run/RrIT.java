package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rr probe measuring real paths in a lab of its own: a client and a server namespace joined by
 * two veth pairs, one left as it is and one whose server side sends through a token bucket (tbf, 1
 * Mbit/s with room for one packet: a 1,400-byte answer waits about 11 ms to leave), since this
 * kernel has no netem to add a delay. The server runs nothing: its agent opens the echo responder.
 */
class RrIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.242.0.0/16 metric 4241
      ip netns add np-rr-cl
      ip netns add np-rr-srv
      ip -n np-rr-cl link add eth0 type veth peer name eth0 netns np-rr-srv
      ip -n np-rr-cl link add eth1 type veth peer name eth1 netns np-rr-srv
      ip -n np-rr-cl addr add 10.242.0.1/24 dev eth0
      ip -n np-rr-srv addr add 10.242.0.2/24 dev eth0
      ip -n np-rr-cl addr add 10.242.1.1/24 dev eth1
      ip -n np-rr-srv addr add 10.242.1.2/24 dev eth1
      for ns in np-rr-cl np-rr-srv; do
        ip -n $ns link set eth0 up
        ip -n $ns link set eth1 up
        ip -n $ns link set lo up
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
      done
      ip netns exec np-rr-srv tc qdisc add dev eth1 root tbf rate 1mbit burst 1600 latency 500ms
      """;
  private static final String TEARDOWN =
      """
      for ns in np-rr-cl np-rr-srv; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.242.0.0/16 metric 4241 2>/dev/null
      exit 0
      """;
  static final String NODES =
      """
      name: rr lab
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        cl: { kind: netns, netns: np-rr-cl, addresses: { lan: 10.242.0.1, slow: 10.242.1.1 } }
        srv: { kind: netns, netns: np-rr-srv, addresses: { lan: 10.242.0.2, slow: 10.242.1.2 } }
        outside: { kind: address, addresses: { lan: 10.242.0.2 } }
      checks:
      """;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.rebuild(SETUP, TEARDOWN);
  }

  @AfterAll
  static void down() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  private static void print(CheckResult c) {
    // the figures measured, for the report of the work (surefire keeps stdout)
    System.out.println("RrIT " + c.id() + ": " + c.verdict().reason());
  }

  @Test
  void tcpAndUdpTransactionsOverAVethAreMeasuredAfterTheReachabilityCells() throws Exception {
    List<String> order = new ArrayList<>();
    RunListener listener =
        new RunListener() {
          @Override
          public void checked(CheckResult result) {
            synchronized (order) {
              order.add(result.id());
            }
          }
        };
    StringBuilder yaml = new StringBuilder(NODES);
    for (String c :
        List.of(
            "{ from: cl, to: srv.lan, probe: rr:tcp:5001, expect: pass, duration: 1s }",
            "{ from: cl, to: srv.lan, probe: rr:udp:5001, expect: pass, duration: 1s }",
            "{ from: cl, to: srv.lan, probe: icmp, expect: pass }",
            "{ from: cl, to: srv.lan, probe: tcp:5001, expect: refused }")) {
      yaml.append("  - ").append(c).append('\n');
    }
    RunResult run = LabRun.run(yaml.toString(), listener);
    CheckResult tcp = cell(run, "cl->srv.lan rr:tcp:5001");
    CheckResult udp = cell(run, "cl->srv.lan rr:udp:5001");
    print(tcp);
    print(udp);
    for (CheckResult c : List.of(tcp, udp)) {
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.OK);
      assertThat(c.verdict().disposition()).isEqualTo(Disposition.REACHED);
      assertThat(c.verdict().reason()).contains("transactions of 64 bytes", "RTT p50");
      assertThat(said(c)).contains("the echo responder on srv", "heard from 10.242.0.1:");
    }
    assertThat(udp.verdict().reason()).contains("0 lost");
    assertThat(tcp.measure().tps()).as("the paths table's figures").isPositive();
    assertThat(udp.measure().kind()).isEqualTo("rr:udp");
    assertThat(cell(run, "cl->srv.lan icmp").measure().p50Ms())
        .as("an icmp cell's echo has its round-trip time")
        .isPositive();
    assertThat(run.measured())
        .as("a single echo taken while the run probes is no measurement of its path")
        .extracting(CheckResult::id)
        .containsExactly("cl->srv.lan rr:tcp:5001", "cl->srv.lan rr:udp:5001");
    assertThat(cell(run, "cl->srv.lan tcp:5001").outcome())
        .as("no responder listens while the reachability cells run")
        .isEqualTo(Outcome.OK);
    assertThat(order.subList(0, 2))
        .as("the reachability cells finish before any measurement starts")
        .containsExactlyInAnyOrder("cl->srv.lan icmp", "cl->srv.lan tcp:5001");
  }

  @Test
  void aSlowedPathShowsItsDelay() throws Exception {
    RunResult run =
        LabRun.run(
            NODES,
            "{ from: cl, to: srv.slow, probe: rr:tcp:5002, expect: pass, size: 1400 }",
            "{ from: cl, to: srv.lan, probe: rr:tcp:5002, expect: pass, size: 1400 }");
    CheckResult slow = cell(run, "cl->srv.slow rr:tcp:5002");
    CheckResult fast = cell(run, "cl->srv.lan rr:tcp:5002");
    print(slow);
    print(fast);
    assertThat(slow.outcome()).as(said(slow)).isEqualTo(Outcome.OK);
    assertThat(said(slow)).contains("p50 1", "ms");
    assertThat(fast.outcome()).as(said(fast)).isEqualTo(Outcome.OK);
  }

  @Test
  void aThresholdFailsOnTheSlowedPathAndPassesOnTheOther() throws Exception {
    String expect = "expect: { rtt-p99: \"<5ms\", tps: \">200\" }";
    RunResult run =
        LabRun.run(
            NODES,
            "{ from: cl, to: srv.slow, probe: rr:tcp:5004, size: 1400, " + expect + " }",
            "{ from: cl, to: srv.lan, probe: rr:tcp:5004, size: 1400, " + expect + " }",
            "{ from: cl, to: srv.lan, probe: rr:udp:5004, size: 1400, " + expect + " }");
    CheckResult slow = cell(run, "cl->srv.slow rr:tcp:5004");
    print(slow);
    assertThat(slow.outcome()).as(said(slow)).isEqualTo(Outcome.UNEXPECTED);
    assertThat(slow.verdict().disposition()).isEqualTo(Disposition.REACHED);
    assertThat(slow.verdict().reason())
        .contains("above the 5 ms asked, by ", "below the 200/s asked, by ");
    assertThat(slow.expected()).isEqualTo("pass, tps > 200/s, rtt-p99 < 5 ms");
    assertThat(run.checks().stream().filter(c -> c.id().startsWith("cl->srv.lan")))
        .allSatisfy(c -> assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.OK));
    assertThat(slow.earned()).isZero();
  }

  @Test
  void theCheckCommandMeasuresWithTheAgentItIsToldOwnsTheTarget() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = io.netprobe.cli.Main.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code =
        cli.execute(
            "check",
            "netns:np-rr-cl",
            "10.242.0.2",
            "rr:udp:5005",
            "--at",
            "netns:np-rr-srv",
            "--no-progress");
    System.out.println("RrIT check: " + out);
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("rr:udp:5005: reached", "transactions of 64 bytes");
  }

  @Test
  void udpDatagramsDroppedOnThePathAreCountedLostAndTheMeasurementGoesOn() throws Exception {
    // the server's firewall drops every 40th datagram to the responder
    String rule =
        "INPUT -p udp --dport 5006 -m statistic --mode nth --every 40 --packet 39 -j DROP";
    LabFixture.sh("ip", "netns", "exec", "np-rr-srv", "bash", "-c", "iptables -A " + rule);
    try {
      RunResult run =
          LabRun.run(
              NODES.replace("timeout: 1s", "timeout: 100ms"),
              "{ from: cl, to: srv.lan, probe: rr:udp:5006, expect: pass, duration: 1s }");
      CheckResult c = cell(run, "cl->srv.lan rr:udp:5006");
      print(c);
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.OK);
      assertThat(c.measure().lossPercent())
          .as("each loss waits out the 100 ms timeout: a few in the second")
          .isPositive();
      assertThat(c.measure().tps()).as("the transactions between the losses count").isPositive();
      assertThat(said(c)).contains("lost (no answer within 100 ms)");
      assertThat(said(c).replaceAll("(?s).*heard from ([^ ]+).*", "$1"))
          .as("the transactions after a loss go on from the same port")
          .doesNotContain(",");
    } finally {
      LabFixture.sh("ip", "netns", "exec", "np-rr-srv", "bash", "-c", "iptables -D " + rule);
    }
  }

  /**
   * A listener on the server that holds {@code port} for {@code seconds}, as another run's would.
   */
  private static Process busy(int port, String seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                "np-rr-srv",
                "timeout",
                seconds,
                "socat",
                "-u",
                "TCP-LISTEN:" + port + ",reuseaddr",
                "/dev/null")
            .redirectErrorStream(true)
            .start();
    Thread.sleep(300); // listening by now
    return p;
  }

  @Test
  void aPortInUseForAWhileIsWaitedForAndThenMeasured() throws Exception {
    long start = System.nanoTime();
    Process holder = busy(5008, "3");
    try {
      RunResult run =
          LabRun.run(
              NODES,
              "{ from: cl, to: srv.lan, probe: rr:tcp:5008, expect: pass, duration: 300ms }");
      CheckResult c = cell(run, "cl->srv.lan rr:tcp:5008");
      print(c);
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.OK);
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("the responder opened once the other listener had gone, 3 s after it started")
          .isGreaterThanOrEqualTo(3000);
    } finally {
      holder.destroyForcibly();
      holder.waitFor();
    }
  }

  @Test
  void aPortThatStaysInUseIsACellThatCouldNotBeChecked() throws Exception {
    Process holder = busy(5009, "20");
    try {
      RunResult run =
          LabRun.run(
              NODES,
              "{ from: cl, to: srv.lan, probe: rr:tcp:5009, expect: pass, duration: 300ms }");
      CheckResult c = cell(run, "cl->srv.lan rr:tcp:5009");
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.ERROR);
      assertThat(c.verdict().reason())
          .contains(
              "could not open tcp/5009 on srv",
              "Address already in use",
              "still in use after 6.2 s",
              "give the rr check a port that is free on srv");
    } finally {
      holder.destroyForcibly();
      holder.waitFor();
    }
  }

  @Test
  void aTargetWithoutAnAgentCannotBeMeasured() throws Exception {
    RunResult run =
        LabRun.run(NODES, "{ from: cl, to: outside.lan, probe: rr:tcp:5003, expect: pass }");
    CheckResult c = cell(run, "cl->outside.lan rr:tcp:5003");
    assertThat(c.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(c.verdict().reason())
        .contains("rr needs an agent at both ends", "outside is a node of kind address");
  }
}
