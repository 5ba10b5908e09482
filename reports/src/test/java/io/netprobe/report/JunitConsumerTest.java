package io.netprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The JUnit XML read back by a real consumer: Maven Surefire's report parser (what {@code mvn
 * surefire-report:report} and many CI plugins use). Properties and system-out, which it does not
 * keep, are read with the JDK's DOM parser.
 */
class JunitConsumerTest {
  private final RunResult run = Fixtures.demoRun();

  @Test
  void surefireParserCountsOneTestcasePerCheck() throws Exception {
    var suites = parse(Options.INSTRUCTOR);

    // Surefire groups testcases by classname: one suite per from->to pair.
    assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfTests).sum())
        .isEqualTo(run.checks().size());
    assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfFailures).sum())
        .isEqualTo(run.count(Outcome.UNEXPECTED));
    assertThat(suites.stream().mapToInt(ReportTestSuite::getNumberOfErrors).sum())
        .isEqualTo(run.count(Outcome.ERROR));
    assertThat(suites.stream().mapToInt(s -> s.getTestCases().size()).sum())
        .isEqualTo(run.checks().size());
  }

  @Test
  void unexpectedIsAFailureWithReasonAsMessageAndEvidenceAndHintAsBody() throws Exception {
    var cases = byCheck(parse(Options.INSTRUCTOR));
    var unexpected = checks(Outcome.UNEXPECTED);
    assertThat(unexpected).isNotEmpty();
    for (CheckResult c : unexpected) {
      var tc = cases.get(c.from() + "->" + c.to() + " " + c.probe() + ": " + c.title());
      assertThat(tc).as("testcase for %s", c.id()).isNotNull();
      assertThat(tc.hasFailure()).isTrue();
      assertThat(tc.hasError()).isFalse();
      assertThat(tc.getFailureMessage()).isEqualTo(c.verdict().reason());
      assertThat(tc.getFailureDetail())
          .contains(c.verdict().evidence().get(0).text())
          .contains("hint: " + c.verdict().hint());
    }
  }

  @Test
  void errorIsAnErrorAndOkCellsPass() throws Exception {
    var cases = byCheck(parse(Options.INSTRUCTOR));
    for (CheckResult c : run.checks()) {
      var tc = cases.get(c.from() + "->" + c.to() + " " + c.probe() + ": " + c.title());
      assertThat(tc).as("testcase for %s", c.id()).isNotNull();
      assertThat(tc.hasError()).as("error for %s", c.id()).isEqualTo(c.outcome() == Outcome.ERROR);
      assertThat(tc.isSuccessful()).as("passes: %s", c.id()).isEqualTo(c.outcome() == Outcome.OK);
    }
  }

  @Test
  void pointsAreTestcasePropertiesAndPcapPathsAreInSystemOut() throws Exception {
    var xml = Reports.render(run, ReportFormat.JUNIT, Options.INSTRUCTOR);
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    var testcases = doc.getElementsByTagName("testcase");
    assertThat(testcases.getLength()).isEqualTo(run.checks().size());
    for (int i = 0; i < testcases.getLength(); i++) {
      var tc = (Element) testcases.item(i);
      var check = run.checks().get(i);
      assertThat(tc.getAttribute("classname")).isEqualTo(check.from() + "->" + check.to());
      var props = new HashMap<String, String>();
      var list = tc.getElementsByTagName("property");
      for (int p = 0; p < list.getLength(); p++) {
        var prop = (Element) list.item(p);
        props.put(prop.getAttribute("name"), prop.getAttribute("value"));
      }
      assertThat(props)
          .containsEntry("points", String.valueOf(check.points()))
          .containsEntry("earned", String.valueOf(check.earned()));
      var out = tc.getElementsByTagName("system-out");
      var text = out.getLength() == 0 ? "" : out.item(0).getTextContent();
      check.pcapFiles().forEach(pcap -> assertThat(text).contains(pcap));
    }
    assertThat(run.checks()).anyMatch(c -> !c.pcapFiles().isEmpty());
  }

  @Test
  void studentViewStillParsesAndKeepsEvidenceOut() throws Exception {
    var cases = byCheck(parse(Options.STUDENT));
    assertThat(cases).hasSize(run.checks().size());
    for (ReportTestCase tc : cases.values()) {
      if (tc.hasFailure()) {
        assertThat(tc.getFailureDetail()).doesNotContain("probe:").doesNotContain("SYN");
      }
    }
  }

  private List<ReportTestSuite> parse(Options options) throws Exception {
    var xml = Reports.render(run, ReportFormat.JUNIT, options);
    var reader =
        new InputStreamReader(
            new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    return new TestSuiteXmlParser(new NullConsoleLogger()).parse(reader);
  }

  private static Map<String, ReportTestCase> byCheck(List<ReportTestSuite> suites) {
    var map = new HashMap<String, ReportTestCase>();
    for (ReportTestSuite suite : suites) {
      suite.getTestCases().forEach(tc -> map.put(tc.getFullClassName() + " " + tc.getName(), tc));
    }
    return map;
  }

  private List<CheckResult> checks(Outcome outcome) {
    return run.checks().stream().filter(c -> c.outcome() == outcome).toList();
  }
}
