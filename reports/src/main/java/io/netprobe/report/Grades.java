package io.netprobe.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netprobe.report.model.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Many students' runs of one matrix as one summary: {@code grades.csv} (a row per student: score,
 * possible, counts, then each check's outcome OK/UNEXPECTED/ERROR) for a spreadsheet, {@code
 * grades.md} (the scores and, per check, how many students got it) for people, {@code
 * grades-moodle.csv} for Moodle's grade import ({@link MoodleCsv}), and {@code grades.json}, the
 * same data for a machine: what {@code grade --merge} joins shards from. Every file is rendered
 * from the {@link StudentGrade}s alone, so shards merged give the files one run gives, byte for
 * byte.
 */
public final class Grades {
  public static final String CSV_FILE = "grades.csv";
  public static final String MARKDOWN_FILE = "grades.md";
  public static final String MOODLE_FILE = "grades-moodle.csv";
  public static final String JSON_FILE = "grades.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Grades() {}

  /**
   * Writes {@code grades.csv}, {@code grades.md}, {@code grades-moodle.csv} and {@code grades.json}
   * to {@code outDir}; returns the files.
   */
  public static List<Path> write(GradeSheet sheet, Path outDir) {
    Reports.createDirectories(outDir);
    var students = sheet.students();
    var files = new LinkedHashMap<Path, String>();
    files.put(outDir.resolve(CSV_FILE), csv(students));
    files.put(outDir.resolve(MARKDOWN_FILE), markdown(students));
    files.put(outDir.resolve(MOODLE_FILE), MoodleCsv.render(students));
    files.put(outDir.resolve(JSON_FILE), json(sheet));
    files.forEach(Reports::writeString);
    return List.copyOf(files.keySet());
  }

  /** The sheet as {@code grades.json}. */
  static String json(GradeSheet sheet) {
    try {
      return JSON.writeValueAsString(sheet) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a {@code grades.json} that {@link #write} wrote.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static GradeSheet read(Path file) {
    try {
      var tree = JSON.readTree(file.toFile());
      var format = tree == null ? null : tree.path("format").asText(null);
      if (!GradeSheet.FORMAT.equals(format)) {
        throw new IllegalArgumentException(
            file
                + ": not a grades file of this netprobe (format "
                + (format == null ? "missing" : "'" + format + "'")
                + ", expected '"
                + GradeSheet.FORMAT
                + "'); give the --out directory of a 'netprobe grade' run");
      }
      return JSON.treeToValue(tree, GradeSheet.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot be read as grades (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** One header row, then a row per student; RFC 4180 quoting. */
  public static String csv(List<StudentGrade> students) {
    var checks = GradeColumns.of(students);
    var header = new ArrayList<>(List.of("student", "score", "possible", "ok", "unexpected"));
    header.addAll(List.of("error", "problem"));
    checks.forEach(c -> header.add(c.header()));
    var out = new StringBuilder();
    row(out, header);
    for (StudentGrade s : students) {
      var cells = new ArrayList<String>();
      cells.add(s.student());
      cells.add(String.valueOf(s.earned()));
      cells.add(String.valueOf(possible(s, checks)));
      for (Outcome o : Outcome.values()) {
        cells.add(s.wasRun() ? String.valueOf(s.count(o)) : "");
      }
      cells.add(s.problem() == null ? "" : s.problem());
      for (GradeColumns.Column column : checks) {
        var c = column.cell(s);
        cells.add(c == null ? "" : c.outcome().name());
      }
      row(out, cells);
    }
    return out.toString();
  }

  /** The scores, then per check how many students got each outcome. */
  public static String markdown(List<StudentGrade> students) {
    var checks = GradeColumns.of(students);
    var md = new StringBuilder("# Grades");
    var matrix = students.stream().filter(StudentGrade::wasRun).findFirst();
    matrix.ifPresent(s -> md.append(": ").append(MarkdownRenderer.esc(s.matrixName())));
    md.append("\n\n").append(students.size()).append(" students, ");
    md.append(checks.size()).append(" checks.\n\n");
    md.append("| student | score | possible | OK | unexpected | error | report |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (StudentGrade s : students) {
      md.append("| ")
          .append(MarkdownRenderer.esc(s.student()))
          .append(" | ")
          .append(s.earned())
          .append(" | ");
      md.append(possible(s, checks)).append(" | ");
      if (!s.wasRun()) {
        md.append("| | | not run: ").append(MarkdownRenderer.esc(s.problem())).append(" |\n");
        continue;
      }
      for (Outcome o : Outcome.values()) {
        md.append(s.count(o)).append(" | ");
      }
      md.append("[report](").append(s.student());
      md.append("/report.html) |\n");
    }
    md.append("\n## Checks\n\n| check | title | points | OK | unexpected | error |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: |\n");
    for (GradeColumns.Column c : checks) {
      md.append("| `").append(c.header().replace("`", "'")).append("` | ");
      md.append(MarkdownRenderer.esc(c.title())).append(" | ").append(c.points());
      for (Outcome o : Outcome.values()) {
        md.append(" | ").append(count(students, c, o));
      }
      md.append(" |\n");
    }
    return md.toString();
  }

  /** A student who could not be run still owes the matrix's points. */
  static int possible(StudentGrade s, List<GradeColumns.Column> checks) {
    return s.possible() != null
        ? s.possible()
        : checks.stream().mapToInt(GradeColumns.Column::points).sum();
  }

  private static long count(
      List<StudentGrade> students, GradeColumns.Column column, Outcome outcome) {
    return students.stream()
        .map(column::cell)
        .filter(c -> c != null && c.outcome() == outcome)
        .count();
  }

  static void row(StringBuilder out, List<String> cells) {
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
