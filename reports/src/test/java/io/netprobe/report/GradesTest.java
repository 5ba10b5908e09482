package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradesTest {
  private final RunResult run = Fixtures.demoRun();

  @TempDir(factory = NpTempDirs.class)
  Path dir;

  @Test
  void csvHasARowPerStudentWithScoreAndEachChecksOutcome() {
    var csv = Grades.csv(List.of(StudentResult.of("alice", run), StudentResult.of("bob", allOk())));
    var lines = csv.split("\r\n");

    assertThat(lines).hasSize(3);
    var header = lines[0].split(",");
    assertThat(header)
        .startsWith("student", "score", "possible", "ok", "unexpected", "error", "problem");
    assertThat(header).hasSize(7 + run.checks().size());
    assertThat(lines[1]).startsWith("alice,10,14,8,2,2,,").contains("UNEXPECTED").contains("ERROR");
    assertThat(lines[2]).startsWith("bob,14,14,12,0,0,,").doesNotContain("UNEXPECTED");
    var first = run.checks().get(0);
    assertThat(header[7]).isEqualTo(first.id());
    assertThat(lines[1].split(",")[7]).isEqualTo(first.outcome().name());
  }

  @Test
  void aStudentWhoseLabCouldNotRunScoresZeroOfThePossiblePoints() {
    var csv =
        Grades.csv(
            List.of(
                StudentResult.of("alice", run),
                StudentResult.failed("carol", "carol.env line 2: expected KEY=VALUE")));

    assertThat(csv.split("\r\n")[2]).startsWith("carol,0,14,,,,carol.env line 2: expected");
    assertThat(Grades.markdown(List.of(StudentResult.failed("carol", "no such node"))))
        .contains("| carol | 0 | 0 | | | | not run: no such node |");
  }

  @Test
  void markdownHasScoresAndPerCheckCounts() {
    var md =
        Grades.markdown(List.of(StudentResult.of("alice", run), StudentResult.of("bob", allOk())));

    assertThat(md)
        .startsWith("# Grades: Demo lab: NAT, bridged, OpenStack, Docker")
        .contains("| alice | 10 | 14 | 8 | 2 | 2 | [report](alice/report.html) |")
        .contains("| bob | 14 | 14 | 12 | 0 | 0 | [report](bob/report.html) |")
        .contains("| `pc->vm-br tcp:50000` | The service on the bridged VM | 1 | 1 | 1 | 0 |");
  }

  @Test
  void csvQuotesCommasAndDefusesFormulas() {
    assertThat(Grades.csvCell("a,b")).isEqualTo("\"a,b\"");
    assertThat(Grades.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Grades.csvCell("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
  }

  @Test
  void writeCreatesCsvAndMarkdown() throws Exception {
    var files = Grades.write(List.of(StudentResult.of("alice", run)), dir.resolve("out"));

    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("grades.csv", "grades.md");
    assertThat(Files.readString(files.get(0))).startsWith("student,score");
  }

  @Test
  void badStudentNameIsRefusedWithWhatWouldBeValid() {
    assertThatThrownBy(() -> StudentResult.of("../etc", run))
        .hasMessageContaining("bad student name: '../etc'")
        .hasMessageContaining("letters, digits");
  }

  private RunResult allOk() {
    var checks = run.checks().stream().map(c -> c.toBuilder().outcome(Outcome.OK).build()).toList();
    return new RunResult(
        run.matrixName(),
        run.matrixFile(),
        run.startedAt(),
        run.elapsedMs(),
        run.nodes(),
        checks,
        List.of());
  }
}
