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
    var csv = Grades.csv(grades(StudentResult.of("alice", run), StudentResult.of("bob", allOk())));
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
            grades(
                StudentResult.of("alice", run),
                StudentResult.failed("carol", "carol.env line 2: expected KEY=VALUE")));

    assertThat(csv.split("\r\n")[2]).startsWith("carol,0,14,,,,carol.env line 2: expected");
    assertThat(Grades.markdown(grades(StudentResult.failed("carol", "no such node"))))
        .contains("| carol | 0 | 0 | | | | not run: no such node |");
  }

  @Test
  void markdownHasScoresAndPerCheckCounts() {
    var md =
        Grades.markdown(grades(StudentResult.of("alice", run), StudentResult.of("bob", allOk())));

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
    var sheet = sheet(null, null, List.of("alice"), StudentResult.of("alice", run));
    var files = Grades.write(sheet, dir.resolve("out"));

    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("grades.csv", "grades.md", "grades-moodle.csv", "grades.json");
    assertThat(Files.readString(files.get(0))).startsWith("student,score");
    assertThat(Grades.read(files.get(3))).isEqualTo(sheet);
  }

  @Test
  void shardsMergedRenderTheSameFilesAsTheWholeClass() {
    var alice = StudentResult.of("alice", run);
    var bob = StudentResult.of("bob", allOk());
    var carol = StudentResult.failed("carol", "carol.env line 2: expected KEY=VALUE");
    var roster = List.of("alice", "bob", "carol");
    var whole = sheet(null, null, roster, alice, bob, carol);

    var merged =
        GradeSheet.merge(
            List.of(sheet(2, 2, roster, bob), sheet(1, 2, roster, alice, carol)),
            List.of("s2", "s1"));

    assertThat(Grades.csv(merged.students())).isEqualTo(Grades.csv(whole.students()));
    assertThat(Grades.markdown(merged.students())).isEqualTo(Grades.markdown(whole.students()));
    assertThat(MoodleCsv.render(merged.students())).isEqualTo(MoodleCsv.render(whole.students()));
  }

  @Test
  void mergeRefusesOverlapsMissingShardsAndOtherMatrices() {
    var roster = List.of("alice", "bob");
    var alice = StudentResult.of("alice", run);
    var bob = StudentResult.of("bob", run);
    var one = sheet(1, 2, roster, alice);

    assertThatThrownBy(() -> GradeSheet.merge(List.of(one), List.of("s1")))
        .hasMessageContaining("shard 2/2 missing");
    assertThatThrownBy(
            () ->
                GradeSheet.merge(List.of(one, sheet(2, 2, roster, alice, bob)), List.of("a", "b")))
        .hasMessageContaining("student alice is graded in both a and b");
    assertThatThrownBy(() -> GradeSheet.merge(List.of(one, one), List.of("a", "b")))
        .hasMessageContaining("shard 1/2 is given twice: a and b");
    var other =
        new GradeSheet("other.yaml", "ff".repeat(32), 2, 2, roster, List.of(StudentGrade.of(bob)));
    assertThatThrownBy(() -> GradeSheet.merge(List.of(one, other), List.of("a", "b")))
        .hasMessageContaining("b graded another matrix than a");
    assertThatThrownBy(
            () -> GradeSheet.merge(List.of(one, sheet(2, 3, roster, bob)), List.of("a", "b")))
        .hasMessageContaining("merge the shards of one split");
  }

  @Test
  void moodleCsvIdentifiesEachStudentAndLeavesTheUnrunUngraded() {
    var csv =
        MoodleCsv.render(
            List.of(
                StudentGrade.of(StudentResult.of("alice", run), "a.smith", "alice@example.edu"),
                StudentGrade.of(StudentResult.of("bob", allOk())),
                StudentGrade.of(StudentResult.failed("carol", "no such node"))));
    var lines = csv.split("\r\n");

    assertThat(lines[0])
        .isEqualTo("moodle_id,email,\"Demo lab: NAT, bridged, OpenStack, Docker\",feedback");
    assertThat(lines[1])
        .startsWith("a.smith,alice@example.edu,10,10/14 points. Not as expected: ")
        .endsWith("Each check is explained in your feedback file (feedback.md).");
    assertThat(lines[2]).startsWith("bob,,14,14/14 points. Every check as expected.");
    assertThat(lines[3])
        .as("a lab that could not be run gets no grade, not 0")
        .startsWith("carol,,,Not graded: your lab could not be checked (no such node).");
  }

  @Test
  void feedbackGivesScoreEachCheckAndHintsWithoutEvidence() {
    var md = Feedback.markdown("alice", run);

    assertThat(md)
        .startsWith(
            "# alice: Demo lab: NAT, bridged, OpenStack, Docker\n\n**Score: 10/14 points.**")
        .contains("| ✗ | The service on the bridged VM | not as expected | 0/1 |")
        .contains("## What to look at")
        .contains("**Hint:**")
        .doesNotContain("```")
        .doesNotContain(".pcap");
    run.checks().stream()
        .filter(c -> c.outcome() != Outcome.OK)
        .forEach(c -> assertThat(md).doesNotContain(c.verdict().reason()));
  }

  @Test
  void aCheckWhoseIdHoldsEachStudentsValuesIsOneColumnHeadedByItsTitle() {
    var ann = routed("ann", "10.0.1.0/24", Outcome.UNEXPECTED);
    var ben = routed("ben", "10.0.2.0/24", Outcome.OK);

    var csv = Grades.csv(List.of(ann, ben)).split("\r\n");

    assertThat(csv[0]).endsWith(",problem,pc's route,pc->vm icmp");
    assertThat(csv[1]).isEqualTo("ann,1,2,1,1,0,,OK,UNEXPECTED");
    assertThat(csv[2]).isEqualTo("ben,2,2,2,0,0,,OK,OK");
    assertThat(Grades.markdown(List.of(ann, ben)))
        .contains("| `pc's route` | pc's route | 1 | 2 | 0 | 0 |");
  }

  /** A student whose run has a fact naming their own network, and a ping with {@code ping}. */
  private static StudentGrade routed(String student, String network, Outcome ping) {
    boolean ok = ping == Outcome.OK;
    return new StudentGrade(
        student,
        null,
        null,
        "m",
        ok ? 2 : 1,
        2,
        ok ? 2 : 1,
        ok ? 0 : 1,
        0,
        null,
        List.of(
            new StudentGrade.CheckGrade(
                "pc route " + network + " via 10.0.0.1", "pc's route", 1, Outcome.OK),
            new StudentGrade.CheckGrade("pc->vm icmp", "pc->vm icmp", 1, ping)));
  }

  private static List<StudentGrade> grades(StudentResult... results) {
    return java.util.Arrays.stream(results).map(StudentGrade::of).toList();
  }

  private static GradeSheet sheet(
      Integer index, Integer count, List<String> roster, StudentResult... results) {
    return new GradeSheet("lab.yaml", "ab".repeat(32), index, count, roster, grades(results));
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
