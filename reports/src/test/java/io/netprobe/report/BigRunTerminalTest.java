package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Verdict;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A class-sized run in the terminal: a line per source instead of a grid too wide to read, and long
 * sections cut after their first cells with the rest counted; small runs are unchanged.
 */
class BigRunTerminalTest {
  private static RunResult mesh(int nodes) {
    List<CheckResult> cells = new ArrayList<>();
    for (int s = 0; s < nodes; s++) {
      for (int t = 0; t < nodes; t++) {
        if (s == t) {
          continue;
        }
        boolean dropped = (t - s + nodes) % 3 == 0;
        boolean wrong = s == 1 && t < 6;
        Disposition d = dropped ? Disposition.DROPPED_AT_TARGET : Disposition.REACHED;
        cells.add(
            CheckResult.builder("n" + s + "->n" + t + " icmp", "n" + s, "n" + t, "icmp")
                .target("n" + t, "10.0.0." + (t + 1), 0, "direct")
                .expected(dropped && !wrong ? "fail" : "pass")
                .outcome(dropped && wrong ? Outcome.UNEXPECTED : Outcome.OK)
                .verdict(new Verdict(d, dropped ? "dropped at n" + t : "echo reply", List.of(), ""))
                .build());
      }
    }
    return new RunResult("class", "class.yaml", Instant.EPOCH, 1, List.of(), cells, List.of());
  }

  private static List<String> terminal(RunResult run) {
    StringWriter out = new StringWriter();
    Reports.terminal(run, new PrintWriter(out), new TerminalOptions(false, 100, false, false));
    return out.toString().lines().toList();
  }

  @Test
  void aClassSizedRunIsSummarizedAndSaysWhereTheRestIs() {
    List<String> lines = terminal(mesh(60)); // 3,540 cells, 1,180 of them dropped as expected
    assertThat(lines.size()).as(String.join("\n", lines)).isLessThan(300);
    assertThat(lines).anyMatch(l -> l.contains("60 sources and 60 targets: a line per source"));
    assertThat(lines).anyMatch(l -> l.startsWith("n0  ") && l.contains("+ ") && l.contains("o "));
    assertThat(String.join("\n", lines))
        .contains(
            "more (", "DROPPED_AT_TARGET", "the HTML, JSON and JUnit reports list every cell");
    assertThat(lines).anyMatch(l -> l.contains("n1->n3 icmp") || l.contains("n1 -> n3"));
  }

  @Test
  void aSmallRunKeepsItsGridAndEveryCell() {
    List<String> lines = terminal(mesh(6));
    assertThat(String.join("\n", lines)).doesNotContain("a line per source", "more (");
    assertThat(lines).anyMatch(l -> l.startsWith("from \\ to"));
  }
}
