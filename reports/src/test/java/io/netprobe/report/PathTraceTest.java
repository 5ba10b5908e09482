package io.netprobe.report;

import static io.netprobe.report.PathFixtures.hop;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.PathTrace.Role;
import io.netprobe.report.PathTrace.Step;
import io.netprobe.report.model.PathHop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words of a path trace that every text format shares, and how the terminal wraps them. */
class PathTraceTest {
  private static final PathHop FW =
      hop(1, "10.60.1.1", "fw", "time-exceeded", "time exceeded", 0.4);
  private static final PathHop RT =
      hop(2, "10.60.3.2", "rt", "time-exceeded", "time exceeded", 0.6);

  @Test
  void firstSilentHopAfterTheLastAnswerIsWhereTheFlowWasLost() {
    var path = List.of(FW, RT, silent(3));

    assertThat(PathTrace.line(path))
        .isEqualTo("1 fw (10.60.1.1) 0.4 ms > 2 rt (10.60.3.2) 0.6 ms > 3 * (lost here)");
    assertThat(PathTrace.lost(path)).isTrue();
  }

  @Test
  void silentRouterFollowedByAnswersIsNotWhereTheFlowWasLost() {
    var path = List.of(FW, silent(2), hop(3, "10.60.4.20", "lab2", "reply", "echo reply", 1.2));

    assertThat(PathTrace.steps(path).stream().map(Step::role))
        .containsExactly(Role.FORWARDED, Role.SILENT, Role.REACHED);
    assertThat(PathTrace.line(path))
        .isEqualTo(
            "1 fw (10.60.1.1) 0.4 ms > 2 * > 3 lab2 (10.60.4.20) 1.2 ms: reached (echo reply)");
    assertThat(PathTrace.lost(path)).isFalse();
  }

  @Test
  void trailingSilentHopsFoldIntoTheLostOne() {
    var path = List.of(FW, silent(2), silent(3), silent(4));

    var steps = PathTrace.steps(path);
    assertThat(steps).hasSize(2);
    assertThat(steps.get(1).lastTtl()).isEqualTo(4);
    assertThat(PathTrace.line(path)).endsWith("> 2 * (lost here; no answer up to ttl 4)");
  }

  @Test
  void routerThatCannotForwardStopsThePathWithItsWords() {
    var path = List.of(FW, hop(2, "10.60.3.2", null, "unreachable", "net unreachable", 0.7));

    assertThat(PathTrace.line(path)).endsWith("> 2 10.60.3.2 0.7 ms: net unreachable");
    assertThat(PathTrace.lost(path)).isFalse();
  }

  @Test
  void unknownKindIsShownByItsName() {
    var path = List.of(hop(1, "10.60.1.1", "fw", "redirect", "to 10.60.1.2", 0.2));

    assertThat(PathTrace.line(path)).isEqualTo("1 fw (10.60.1.1) 0.2 ms: redirect: to 10.60.1.2");
  }

  @Test
  void roundTripsUnder100MsKeepOneDecimal() {
    assertThat(PathTrace.rtt(0.04)).isEqualTo("0.0 ms");
    assertThat(PathTrace.rtt(12.55)).isEqualTo("12.6 ms");
    assertThat(PathTrace.rtt(1523.0)).isEqualTo("1523 ms");
  }

  @Test
  void narrowTerminalBreaksThePathBetweenHopsOnly() {
    var out = new StringWriter();
    Reports.terminal(
        PathFixtures.faultRun(), new PrintWriter(out), new TerminalOptions(false, 40, false));

    var lines = out.toString().lines().toList();
    int start = lines.indexOf("    path: 1 fw (10.60.1.1) 0.4 ms >");
    assertThat(start).as("the path line of cl->lab2 in:%n%s", out).isPositive();
    assertThat(lines.subList(start + 1, start + 3))
        .containsExactly("          2 rt (10.60.3.2) 0.6 ms >", "          3 * (lost here)");
  }

  private static PathHop silent(int ttl) {
    return hop(ttl, null, null, "none", "", null);
  }
}
