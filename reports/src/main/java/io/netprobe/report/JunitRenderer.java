package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * JUnit XML as CI servers and autograders read it (Ant/Jenkins/Surefire dialect): one testsuite per
 * run, one testcase per check, classname {@code from->to}, name {@code probe: title}; {@code
 * <failure>} for UNEXPECTED (message = reason, body = evidence, path trace and hint), {@code
 * <error>} for ERROR, points as properties, pcap paths in {@code <system-out>}.
 */
final class JunitRenderer implements Renderer {
  @Override
  public String render(RunResult run, Options options) {
    var x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    var counts = counts(run);
    x.append("<testsuites name=\"netprobe\"").append(counts).append(">\n");
    x.append("  <testsuite name=\"").append(Text.xml(run.matrixName())).append('"').append(counts);
    x.append(" timestamp=\"").append(timestamp(run)).append("\">\n");
    x.append("    <properties>\n");
    property(x, "    ", "matrix", run.matrixFile() == null ? "" : run.matrixFile());
    property(x, "    ", "points.earned", run.pointsEarned());
    property(x, "    ", "points.possible", run.pointsPossible());
    property(x, "    ", "exitCode", run.exitCode());
    x.append("    </properties>\n");
    run.checks().forEach(c -> testcase(x, c, options.studentView()));
    x.append("  </testsuite>\n</testsuites>\n");
    return x.toString();
  }

  private static String counts(RunResult run) {
    return " tests=\""
        + run.checks().size()
        + "\" failures=\""
        + run.count(Outcome.UNEXPECTED)
        + "\" errors=\""
        + run.count(Outcome.ERROR)
        + "\" skipped=\"0\" time=\""
        + seconds(run.elapsedMs())
        + '"';
  }

  private static void testcase(StringBuilder x, CheckResult c, boolean student) {
    var classname = c.isFact() ? c.from() + " config" : c.from() + "->" + c.to();
    x.append("    <testcase classname=\"").append(Text.xml(classname));
    x.append("\" name=\"").append(Text.xml(c.probe() + ": " + c.title()));
    x.append("\" time=\"").append(seconds(c.elapsedMs())).append("\">\n");
    x.append("      <properties>\n");
    property(x, "      ", "id", c.id());
    property(x, "      ", "points", c.points());
    property(x, "      ", "earned", c.earned());
    property(x, "      ", "expected", c.expected());
    property(x, "      ", "layer", c.layer());
    if (c.cause() != null) {
      property(x, "      ", "cause", c.cause());
    }
    if (!student) {
      var disposition = c.verdict().disposition();
      property(x, "      ", "disposition", disposition == null ? "" : disposition.name());
      property(x, "      ", "attempts", c.attempts());
      property(x, "      ", "flaky", c.flaky());
    }
    if (c.measure() != null) {
      measure(x, c.measure());
    }
    x.append("      </properties>\n");
    if (c.outcome() != Outcome.OK) {
      var tag = c.outcome() == Outcome.ERROR ? "error" : "failure";
      var message = student ? c.title() : c.verdict().reason();
      x.append("      <").append(tag).append(" message=\"").append(Text.xml(message));
      x.append("\" type=\"").append(type(c)).append("\">");
      x.append(Text.xml(body(c, student))).append("</").append(tag).append(">\n");
    }
    if (!student && !c.pcapFiles().isEmpty()) {
      x.append("      <system-out>");
      c.pcapFiles().forEach(p -> x.append(Text.xml("pcap: " + p)).append('\n'));
      x.append("</system-out>\n");
    }
    x.append("    </testcase>\n");
  }

  private static String type(CheckResult c) {
    var disposition = c.verdict().disposition();
    return disposition == null ? "NOT_CHECKED" : disposition.name();
  }

  private static String body(CheckResult c, boolean student) {
    var sb = new StringBuilder();
    if (!student) {
      sb.append(Text.expectation(c)).append('\n');
      c.verdict().evidence().forEach(e -> sb.append(e).append('\n'));
      if (!c.verdict().path().isEmpty()) {
        sb.append("path: ").append(PathTrace.line(c.verdict().path())).append('\n');
      }
    }
    if (!c.verdict().hint().isBlank()) {
      sb.append("hint: ").append(c.verdict().hint()).append('\n');
    }
    return sb.toString();
  }

  /** The figures of a measuring cell, for CI to chart: ms, per second, percent. */
  private static void measure(StringBuilder x, io.netprobe.report.model.Measure m) {
    property(x, "      ", "measure.kind", m.kind());
    property(x, "      ", "measure.answered", m.count());
    if (m.tps() != null) {
      property(x, "      ", "measure.tps", m.tps());
    }
    if (m.bitsPerSecond() != null) {
      property(x, "      ", "measure.throughput.bps", Math.round(m.bitsPerSecond()));
      property(x, "      ", "measure.bytes", m.bytes());
    }
    if (!m.timed()) {
      return;
    }
    property(x, "      ", "measure.rtt.p50.ms", m.p50Ms());
    property(x, "      ", "measure.rtt.p90.ms", m.p90Ms());
    property(x, "      ", "measure.rtt.p99.ms", m.p99Ms());
    property(x, "      ", "measure.rtt.max.ms", m.maxMs());
    property(x, "      ", "measure.loss.percent", Math.round(m.lossPercent() * 10) / 10.0);
  }

  private static void property(StringBuilder x, String indent, String name, Object value) {
    x.append(indent).append("  <property name=\"").append(Text.xml(name)).append("\" value=\"");
    x.append(Text.xml(String.valueOf(value))).append("\"/>\n");
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
  }

  private static String timestamp(RunResult run) {
    return LocalDateTime.ofInstant(run.startedAt(), ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
  }
}
