package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The student view ({@code --student}) in every format: each check's title and hint, and none of
 * the instructor's material (reasons, packet evidence, pcap files, findings).
 */
class StudentViewTest {
  private final RunResult run = Fixtures.demoRun();

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void showsTitlesAndHintsButNoEvidenceReasonsOrPcaps(ReportFormat format) {
    var text = unescape(Reports.render(run, format, Options.STUDENT));
    assertStudentView(text);
    if (format != ReportFormat.TABLE && format != ReportFormat.MARKDOWN) {
      // The record formats carry every check; the grids list the ones that are not OK.
      run.checks().forEach(c -> assertThat(text).as("title of %s", c.id()).contains(c.title()));
    }
  }

  @Test
  void terminalShowsTitlesAndHintsButNoEvidenceReasonsOrPcaps() {
    var out = new StringWriter();
    Reports.terminal(run, new PrintWriter(out), new TerminalOptions(false, 100, true));
    assertStudentView(out.toString());
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void instructorViewHasTheEvidenceTheStudentViewLeavesOut(ReportFormat format) {
    var text = unescape(Reports.render(run, format, Options.INSTRUCTOR));
    var unexpected = run.checks().stream().filter(c -> c.outcome().isProblem()).toList();
    assertThat(text).contains(unexpected.get(0).verdict().reason());
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void pathTracesArePacketEvidenceTheStudentViewLeavesOut(ReportFormat format) {
    var paths = PathFixtures.faultRun();
    var student = unescape(Reports.render(paths, format, Options.STUDENT));
    var instructor = unescape(Reports.render(paths, format, Options.INSTRUCTOR));

    assertThat(instructor)
        .as("the instructor's view has the traces")
        .containsAnyOf("lost here", "\"kind\": \"none\"");
    assertThat(student)
        .as("no trace: rt's address shows only in the nodes' list")
        .doesNotContain("rt (10.60.3.2)")
        .doesNotContain("\"path\":")
        .doesNotContain("class=\"trace\"")
        .doesNotContain("lost here")
        .doesNotContain("time-exceeded")
        .doesNotContain("time exceeded");
  }

  private void assertStudentView(String text) {
    for (CheckResult c : run.checks()) {
      if (c.outcome().isProblem()) {
        assertThat(text).as("title of %s", c.id()).contains(c.title());
      }
      if (c.outcome().isProblem() && !c.verdict().hint().isBlank()) {
        assertThat(text).as("hint of %s", c.id()).contains(c.verdict().hint());
      }
      assertThat(text).as("reason of %s", c.id()).doesNotContain(c.verdict().reason());
      for (Evidence e : c.verdict().evidence()) {
        assertThat(text).as("evidence of %s", c.id()).doesNotContain(e.text());
      }
      for (String pcap : c.pcapFiles()) {
        assertThat(text).as("pcap of %s", c.id()).doesNotContain(pcap);
      }
    }
    for (Finding f : run.findings()) {
      assertThat(text).doesNotContain(f.summary());
    }
  }

  /** The text as a reader sees it: XML/HTML entities and Markdown escapes undone, lines joined. */
  static String unescape(String text) {
    return text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
        .replaceAll("\\\\([\\\\`*_\\[\\]|#])", "$1")
        .replace("\\n", "\n")
        .replace("\\\"", "\"");
  }
}
