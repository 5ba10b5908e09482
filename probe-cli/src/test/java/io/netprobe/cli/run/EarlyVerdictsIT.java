package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Early verdicts on real namespaces: a switch with two sources and a target that listens on
 * tcp/7001 (an accepting listener that holds the connection). A request the target's firewall drops
 * is decided from its capture long before the timeout; a target whose answers are only slow (queued
 * behind a slow egress link: tbf at 16 kbit/s with a backlog) is never decided early, though a
 * fixed 50 ms rule would have given up on it.
 */
class EarlyVerdictsIT {
  private static final String SETUP =
      """
      set -e
      for ns in np-ev-sw np-ev-a1 np-ev-a2 np-ev-b; do ip netns add $ns; done
      ip route add unreachable 10.251.0.0/24 metric 4251
      ip -n np-ev-sw link add np-ev-br type bridge
      ip -n np-ev-sw link set np-ev-br up
      i=1
      for ns in np-ev-a1 np-ev-a2 np-ev-b; do
        ip -n np-ev-sw link add np-ev-p$i type veth peer name eth0 netns $ns
        ip -n np-ev-sw link set np-ev-p$i master np-ev-br up
        ip -n $ns addr add 10.251.0.$i/24 dev eth0
        ip -n $ns link set eth0 up
        ip -n $ns link set lo up
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
        i=$((i+1))
      done
      ip netns exec np-ev-b setsid socat TCP-LISTEN:7001,reuseaddr,fork,backlog=64 \
        SYSTEM:'sleep 20' </dev/null >/dev/null 2>&1 &
      for i in $(seq 50); do
        ip netns exec np-ev-b ss -ltn | grep -q ':7001 ' && exit 0; sleep 0.1
      done
      echo "socat did not listen on 7001" >&2; exit 1
      """;
  private static final String TEARDOWN =
      """
      for ns in np-ev-sw np-ev-a1 np-ev-a2 np-ev-b; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill -9 $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.251.0.0/24 metric 4251 2>/dev/null
      exit 0
      """;

  /** Both sources to the same service and to the echo: the other source's answer calibrates. */
  private static final String MATRIX =
      """
      name: early verdicts
      defaults: { timeout: %s, retries: 0, icmp-count: 1 }
      nodes:
        a1: { kind: netns, netns: np-ev-a1, addresses: { lan: 10.251.0.1 } }
        a2: { kind: netns, netns: np-ev-a2, addresses: { lan: 10.251.0.2 } }
        b: { kind: netns, netns: np-ev-b, addresses: { lan: 10.251.0.3 } }
      checks:
        - { from: a1, to: b, probe: "tcp:7001", expect: %s }
        - { from: a2, to: b, probe: "tcp:7001", expect: pass }
        - { from: a1, to: b, probe: icmp, expect: %s }
        - { from: a2, to: b, probe: icmp, expect: pass }
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

  @Test
  void aRequestTheTargetsFirewallDropsIsDecidedFromItsCaptureBeforeTheTimeout() throws Exception {
    String drop = "ip netns exec np-ev-b iptables -%s INPUT -s 10.251.0.1 -p %s -j DROP";
    LabFixture.sh("bash", "-c", drop.formatted("A", "tcp --syn --dport 7001"));
    LabFixture.sh("bash", "-c", drop.formatted("A", "icmp --icmp-type echo-request"));
    try {
      RunResult run = LabRun.run(MATRIX.formatted("3s", "fail", "fail"));
      for (String id : new String[] {"a1->b tcp:7001", "a1->b icmp"}) {
        CheckResult c = cell(run, id);
        assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(Disposition.DROPPED_AT_TARGET);
        assertThat(said(c)).contains("decided early", "b sent nothing back within");
        // TCP waits for the SYN sent again after 1 s; the echo decides at once
        assertThat(c.elapsedMs()).as(said(c)).isLessThan(id.endsWith("icmp") ? 1000 : 2500);
      }
      assertThat(cell(run, "a2->b tcp:7001").verdict().disposition())
          .isEqualTo(Disposition.REACHED);
      assertThat(run.elapsedMs()).as("the run ends when every cell is decided").isLessThan(3000);
    } finally {
      LabFixture.sh("bash", "-c", drop.formatted("D", "tcp --syn --dport 7001"));
      LabFixture.sh("bash", "-c", drop.formatted("D", "icmp --icmp-type echo-request"));
    }
  }

  @Test
  void aTargetWhoseAnswersAreOnlySlowIsNeverDecidedEarly() throws Exception {
    // b's answers queue behind 12 kB of filler on a 16 kbit/s (2 kB/s) link: seconds late
    LabFixture.sh(
        "ip", "netns", "exec", "np-ev-b", "tc", "qdisc", "add", "dev", "eth0", "root", "tbf",
        "rate", "16kbit", "burst", "2000", "limit", "100000");
    try {
      LabFixture.sh(
          "bash",
          "-c",
          "head -c 12000 /dev/zero | ip netns exec np-ev-b socat -u -b 1400 - "
              + "UDP-SENDTO:10.251.0.1:9");
      RunResult run = LabRun.run(MATRIX.formatted("10s", "pass", "pass"));
      for (CheckResult c : run.checks()) {
        assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(Disposition.REACHED);
        assertThat(said(c)).doesNotContain("decided early");
      }
      assertThat(run.checks())
          .as("the answers were late: a fixed 50 ms wait would have called them dropped")
          .allSatisfy(c -> assertThat(c.elapsedMs()).isGreaterThan(500));
    } finally {
      LabFixture.sh("ip", "netns", "exec", "np-ev-b", "tc", "qdisc", "del", "dev", "eth0", "root");
    }
  }
}
