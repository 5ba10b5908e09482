package io.netprobe.report;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The formats a run can be written in, each with its name on the command line and its file. */
public enum ReportFormat {
  /** The terminal grid as plain text (no colour). */
  TABLE("table", "report.txt", new TerminalRenderer()),
  /** The whole run; the schema of record is {@code reports/schema/run.schema.json}. */
  JSON("json", "run.json", new JsonRenderer()),
  /** JUnit XML: one testcase per check, for CI and autograders. */
  JUNIT("junit", "junit.xml", new JunitRenderer()),
  /** Markdown with a Mermaid topology, for pull requests and LMS. */
  MARKDOWN("md", "report.md", new MarkdownRenderer()),
  /** One self-contained HTML file: heat-map, per-cell detail, SVG topology. */
  HTML("html", "report.html", new HtmlRenderer());

  private final String label;
  private final String fileName;
  private final Renderer renderer;

  ReportFormat(String label, String fileName, Renderer renderer) {
    this.label = label;
    this.fileName = fileName;
    this.renderer = renderer;
  }

  /** The name on the command line: {@code table}, {@code json}, {@code junit}, {@code md}... */
  public String label() {
    return label;
  }

  /** The file this format is written to in a report directory. */
  public String fileName() {
    return fileName;
  }

  Renderer renderer() {
    return renderer;
  }

  /** A format by its label (case-insensitive); {@code markdown} is taken for {@code md}. */
  public static ReportFormat parse(String name) {
    var wanted = name.strip().toLowerCase(Locale.ROOT);
    for (ReportFormat format : values()) {
      if (format.label.equals(wanted) || format.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown report format: '" + name + "' (valid: " + labels() + ")");
  }

  /** A comma-separated list of formats ({@code table,json,junit}); {@code all} for all. */
  public static Set<ReportFormat> parseList(String list) {
    if (list.strip().equalsIgnoreCase("all")) {
      return EnumSet.allOf(ReportFormat.class);
    }
    var formats = EnumSet.noneOf(ReportFormat.class);
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        formats.add(parse(part));
      }
    }
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("no report format given (valid: " + labels() + ")");
    }
    return formats;
  }

  private static String labels() {
    return Arrays.stream(values()).map(f -> f.label).collect(Collectors.joining(", ")) + ", all";
  }
}
