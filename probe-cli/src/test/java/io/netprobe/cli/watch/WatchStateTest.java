package io.netprobe.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a watch remembers of its rounds, and how Prometheus reads it. */
class WatchStateTest {
  private static CheckResult cell(String id, Disposition d, long ms) {
    boolean reached = d.isReachable();
    return CheckResult.builder(id, "pc", "vm \"b\"", "icmp")
        .target("vm", "10.0.0.2", 0, "direct")
        .expected("pass")
        .outcome(reached ? Outcome.OK : Outcome.UNEXPECTED)
        .verdict(new Verdict(d, reached ? "answered" : "dropped by vm", List.of(), "look"))
        .attempts(1, false, ms)
        .build();
  }

  private static RunResult round(long n, CheckResult... cells) {
    return new RunResult(
        "w",
        "w.yaml",
        Instant.ofEpochSecond(1_796_330_000L + n),
        1234,
        List.of(),
        List.of(cells),
        List.of());
  }

  @Test
  void aChangeOfDispositionIsAFlipWithTheEvidenceKeptOfThatRound() {
    WatchState s = new WatchState();
    assertThat(
            s.update(1, round(1, cell("a", Disposition.REACHED, 2)), Map.of("pc", true), Map.of()))
        .as("the first round sets where each cell stands")
        .isEmpty();
    assertThat(s.flipsWith(cell("a", Disposition.DROPPED_AT_TARGET, 1000))).isTrue();
    var flips =
        s.update(
            2,
            round(2, cell("a", Disposition.DROPPED_AT_TARGET, 1000)),
            Map.of("pc", true),
            Map.of("a", "flips/2-a"));
    assertThat(flips)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.from()).isEqualTo("REACHED");
              assertThat(f.to()).isEqualTo("DROPPED_AT_TARGET");
              assertThat(f.round()).isEqualTo(2);
            });
    s.update(3, round(3, cell("a", Disposition.DROPPED_AT_TARGET, 1000)), Map.of(), Map.of());
    assertThat(s.flips("a")).isEqualTo(1);
    var cell = s.timeline().cells().get(0);
    assertThat(cell.marks()).isEqualTo("ruu");
    assertThat(cell.flips())
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).isEqualTo("flips/2-a"));
    assertThat(s.lastExitCode()).isEqualTo(1);
  }

  @Test
  void theTextFormatHasEveryFamilyWithHelpAndTypeAndEscapedLabels() {
    WatchState s = new WatchState();
    s.update(
        1,
        round(1, cell("pc->vm icmp", Disposition.REACHED, 2)),
        Map.of("pc", true, "vm", false),
        Map.of());
    s.update(
        2, round(2, cell("pc->vm icmp", Disposition.DROPPED_ON_PATH, 1000)), Map.of(), Map.of());
    String m = s.prometheus();
    String labels = "{check=\"pc->vm icmp\",from=\"pc\",to=\"vm \\\"b\\\"\",probe=\"icmp\"";
    assertThat(m)
        .contains("# TYPE netprobe_cell_rtt_seconds histogram\n")
        .contains("netprobe_rounds_total 2\n")
        .contains("netprobe_node_up{node=\"vm\"} 0\n")
        .contains("netprobe_cell_up" + labels + "} 0\n")
        .contains("netprobe_cell_flips_total" + labels + "} 1\n")
        .contains("netprobe_cell_loss_ratio" + labels + "} 0.5\n")
        .contains("netprobe_cell_disposition" + labels + ",disposition=\"DROPPED_ON_PATH\"} 1\n")
        .contains("netprobe_cell_disposition" + labels + ",disposition=\"REACHED\"} 0\n")
        .contains("netprobe_cell_rtt_seconds_bucket" + labels + ",le=\"0.001\"} 0\n")
        .contains("netprobe_cell_rtt_seconds_bucket" + labels + ",le=\"0.0025\"} 1\n")
        .contains("netprobe_cell_rtt_seconds_bucket" + labels + ",le=\"+Inf\"} 1\n")
        .contains("netprobe_cell_rtt_seconds_count" + labels + "} 1\n")
        .contains("netprobe_last_round_timestamp_seconds 1796330002\n");
    for (String line : m.split("\n")) {
      assertThat(line)
          .as("a sample or a comment")
          .matches("(# (HELP|TYPE) .*|[a-z_]+(\\{.*\\})? [0-9.e+-]+)");
    }
  }

  @Test
  void aTcpCellsRoundTripIsItsHandshakeNotTheWholeProbe() {
    WatchState s = new WatchState();
    CheckResult tcp =
        CheckResult.builder("pc->vm tcp:22", "pc", "vm", "tcp:22")
            .target("vm", "10.0.0.2", 22, "direct")
            .expected("pass")
            .outcome(Outcome.OK)
            .verdict(new Verdict(Disposition.REACHED, "completed", List.of(), ""))
            .attempts(1, false, 252) // the probe then held the connection for its settle window
            .handshakeMs(0.4)
            .build();
    s.update(1, round(1, tcp), Map.of("pc", true), Map.of());
    String labels = "{check=\"pc->vm tcp:22\",from=\"pc\",to=\"vm\",probe=\"tcp:22\"";
    assertThat(s.prometheus())
        .contains("netprobe_cell_rtt_seconds_bucket" + labels + ",le=\"0.0005\"} 1\n")
        .contains("netprobe_cell_rtt_seconds_sum" + labels + "} 0.0004\n");
  }

  @Test
  void memoryStaysBoundedHoweverLongTheWatch() {
    WatchState s = new WatchState();
    for (long r = 1; r <= 5_000; r++) {
      Disposition d = r % 2 == 0 ? Disposition.REACHED : Disposition.REFUSED;
      s.update(r, round(r, cell("a", d, 1)), Map.of(), Map.of());
    }
    var cell = s.timeline().cells().get(0);
    assertThat(cell.marks()).hasSize(WatchState.WINDOW);
    assertThat(cell.firstRound()).isEqualTo(5_000 - WatchState.WINDOW + 1);
    assertThat(cell.flips()).hasSize(WatchState.FLIPS_KEPT);
    assertThat(s.flips("a")).isEqualTo(4_999);
    assertThat(WatchState.number(0.25)).isEqualTo("0.25");
    assertThat(WatchState.number(1796330002.123)).isEqualTo("1796330002.123");
  }
}
