package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.Transactions;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.Threshold;
import io.netprobe.matrix.Threshold.Metric;
import io.netprobe.report.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
  private static ProbeResult result(Transactions t, Echoes e) {
    return new ProbeResult(
        "rr:tcp:5001",
        "10.242.0.2",
        "10.242.0.2",
        ProbeStatus.REPLY,
        null,
        null,
        null,
        null,
        e,
        null,
        List.of(),
        List.of(),
        1000,
        null,
        t,
        null);
  }

  private static Transactions measured(double p99Ms, double tps) {
    return new Transactions("tcp", 64, 1000, 100, 0, tps, 0.1, 0.2, 0.3, p99Ms, p99Ms, null);
  }

  @Test
  void aSlowP99IsMissedByHowMuch() {
    Expectation.Measured expect =
        new Expectation.Measured(
            List.of(new Threshold(Metric.RTT_P99, true, 5), new Threshold(Metric.TPS, false, 50)));
    assertThat(Thresholds.missed(expect, result(measured(7.2, 99), null)))
        .containsExactly("p99 7.2 ms, above the 5 ms asked, by 2.2 ms");
    assertThat(Thresholds.missed(expect, result(measured(4.0, 99), null))).isEmpty();
  }

  @Test
  void icmpEchoesGiveRoundTripTimesAndLoss() {
    Echoes echoes = new Echoes(4, 3, List.of(0.3, 0.1, 0.2), 64, 7, "ping");
    var figures = Thresholds.figures(result(null, echoes));
    assertThat(figures)
        .containsEntry(Metric.RTT_P50, 0.2)
        .containsEntry(Metric.RTT_MAX, 0.3)
        .containsEntry(Metric.LOSS, 25.0)
        .doesNotContainKey(Metric.TPS);
  }

  @Test
  void aFigureNobodyMeasuredIsMissedAndSaysSo() {
    Expectation.Measured expect =
        new Expectation.Measured(List.of(new Threshold(Metric.RTT_P50, true, 1)));
    assertThat(Thresholds.missed(expect, result(null, null)))
        .containsExactly("rtt-p50 was not measured (rtt-p50 < 1 ms asked)");
  }

  @Test
  void aGradedVerdictKeepsItsDispositionAndAddsTheMiss() {
    Verdict v = new Verdict(Disposition.REACHED, "srv answered 9 transactions", List.of(), "");
    Verdict graded = Thresholds.graded(v, List.of("p99 7.2 ms, above the 5 ms asked, by 2.2 ms"));
    assertThat(graded.disposition()).isEqualTo(Disposition.REACHED);
    assertThat(graded.reason())
        .isEqualTo("srv answered 9 transactions; but p99 7.2 ms, above the 5 ms asked, by 2.2 ms");
  }
}
