package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static io.netprobe.matrix.Disposition.AUTH_FAILED;
import static io.netprobe.matrix.Disposition.DROPPED_AT_TARGET;
import static io.netprobe.matrix.Disposition.DROPPED_ON_PATH;
import static io.netprobe.matrix.Disposition.HOSTKEY_MISMATCH;
import static io.netprobe.matrix.Disposition.LATE;
import static io.netprobe.matrix.Disposition.NAME_UNRESOLVED;
import static io.netprobe.matrix.Disposition.NOT_SSH;
import static io.netprobe.matrix.Disposition.NO_RETURN_ROUTE;
import static io.netprobe.matrix.Disposition.NO_ROUTE;
import static io.netprobe.matrix.Disposition.REACHED;
import static io.netprobe.matrix.Disposition.REFUSED;
import static io.netprobe.matrix.Disposition.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.FaultLab;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault lab, a network unlike the demo lab: healthy, every cell is reached; with each of its 20
 * faults switched on (each breaks one path, so all can be on at once), each cell says what broke,
 * from the packets and the tables the agents read, and never names a cause without evidence.
 */
class FaultsIT {
  private static final FaultLab LAB = new FaultLab(new PrintWriter(System.err, true));
  private static String matrix;

  @BeforeAll
  static void labUp() throws Exception {
    matrix = Files.readString(Path.of("..", "matrices", "labs", "faults.yaml"));
    LAB.down(); // a lab left up (and maybe broken) by someone else: start healthy
    LAB.up();
  }

  @AfterAll
  static void labDown() {
    LAB.down();
  }

  @Test
  void healthyLabIsReachedEverywhere() throws Exception {
    RunResult run = LabRun.run(matrix);
    assertThat(run.checks())
        .allSatisfy(
            c ->
                assertThat(c.verdict().disposition())
                    .as(c.id() + ": " + said(c))
                    .isEqualTo(REACHED));
  }

  @Test
  void eachFaultIsExplainedFromItsOwnEvidence() throws Exception {
    LAB.breakFaults(List.of("all"));
    try {
      RunResult run = LabRun.run(matrix);
      SoftAssertions soft = new SoftAssertions();
      expect(
          soft,
          run,
          "cl->app.relayed tcp:9000",
          REFUSED,
          "relay at 10.60.2.20:8081 accepted",
          "app refused port 9000",
          "nothing listens there");
      expect(
          soft,
          run,
          "cl->app.fwd tcp:9100",
          REFUSED,
          "the port forward works",
          "reached app port 9100");
      expect(
          soft,
          run,
          "cl2->app.fwd2 tcp:9101",
          REFUSED,
          "app saw nothing arrive",
          "port forward from 10.60.1.1:2224",
          "is missing");
      expect(
          soft,
          run,
          "cl3->web icmp",
          UNREACHABLE,
          "cannot leave cl3",
          "via 10.60.1.254, which does not answer ARP");
      expect(
          soft,
          run,
          "cl->db icmp",
          NO_RETURN_ROUTE,
          "arrived at db",
          "via 10.60.3.254",
          "does not answer ARP");
      expect(
          soft,
          run,
          "cl->ghost icmp",
          UNREACHABLE,
          "no host on cl's LAN answers ARP for 10.60.1.99",
          "down or the address is unused");
      expect(
          soft,
          run,
          "cl2->ghost icmp",
          UNREACHABLE,
          "no host on cl2's LAN answers ARP for 10.60.1.99");
      expect(soft, run, "cl->web udp:5354", LATE, "after the 1000 ms timeout");
      expect(
          soft,
          run,
          "cl->web tcp:8080",
          DROPPED_ON_PATH,
          "web saw nothing arrive",
          "dropped by fw: FORWARD rule",
          "--dport 8080 -j DROP");
      expect(
          soft,
          run,
          "cl2->web icmp",
          DROPPED_AT_TARGET,
          "arrived at web from 10.60.1.11",
          "dropped by web: INPUT rule 1");
      expect(
          soft,
          run,
          "cl3->app tcp:9001",
          UNREACHABLE,
          "administratively prohibited",
          "at or in front of 10.60.1.1",
          "rejected by fw: FORWARD rule");
      expect(
          soft,
          run,
          "cl2->app tcp:9001",
          REFUSED,
          "never reached app",
          "rejected by fw: FORWARD rule",
          "tcp-reset");
      expect(soft, run, "cl->ops icmp", UNREACHABLE, "network unreachable", "10.60.1.1");
      expect(soft, run, "cl->lab icmp", REACHED);
      // rt's blackhole route is no rule: no counter names it, the path trace shows where
      expect(
          soft,
          run,
          "cl->lab2 icmp",
          DROPPED_ON_PATH,
          "lab2 saw nothing arrive",
          "hop 1 fw (10.60.1.1) was the last to answer",
          "lost after fw");
      soft.assertThat(cell(run, "cl->lab2 icmp").verdict().path())
          .as("the path of a flow lost on the way")
          .extracting(h -> h.who() + " " + h.kind())
          .containsExactly("fw (10.60.1.1) time-exceeded", "* none");
      expect(soft, run, "iso->web icmp", NO_ROUTE, "iso has no route to 10.60.2.10");
      expect(soft, run, "cl->lab3 icmp", NO_RETURN_ROUTE, "arrived at lab3", "no route back");
      expect(soft, run, "cl3->app tcp:9002", REFUSED, "127.0.0.1:9002 only");
      expect(soft, run, "cl->app tcp:9003", REFUSED, "nothing listens on port 9003 at app");
      expect(soft, run, "cl2->web udp:5353", REFUSED, "nothing listens on udp/5353");
      expect(
          soft,
          run,
          "cl3->app tcp:9004",
          DROPPED_ON_PATH,
          "never left cl3",
          "dropped by cl3: OUTPUT rule 1");
      expect(
          soft,
          run,
          "cl->app tcp:9005",
          DROPPED_ON_PATH,
          "the answer reached cl",
          "never reached the probe");
      expect(
          soft,
          run,
          "cl->intranet tcp:8080",
          NAME_UNRESOLVED,
          "intranet.example did not resolve on cl",
          "not in /etc/netns/np-f-cl/hosts");
      expect(soft, run, "cl2->app ssh", AUTH_FAILED, "refused the login as lab");
      expect(soft, run, "cl3->app ssh:2200", HOSTKEY_MISMATCH, "not the one in known_hosts");
      expect(soft, run, "cl->app.fwd3 ssh", NOT_SSH, "but not an SSH server");
      for (CheckResult c : run.checks()) {
        soft.assertThat(c.verdict().reason())
            .as(c.id() + ": a filter is named only with evidence of one")
            .doesNotContain("a filter before it");
      }
      soft.assertAll();
    } finally {
      LAB.restore(List.of("all"));
    }
  }

  private static void expect(
      SoftAssertions soft, RunResult run, String id, Disposition d, String... phrases) {
    CheckResult c = cell(run, id);
    soft.assertThat(c.verdict().disposition()).as(id + ": " + said(c)).isEqualTo(d);
    if (phrases.length > 0) {
      soft.assertThat(c.verdict().reason()).as(id).contains(phrases);
    }
  }
}
