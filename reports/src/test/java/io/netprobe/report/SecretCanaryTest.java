package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A secret in the environment (surefire sets {@code NP_CANARY_SECRET}, as a lab password would be
 * set) never reaches a report: every format, both views, the terminal and the grades are searched
 * for it, as typed and as each format would escape it.
 */
class SecretCanaryTest {
  private final String canary = System.getenv("NP_CANARY_SECRET");
  private final RunResult run = Fixtures.demoRun();

  @Test
  void canaryPasswordIsInNoFormatOfEitherView() {
    assertThat(canary).as("surefire sets NP_CANARY_SECRET (reports/pom.xml)").isNotBlank();
    var outputs = new ArrayList<String>();
    for (Options options : List.of(Options.INSTRUCTOR, Options.STUDENT)) {
      for (ReportFormat format : ReportFormat.values()) {
        outputs.add(Reports.render(run, format, options));
      }
      var out = new StringWriter();
      Reports.terminal(
          run, new PrintWriter(out), new TerminalOptions(true, 80, options.studentView()));
      outputs.add(out.toString());
    }
    var students = List.of(StudentGrade.of(StudentResult.of("alice", run)));
    outputs.add(Grades.csv(students));
    outputs.add(Grades.markdown(students));
    outputs.add(MoodleCsv.render(students));
    outputs.add(Grades.json(new GradeSheet("m.yaml", "00", null, null, List.of(), students)));
    outputs.add(Feedback.markdown("alice", run));

    for (String output : outputs) {
      assertThat(output).doesNotContain(canary).doesNotContain(canary.replace("-", "\\-"));
      assertThat(StudentViewTest.unescape(output)).doesNotContain(canary);
    }
    assertThat(run.toString()).doesNotContain(canary);
  }
}
