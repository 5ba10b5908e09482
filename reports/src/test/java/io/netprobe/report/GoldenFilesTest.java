package io.netprobe.report;

import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GoldenFilesTest {
  private final RunResult run = Fixtures.demoRun();

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void instructorViewMatchesGolden(ReportFormat format) throws Exception {
    Golden.assertMatches(
        "instructor/" + format.fileName(), Reports.render(run, format, Options.INSTRUCTOR));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void studentViewMatchesGolden(ReportFormat format) throws Exception {
    Golden.assertMatches(
        "student/" + format.fileName(), Reports.render(run, format, Options.STUDENT));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void pathTracesMatchGoldenInBothViews(ReportFormat format) throws Exception {
    var paths = PathFixtures.faultRun();
    Golden.assertMatches(
        "paths/instructor/" + format.fileName(), Reports.render(paths, format, Options.INSTRUCTOR));
    Golden.assertMatches(
        "paths/student/" + format.fileName(), Reports.render(paths, format, Options.STUDENT));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void measuredPathsGetTheirTableInBothViews(ReportFormat format) throws Exception {
    var measured = MeasureFixtures.measuredRun();
    Golden.assertMatches(
        "measures/instructor/" + format.fileName(),
        Reports.render(measured, format, Options.INSTRUCTOR));
    Golden.assertMatches(
        "measures/student/" + format.fileName(), Reports.render(measured, format, Options.STUDENT));
  }

  @ParameterizedTest
  @EnumSource(ReportFormat.class)
  void checksOfConfigurationComeFirstInBothViews(ReportFormat format) throws Exception {
    var facts = Fixtures.factsRun();
    Golden.assertMatches(
        "facts/instructor/" + format.fileName(), Reports.render(facts, format, Options.INSTRUCTOR));
    Golden.assertMatches(
        "facts/student/" + format.fileName(), Reports.render(facts, format, Options.STUDENT));
  }

  @Test
  void colouredTerminalWithPathTracesAt80ColumnsMatchesGolden() throws Exception {
    var out = new StringWriter();
    Reports.terminal(
        PathFixtures.faultRun(), new PrintWriter(out), new TerminalOptions(true, 80, false));
    Golden.assertMatches("paths/terminal-80-color.txt", out.toString());
  }

  @Test
  void colouredTerminalAt80ColumnsMatchesGolden() throws Exception {
    var out = new StringWriter();
    Reports.terminal(run, new PrintWriter(out), new TerminalOptions(true, 80, false));
    Golden.assertMatches("terminal-80-color.txt", out.toString());
  }
}
