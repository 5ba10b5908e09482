package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.Verdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacedRetriesTest {
  private static Matrix mesh() throws Exception {
    return MatrixLoader.load(
        """
          name: mesh
          nodes:
            a: { kind: netns, netns: np-a, addresses: { lan: 10.0.0.1 } }
            b: { kind: netns, netns: np-b, addresses: { lan: 10.0.0.2 } }
            c: { kind: netns, netns: np-c, addresses: { lan: 10.0.0.3 } }
          checks:
            - { from: a, to: b, probe: icmp, expect: pass }
            - { from: a, to: b, probe: "tcp:80", expect: pass }
            - { from: a, to: c, probe: icmp, expect: pass }
            - { from: b, to: c, probe: icmp, expect: pass }
            - { from: c, to: a, probe: icmp, expect: pass }
          """,
        "mesh.yaml");
  }

  @Test
  void aWaveHoldsNoMoreNewNeighboursThanTheKernelCanFreeCellsOfOnePairCountedOnce()
      throws Exception {
    // two entries a pair (the source's for the target, the target's for the source): a-b, a-c,
    // b-c, c-a make 8, and the tcp check of a-b adds none
    PacedRetries paced = new PacedRetries(504, 520, 5000, 60_000);
    assertThat(paced.budget()).isEqualTo(8);
    assertThat(paced.wave(mesh().checks())).hasSize(5);
    assertThat(new PacedRetries(512, 512, 5000, 60_000).budget()).as("never below 8").isEqualTo(8);
    assertThat(new PacedRetries(512, 1024, 5000, 60_000).budget()).isEqualTo(504);
  }

  @Test
  void aWaveLeavesWhatDoesNotFitForTheNext() throws Exception {
    StringBuilder m = new StringBuilder("name: star\nnodes:\n");
    for (char n = 'a'; n <= 'f'; n++) {
      m.append(
          "  %c: { kind: netns, netns: np-%c, addresses: { lan: 10.0.0.%d } }%n"
              .formatted(n, n, n - 'a' + 1));
    }
    m.append("checks:\n");
    for (char n = 'b'; n <= 'f'; n++) {
      m.append("  - { from: a, to: %c, probe: icmp, expect: pass }%n".formatted(n));
    }
    List<Check> star = MatrixLoader.load(m.toString(), "star.yaml").checks();
    List<Check> wave = new PacedRetries(0, 16, 5000, 60_000).wave(star); // room for 8: 4 pairs
    assertThat(wave).containsExactlyElementsOf(star.subList(0, 4));
    assertThat(new PacedRetries(0, 16, 5000, 60_000).wave(star.subList(4, 5))).hasSize(1);
  }

  @Test
  void quietGrowsAfterAWaveThatCheckedNothingAndStopsAtTheCap() throws Exception {
    PacedRetries paced = new PacedRetries(512, 1024, 5000, 40_000);
    assertThat(paced.firstQuietMs()).isEqualTo(5000);
    assertThat(paced.nextQuietMs(5000, 0, 5000)).isEqualTo(10_000);
    assertThat(paced.nextQuietMs(10_000, 3, 15_000)).as("progress: back to 5 s").isEqualTo(5000);
    assertThat(paced.nextQuietMs(10_000, 0, 15_000)).isEqualTo(20_000);
    assertThat(paced.nextQuietMs(20_000, 0, 35_000)).as("35 + 40 s > 40 s").isEqualTo(-1);
  }

  @Test
  void onlyCellsWhoseSendsTheKernelRefusedAreRetried() throws Exception {
    Map<String, CheckResult> results = new LinkedHashMap<>();
    List<Check> checks = mesh().checks();
    results.put(checks.get(0).id(), result(checks.get(0), Outcome.ERROR, "refused (ENOBUFS...)"));
    results.put(checks.get(1).id(), result(checks.get(1), Outcome.ERROR, "agent on a: no reply"));
    results.put(checks.get(2).id(), result(checks.get(2), Outcome.UNEXPECTED, "dropped"));
    assertThat(PacedRetries.unchecked(checks, results)).containsExactly(checks.get(0));
  }

  private static CheckResult result(Check c, Outcome outcome, String reason) {
    Verdict v =
        outcome == Outcome.ERROR
            ? Verdict.notChecked(reason, List.of(), "")
            : new Verdict(io.netprobe.matrix.Disposition.DROPPED_AT_TARGET, reason, List.of(), "");
    return CheckResult.builder(c.id(), c.from(), c.to().ref(), c.probe().label())
        .outcome(outcome)
        .verdict(v)
        .build();
  }
}
