package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bulk probe measuring real paths in a lab of its own: a client and a server namespace joined
 * by three veth pairs, one left as it is and two whose client side sends through a token bucket
 * (tbf at 10 and at 40 Mbit/s). The figure must follow the bucket's rate: TCP's goodput is the rate
 * less the headers of each 1,514-byte frame (1,448 bytes of data in it, 95.6%). The server runs
 * nothing: its agent opens the discard responder.
 */
class BulkIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.249.0.0/16 metric 4249
      ip netns add np-bk-cl
      ip netns add np-bk-srv
      for i in 0 1 2; do
        ip -n np-bk-cl link add eth$i type veth peer name eth$i netns np-bk-srv
        ip -n np-bk-cl addr add 10.249.$i.1/24 dev eth$i
        ip -n np-bk-srv addr add 10.249.$i.2/24 dev eth$i
        ip -n np-bk-cl link set eth$i up
        ip -n np-bk-srv link set eth$i up
      done
      for ns in np-bk-cl np-bk-srv; do
        ip -n $ns link set lo up
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
      done
      ip netns exec np-bk-cl tc qdisc add dev eth1 root tbf rate 10mbit burst 32kb latency 50ms
      ip netns exec np-bk-cl tc qdisc add dev eth2 root tbf rate 40mbit burst 64kb latency 50ms
      """;
  private static final String TEARDOWN =
      """
      for ns in np-bk-cl np-bk-srv; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.249.0.0/16 metric 4249 2>/dev/null
      exit 0
      """;
  static final String NODES =
      """
      name: bulk lab
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        cl:
          kind: netns
          netns: np-bk-cl
          addresses: { lan: 10.249.0.1, slow: 10.249.1.1, mid: 10.249.2.1 }
        srv:
          kind: netns
          netns: np-bk-srv
          addresses: { lan: 10.249.0.2, slow: 10.249.1.2, mid: 10.249.2.2 }
        outside: { kind: address, addresses: { lan: 10.249.0.2 } }
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
    System.out.println("BulkIT " + c.id() + ": " + c.verdict().reason());
  }

  @Test
  void theReceivedRateFollowsTheTokenBucket() throws Exception {
    RunResult run =
        LabRun.run(
            NODES,
            "{ from: cl, to: srv.slow, probe: bulk:tcp:5002, expect: pass, duration: 2s }",
            "{ from: cl, to: srv.mid, probe: bulk:tcp:5002, expect: pass, duration: 2s }",
            "{ from: cl, to: srv.lan, probe: bulk:tcp:5002, expect: pass, duration: 1s }",
            "{ from: cl, to: srv.lan, probe: tcp:5002, expect: refused }");
    CheckResult slow = cell(run, "cl->srv.slow bulk:tcp:5002");
    CheckResult mid = cell(run, "cl->srv.mid bulk:tcp:5002");
    CheckResult lan = cell(run, "cl->srv.lan bulk:tcp:5002");
    List.of(slow, mid, lan).forEach(BulkIT::print);
    for (CheckResult c : List.of(slow, mid, lan)) {
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.OK);
      assertThat(c.verdict().disposition()).isEqualTo(Disposition.REACHED);
      assertThat(said(c))
          .contains("over one TCP stream", "the discard responder on srv", "heard from 10.249.");
      assertThat(c.measure().kind()).isEqualTo("bulk:tcp");
      assertThat(c.measure().timed()).as("bulk times no round trip").isFalse();
    }
    assertThat(slow.measure().bitsPerSecond())
        .as("10 Mbit/s of frames carry 9.56 Mbit/s of TCP data: " + said(slow))
        .isBetween(8.5e6, 10.2e6);
    assertThat(mid.measure().bitsPerSecond())
        .as("40 Mbit/s of frames: " + said(mid))
        .isBetween(34e6, 40.8e6);
    assertThat(lan.measure().bitsPerSecond())
        .as("a bare veth moves far more than either bucket: " + said(lan))
        .isGreaterThan(200e6);
    assertThat(run.measured()).extracting(CheckResult::id).contains(slow.id(), mid.id(), lan.id());
    assertThat(cell(run, "cl->srv.lan tcp:5002").outcome())
        .as("no responder listens while the reachability cells run")
        .isEqualTo(Outcome.OK);
  }

  @Test
  void aThroughputThresholdFailsOnTheSlowedPathAndSaysByHowMuch() throws Exception {
    String expect = "expect: { throughput: \">100Mbit/s\" }";
    RunResult run =
        LabRun.run(
            NODES,
            "{ from: cl, to: srv.slow, probe: bulk:tcp:5004, duration: 500ms, " + expect + " }",
            "{ from: cl, to: srv.lan, probe: bulk:tcp:5004, duration: 500ms, " + expect + " }");
    CheckResult slow = cell(run, "cl->srv.slow bulk:tcp:5004");
    CheckResult lan = cell(run, "cl->srv.lan bulk:tcp:5004");
    print(slow);
    assertThat(slow.outcome()).as(said(slow)).isEqualTo(Outcome.UNEXPECTED);
    assertThat(slow.verdict().disposition()).isEqualTo(Disposition.REACHED);
    assertThat(slow.verdict().reason()).contains("below the 100 Mbit/s asked, by ");
    assertThat(slow.expected()).isEqualTo("pass, throughput > 100 Mbit/s");
    assertThat(lan.outcome()).as(said(lan)).isEqualTo(Outcome.OK);
  }

  @Test
  void theCheckCommandMeasuresThroughputWithTheAgentItIsToldOwnsTheTarget() {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = io.netprobe.cli.Main.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code =
        cli.execute(
            "check",
            "netns:np-bk-cl",
            "10.249.1.2",
            "bulk:tcp:5005",
            "--at",
            "netns:np-bk-srv",
            "--no-progress");
    System.out.println("BulkIT check: " + out);
    assertThat(code).as(out + "\n" + err).isZero();
    assertThat(out.toString()).contains("bulk:tcp:5005: reached", "Mbit/s");
  }

  @Test
  void aTargetWithoutAnAgentCannotBeMeasured() throws Exception {
    RunResult run =
        LabRun.run(NODES, "{ from: cl, to: outside.lan, probe: bulk:tcp:5003, expect: pass }");
    CheckResult c = cell(run, "cl->outside.lan bulk:tcp:5003");
    assertThat(c.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(c.verdict().reason())
        .contains("bulk needs an agent at both ends", "discard responder");
  }
}
