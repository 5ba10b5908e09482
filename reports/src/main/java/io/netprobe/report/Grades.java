package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Many students' runs of one matrix as one summary: {@code grades.csv} (a row per student: score,
 * possible, counts, then each check's outcome OK/UNEXPECTED/ERROR) for a spreadsheet or an LMS, and
 * {@code grades.md} (the scores and, per check, how many students got it) for people.
 */
public final class Grades {
  public static final String CSV_FILE = "grades.csv";
  public static final String MARKDOWN_FILE = "grades.md";

  private Grades() {}

  /** Writes {@code grades.csv} and {@code grades.md} to {@code outDir}; returns both files. */
  public static List<Path> write(List<StudentResult> students, Path outDir) {
    Reports.createDirectories(outDir);
    var csv = outDir.resolve(CSV_FILE);
    var md = outDir.resolve(MARKDOWN_FILE);
    Reports.writeString(csv, csv(students));
    Reports.writeString(md, markdown(students));
    return List.of(csv, md);
  }

  /** One header row, then a row per student; RFC 4180 quoting. */
  public static String csv(List<StudentResult> students) {
    var checks = checks(students);
    var header = new ArrayList<>(List.of("student", "score", "possible", "ok", "unexpected"));
    header.addAll(List.of("error", "problem"));
    header.addAll(checks.keySet());
    var out = new StringBuilder();
    row(out, header);
    for (StudentResult s : students) {
      var cells = new ArrayList<String>();
      cells.add(s.student());
      cells.add(String.valueOf(s.earned()));
      cells.add(String.valueOf(possible(s, checks)));
      for (Outcome o : Outcome.values()) {
        cells.add(s.run() == null ? "" : String.valueOf(s.run().count(o)));
      }
      cells.add(s.problem() == null ? "" : s.problem());
      for (String id : checks.keySet()) {
        var c = check(s.run(), id);
        cells.add(c == null ? "" : c.outcome().name());
      }
      row(out, cells);
    }
    return out.toString();
  }

  /** The scores, then per check how many students got each outcome. */
  public static String markdown(List<StudentResult> students) {
    var checks = checks(students);
    var md = new StringBuilder("# Grades");
    var matrix = students.stream().filter(s -> s.run() != null).findFirst();
    matrix.ifPresent(s -> md.append(": ").append(MarkdownRenderer.esc(s.run().matrixName())));
    md.append("\n\n").append(students.size()).append(" students, ");
    md.append(checks.size()).append(" checks.\n\n");
    md.append("| student | score | possible | OK | unexpected | error | report |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (StudentResult s : students) {
      md.append("| ")
          .append(MarkdownRenderer.esc(s.student()))
          .append(" | ")
          .append(s.earned())
          .append(" | ");
      md.append(possible(s, checks)).append(" | ");
      if (s.run() == null) {
        md.append("| | | not run: ").append(MarkdownRenderer.esc(s.problem())).append(" |\n");
        continue;
      }
      for (Outcome o : Outcome.values()) {
        md.append(s.run().count(o)).append(" | ");
      }
      md.append("[report](").append(s.student());
      md.append("/report.html) |\n");
    }
    md.append("\n## Checks\n\n| check | title | points | OK | unexpected | error |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
    checks.forEach(
        (id, c) -> {
          md.append("| `")
              .append(id)
              .append("` | ")
              .append(MarkdownRenderer.esc(c.title()))
              .append(" | ");
          md.append(c.points());
          for (Outcome o : Outcome.values()) {
            md.append(" | ").append(count(students, id, o));
          }
          md.append(" |\n");
        });
    return md.toString();
  }

  /** Every check id any student's run has, in the order first seen, with its first result. */
  private static Map<String, CheckResult> checks(List<StudentResult> students) {
    var checks = new LinkedHashMap<String, CheckResult>();
    for (StudentResult s : students) {
      if (s.run() != null) {
        s.run().checks().forEach(c -> checks.putIfAbsent(c.id(), c));
      }
    }
    return checks;
  }

  /** A student who could not be run still owes the matrix's points. */
  private static int possible(StudentResult s, Map<String, CheckResult> checks) {
    return s.run() != null
        ? s.run().pointsPossible()
        : checks.values().stream().mapToInt(CheckResult::points).sum();
  }

  private static CheckResult check(RunResult run, String id) {
    if (run == null) {
      return null;
    }
    return run.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  private static long count(List<StudentResult> students, String id, Outcome outcome) {
    return students.stream()
        .map(s -> check(s.run(), id))
        .filter(c -> c != null && c.outcome() == outcome)
        .count();
  }

  private static void row(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      out.append(i == 0 ? "" : ",").append(csvCell(cells.get(i)));
    }
    out.append("\r\n");
  }

  /**
   * RFC 4180 quoting; a cell a spreadsheet would take for a formula ({@code =}, {@code +}, {@code
   * -}, {@code @} first) is prefixed with an apostrophe.
   */
  static String csvCell(String value) {
    var v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
